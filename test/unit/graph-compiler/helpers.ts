/** Test helpers: run one layer through our compiler definitions and through TF.js itself. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import type { GraphDocument, Shape } from '../../../contracts/index.js';
import { getLayer } from '../../../graph-compiler/index.js';
import type { ShapeResult } from '../../../graph-compiler/result.js';
import { registerCustomLayers } from '../../../runtime/layers/index.js';

registerCustomLayers();

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
}

export interface LayerRun {
  readonly ours: ShapeResult;
  readonly params: { trainable: number; nonTrainable: number } | null;
  /** TF.js's output shape on a random batch of 2, batch dimension removed. */
  readonly tfjsShape: number[];
  readonly tfjsComputed: (number | null)[];
  readonly tfjsParams: number;
}

/** Builds the layer both ways: our shape rule and param count, and the lowered TF.js layer applied to random inputs. */
export function runLayer(type: string, rawParams: Record<string, unknown>, inputs: readonly Shape[], intInputsBelow?: number): LayerRun {
  const def = getLayer(type)!;
  const p = def.params.parse(rawParams);
  const ours = def.inferShape(inputs, p);
  const params = ours.ok && def.paramCount ? def.paramCount(inputs, p, ours.shape) : null;
  const lowered = def.lower(p, inputs);
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[lowered.className]!;
  const Ctor = entry[0] as unknown as new (c: Record<string, unknown>) => tfl.layers.Layer;
  const layer = new Ctor({ ...lowered.config });
  let tfjsShape: number[] = [];
  tf.tidy(() => {
    const xs = inputs.map((s) =>
      intInputsBelow ? tf.randomUniform([2, ...s], 0, intInputsBelow, 'int32').cast('float32') : tf.randomNormal([2, ...s]),
    );
    const y = layer.apply(xs.length === 1 ? xs[0]! : xs) as tf.Tensor;
    tfjsShape = y.shape.slice(1);
  });
  const shapes = inputs.map((s) => [2, ...s]);
  const computed = layer.computeOutputShape(shapes.length === 1 ? shapes[0]! : shapes) as (number | null)[];
  return { ours, params, tfjsShape, tfjsComputed: computed.slice(1), tfjsParams: layer.countParams() };
}

/** A linear chain document: Input → each layer in order. */
export function chain(inputShape: number[], layers: { type: string; params?: Record<string, unknown>; id?: string }[]): GraphDocument {
  const nodes = [
    { id: 'input', type: 'Input', params: { shape: inputShape } },
    ...layers.map((l, i) => ({ id: l.id ?? `n${i + 1}`, type: l.type, params: (l.params ?? {}) as never })),
  ];
  const edges = nodes.slice(1).map((n, i) => ({ source: nodes[i]!.id, target: n.id }));
  return { format: 'layerlab-graph', version: 1, name: 'test', nodes, edges } as GraphDocument;
}
