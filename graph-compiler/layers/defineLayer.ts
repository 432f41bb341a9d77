/**
 * One file per layer kind holds its parameter schema, shape rule, cost and lowering;
 * `defineLayer` gives them one shape and `registry.ts` lists them in one table.
 */
import type { z } from 'zod';
import type { Shape } from '../../contracts/index.js';
import type { ShapeResult } from '../result.js';

export type LayerCategory =
  | 'core'
  | 'convolution'
  | 'pooling'
  | 'normalization'
  | 'recurrent'
  | 'attention'
  | 'merge'
  | 'activation'
  | 'reshape'
  | 'embedding';

/** What a lowered node asks the runtime to build: a TF.js layer class and its config. */
export interface LoweredLayer {
  readonly className: string;
  readonly config: Readonly<Record<string, unknown>>;
}

export interface ParamCount {
  readonly trainable: number;
  readonly nonTrainable: number;
}

export interface LayerDef<P> {
  readonly type: string;
  readonly category: LayerCategory;
  /** One line shown in the palette and the inspector. */
  readonly doc: string;
  readonly params: z.ZodType<P>;
  /** How many inputs it takes, and their names when they mean different things. */
  readonly ports: { readonly min: number; readonly max: number; readonly names?: readonly string[] };
  readonly inferShape: (inputs: readonly Shape[], p: P) => ShapeResult;
  readonly paramCount?: (inputs: readonly Shape[], p: P, out: Shape) => ParamCount;
  /** FLOPs per example of the forward pass; a multiply-add counts as 2. */
  readonly flops?: (inputs: readonly Shape[], p: P, out: Shape) => number;
  readonly lower: (p: P, inputs: readonly Shape[]) => LoweredLayer;
}

// The registry stores layers of many param types; this erases P at the boundary.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyLayerDef = LayerDef<any>;

export function defineLayer<P>(def: LayerDef<P>): LayerDef<P> {
  return def;
}

export const noParams: ParamCount = { trainable: 0, nonTrainable: 0 };
