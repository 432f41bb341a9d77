/**
 * Fusion: marks lowered layers that may run the layer after them inside their own training
 * kernel. Two patterns, batch norm → ReLU (every ResNet and DenseNet block) and Add → ReLU
 * (ResNet's residual joins): when the ReLU Activation is the only reader of the layer's
 * output and that output is not a model output, the layer gets `fusedActivation: 'relu'`.
 * The model keeps both layers (saved models, inference and other backends are unchanged);
 * the runtime applies the ReLU in the layer's kernel while training on wasm, and the ReLU
 * layer passes that through.
 */
import type { LoweredModel, LoweredNode } from './lower.js';

/** Lowered classes whose training kernel can apply a ReLU after them. */
const FUSES_RELU = new Set(['BatchNormalization', 'Add']);

const isRelu = (n: LoweredNode): boolean => n.className === 'Activation' && n.config.activation === 'relu';

export function fuse(model: LoweredModel): LoweredModel {
  const readers = new Map<string, LoweredNode[]>();
  for (const n of model.nodes) for (const id of n.inputs) readers.set(id, [...(readers.get(id) ?? []), n]);
  const outputs = new Set(model.outputs);
  const nodes = model.nodes.map((n): LoweredNode => {
    const after = readers.get(n.id) ?? [];
    const fusable = FUSES_RELU.has(n.className) && !outputs.has(n.id) && after.length === 1 && isRelu(after[0]!);
    return fusable ? { ...n, fusedActivation: 'relu' } : n;
  });
  return { ...model, nodes };
}
