/**
 * Fusion: marks lowered layers that may run the layer after them inside their own training
 * kernel. For now one pattern, batch norm → ReLU (every ResNet and DenseNet block): when the
 * ReLU Activation is the only reader of the batch norm's output and that output is not a
 * model output, the batch norm gets `fusedActivation: 'relu'`. The model keeps both layers
 * (saved models, inference and other backends are unchanged); the runtime applies the ReLU
 * in the batch-norm kernel while training on wasm, and the ReLU layer passes that through.
 */
import type { LoweredModel, LoweredNode } from './lower.js';

const isRelu = (n: LoweredNode): boolean => n.className === 'Activation' && n.config.activation === 'relu';

export function fuse(model: LoweredModel): LoweredModel {
  const readers = new Map<string, LoweredNode[]>();
  for (const n of model.nodes) for (const id of n.inputs) readers.set(id, [...(readers.get(id) ?? []), n]);
  const outputs = new Set(model.outputs);
  const nodes = model.nodes.map((n): LoweredNode => {
    const after = readers.get(n.id) ?? [];
    const fusable = n.className === 'BatchNormalization' && !outputs.has(n.id) && after.length === 1 && isRelu(after[0]!);
    return fusable ? { ...n, fusedActivation: 'relu' } : n;
  });
  return { ...model, nodes };
}
