/** Small helpers shared by the custom layers. */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { Dropout as DropoutKernel, dropoutKernelOp, fmix32 } from '../kernels/dropout.js';

/** x [..., d] · w [d, e] for any leading rank: TF.js matMul wants matching batch ranks, so flatten first. */
export function dense(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor | null): tf.Tensor {
  const lead = x.shape.slice(0, -1);
  // The fused product adds the bias in the same pass (on wasm our kernel starts from it).
  const y = tf.fused.matMul({ a: tf.reshape(x, [-1, x.shape.at(-1)!]) as tf.Tensor2D, b: w as tf.Tensor2D, bias: b ?? undefined });
  return tf.reshape(y, [...lead, w.shape[1]!]);
}

/** The single tensor of a one-input layer, whether TF.js passes it alone or in an array. */
export const single = (inputs: tf.Tensor | tf.Tensor[]): tf.Tensor => (Array.isArray(inputs) ? inputs[0]! : inputs);

/**
 * Seeds for the dropout masks of one layer: a different mask on every call, the same
 * sequence for the same base seed (seeded runs repeat). Without a base seed, a random one.
 */
export class DropoutSeeds {
  private calls = 0;
  constructor(readonly base: number = Math.floor(Math.random() * 2 ** 32)) {}
  next(): number {
    return fmix32((this.base ^ fmix32(this.calls++)) >>> 0);
  }
}

/** Dropout of `x` at `rate`: the one-pass kernel on wasm, `tf.dropout` (same seed, other stream) elsewhere. */
export function dropout(x: tf.Tensor, rate: number, seed: number): tf.Tensor {
  if (onWasm(x, DropoutKernel)) return dropoutKernelOp(x, rate, seed);
  return tf.dropout(x, rate, undefined, seed);
}

/**
 * The class behind a tfjs-layers factory (tfjs-layers exports factories, not classes), for
 * our subclasses that replace a stock layer under its own name.
 */
export function stockLayerClass<A>(factory: (args: A) => tfl.layers.Layer, args: A): (new (args: A) => tfl.layers.Layer) & Pick<typeof tfl.layers.Layer, 'fromConfig'> {
  return Object.getPrototypeOf(factory(args)).constructor;
}

/** Whether our wasm kernel `kernel` can take `x` now: float32, on the wasm backend, kernels registered. */
export function onWasm(x: tf.Tensor, kernel: string): boolean {
  return x.dtype === 'float32' && tf.getBackend() === 'wasm' && tf.getKernel(kernel, 'wasm') !== undefined;
}

/**
 * Tensors a BatchNormalization or Add layer has already passed through ReLU (graph-compiler's
 * fuse pass pairs it with the ReLU layer that alone reads its output): that ReLU layer
 * returns them as they are. A WeakSet, so that the ReLU is skipped only when the fused
 * kernel actually ran (training on wasm), never on any other path.
 */
const rectified = new WeakSet<tf.Tensor>();
export const markRectified = (t: tf.Tensor): void => void rectified.add(t);
export const isRectified = (t: tf.Tensor): boolean => rectified.has(t);
