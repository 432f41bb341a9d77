/** The table of every layer kind. Adding a layer = one file + one line here. */
import { Activation } from './activation.js';
import { AveragePooling2D } from './averagePooling2d.js';
import { Conv2D } from './conv2d.js';
import type { AnyLayerDef } from './defineLayer.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { Flatten } from './flatten.js';
import { Input } from './input.js';
import { MaxPooling2D } from './maxPooling2d.js';

const all: readonly AnyLayerDef[] = [Input, Dense, Conv2D, MaxPooling2D, AveragePooling2D, Flatten, Activation, Dropout];

export const layers: ReadonlyMap<string, AnyLayerDef> = new Map(all.map((l) => [l.type, l]));

export function getLayer(type: string): AnyLayerDef | undefined {
  return layers.get(type);
}
