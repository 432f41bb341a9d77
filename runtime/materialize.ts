/** Turns the compiler's lowered model (plain data) into a TF.js LayersModel. */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LoweredModel } from '../graph-compiler/index.js';
import { Add, BatchNormalization, registerCustomLayers } from './layers/index.js';

type LayerCtor = new (config: Record<string, unknown>) => tfl.layers.Layer;

/**
 * TF.js layer names must start with a letter and use no `/` (weights are named `layer/kernel`):
 * `stage2/conv1` becomes `stage2__conv1`, and `_fc` becomes `n_fc`.
 */
export const layerName = (id: string): string => {
  const name = id.replace(/[^A-Za-z0-9_.-]/g, '__');
  return /^[A-Za-z]/.test(name) ? name : `n${name}`;
};

export interface MaterializeOptions {
  /** Seeds every initializer that takes one, so the same seed builds the same weights. */
  readonly seed?: number;
}

export function materialize(lowered: LoweredModel, options: MaterializeOptions = {}): tfl.LayersModel {
  registerCustomLayers();
  const classes = tf.serialization.SerializationMap.getMap().classNameMap;
  const tensors = new Map<string, tfl.SymbolicTensor>();
  let seed = options.seed;
  for (const node of lowered.nodes) {
    if (node.className === 'InputLayer') {
      tensors.set(node.id, tfl.input({ shape: [...node.outputShape], name: layerName(node.id) }));
      continue;
    }
    const entry = classes[node.className];
    if (!entry) throw new Error(`${node.id}: no TF.js layer class "${node.className}" is registered`);
    const Ctor = entry[0] as unknown as LayerCtor;
    // TF.js edits configs it is given (Reshape's -1 becomes null), so it gets its own copy.
    const config: Record<string, unknown> = { ...structuredClone(node.config), name: layerName(node.id) };
    if (seed !== undefined) Object.assign(config, seededInitializers(node.className, config, seed++));
    const layer = new Ctor(config);
    // The compiler's fuse pass: the batch norm or Add applies the ReLU after it while training (runtime/layers/BatchNormalization.ts, Add.ts).
    if (node.fusedActivation === 'relu' && (layer instanceof BatchNormalization || layer instanceof Add)) layer.fusedRelu = true;
    const inputs = node.inputs.map((id, port) => {
      const t = tensors.get(id)!;
      // TF.js's inference executor counts a tensor fed to two ports of one layer as one use and
      // frees it too early ("Tensor is disposed"); a linear pass-through gives the repeat its own tensor.
      if (node.inputs.indexOf(id) === port) return t;
      return tfl.layers.activation({ activation: 'linear', name: `${layerName(node.id)}__port${port}` }).apply(t) as tfl.SymbolicTensor;
    });
    const out = layer.apply(inputs.length === 1 ? inputs[0]! : inputs) as tfl.SymbolicTensor;
    tensors.set(node.id, out);
  }
  return tfl.model({
    name: layerName(lowered.name || 'model'),
    inputs: lowered.inputs.map((id) => tensors.get(id)!),
    outputs: lowered.outputs.map((id) => tensors.get(id)!),
  });
}

/** Which initializer options each kernel-bearing TF.js layer takes (SeparableConv2D refuses `kernelInitializer`). */
const KERNEL_INITIALIZERS: Record<string, readonly string[]> = {
  Dense: ['kernelInitializer'],
  Conv1D: ['kernelInitializer'],
  Conv2D: ['kernelInitializer'],
  Conv2DTranspose: ['kernelInitializer'],
  DepthwiseConv2D: ['depthwiseInitializer'],
  SeparableConv2D: ['depthwiseInitializer', 'pointwiseInitializer'],
};

/** Layers that take a `seed` of their own: dropout masks (and MultiHeadAttention's kernels). */
const SEEDED_LAYERS: readonly string[] = ['Dropout', 'MultiHeadAttention'];

/**
 * Glorot-uniform (TF.js's default) with a seed for each kernel the lowered config does not
 * set itself, and a `seed` for layers that draw random numbers of their own.
 */
function seededInitializers(className: string, config: Record<string, unknown>, seed: number): Record<string, unknown> {
  const keys = (KERNEL_INITIALIZERS[className] ?? []).filter((k) => config[k] === undefined);
  const out: Record<string, unknown> = Object.fromEntries(keys.map((k, i) => [k, tfl.initializers.glorotUniform({ seed: seed * 7 + i })]));
  if (SEEDED_LAYERS.includes(className) && config.seed === undefined) out.seed = seed * 7 + 5;
  return out;
}
