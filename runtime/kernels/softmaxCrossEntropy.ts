/**
 * Softmax cross-entropy over a batch of logits as one kernel on wasm, and its gradient as
 * one more. tf.losses.softmaxCrossEntropy is ~20 kernels forward (log-sum-exp, the product
 * with the labels, the mean, casts and reshapes) and ~12 backward: ~0.2 ms of engine work
 * a step for 2,560 numbers (LeNet, batch 256). Same values and gradients as tfjs's (mean
 * over rows, no weights, no label smoothing): loss = mean_r Σ_c labels·(lse_r - logits),
 * d logits = dy/N · (softmax - labels), d labels = -d logits. Other backends, other dtypes
 * and shapes take tf.losses.softmaxCrossEntropy.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, KernelConfig, KernelFunc, NamedAttrMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import { alloc, heapF32, heapI32 } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

export const SoftmaxCrossEntropy = 'LayerlabSoftmaxCrossEntropy';
export const SoftmaxCrossEntropyGrad = 'LayerlabSoftmaxCrossEntropyGrad';

/** Labels as numbers, whether one-hot int32 (tf.oneHot's) or float32. */
function labelValues(backend: WasmBackend, labels: TensorInfo): Float32Array | Int32Array {
  return labels.dtype === 'int32' ? heapI32(backend, labels) : heapF32(backend, labels);
}

/** The largest of x[o..o + c) (NaN if any is NaN). */
function rowMax(x: Float32Array, o: number, c: number): number {
  let max = -Infinity;
  for (let i = o; i < o + c; i++) if (x[i]! > max || Number.isNaN(x[i]!)) max = x[i]!;
  return max;
}

/** Row r's log-sum-exp of logits (float64 sums). */
function logSumExp(x: Float32Array, o: number, c: number): number {
  const max = rowMax(x, o, c);
  if (!Number.isFinite(max)) return max;
  let s = 0;
  for (let i = o; i < o + c; i++) s += Math.exp(x[i]! - max);
  return max + Math.log(s);
}

function softmaxCrossEntropy(args: { inputs: { labels: TensorInfo; logits: TensorInfo }; backend: WasmBackend }): TensorInfo {
  const { inputs, backend } = args;
  const [n, c] = inputs.logits.shape as [number, number];
  const x = heapF32(backend, inputs.logits);
  const y = labelValues(backend, inputs.labels);
  let total = 0;
  for (let r = 0; r < n; r++) {
    const o = r * c;
    const lse = logSumExp(x, o, c);
    for (let i = o; i < o + c; i++) if (y[i] !== 0) total += y[i]! * (lse - x[i]!);
  }
  const out = alloc(backend, []);
  heapF32(backend, out)[0] = total / n;
  return out;
}

/** d logits = dy/N · (softmax - labels) for a scalar dy. */
function softmaxCrossEntropyGrad(args: { inputs: { dy: TensorInfo; labels: TensorInfo; logits: TensorInfo }; backend: WasmBackend }): TensorInfo {
  const { inputs, backend } = args;
  const [n, c] = inputs.logits.shape as [number, number];
  const x = heapF32(backend, inputs.logits);
  const y = labelValues(backend, inputs.labels);
  const scale = heapF32(backend, inputs.dy)[0]! / n;
  const out = alloc(backend, [n, c]);
  const dx = heapF32(backend, out);
  for (let r = 0; r < n; r++) {
    const o = r * c;
    // softmax = e / Σe with e = exp(x - max): one exponential an element (the forward's
    // log-sum-exp and then exp(x - lse) took three).
    const max = rowMax(x, o, c);
    if (!Number.isFinite(max)) {
      for (let i = o; i < o + c; i++) dx[i] = scale * (Math.exp(x[i]! - max) - y[i]!);
      continue;
    }
    let sum = 0;
    for (let i = o; i < o + c; i++) {
      const e = Math.exp(x[i]! - max);
      dx[i] = e;
      sum += e;
    }
    const k = scale / sum;
    for (let i = o; i < o + c; i++) dx[i] = k * dx[i]! - scale * y[i]!;
  }
  return out;
}

export const softmaxCrossEntropyConfig: KernelConfig = { kernelName: SoftmaxCrossEntropy, backendName: 'wasm', kernelFunc: softmaxCrossEntropy as unknown as KernelFunc };
export const softmaxCrossEntropyGradConfig: KernelConfig = { kernelName: SoftmaxCrossEntropyGrad, backendName: 'wasm', kernelFunc: softmaxCrossEntropyGrad as unknown as KernelFunc };

/** Its gradient: one kernel for the logits' (the labels' is its negation, as in tfjs). */
export const softmaxCrossEntropyGradient: GradConfig = {
  kernelName: SoftmaxCrossEntropy,
  inputsToSave: ['labels', 'logits'],
  gradFunc: (dy, saved) => {
    const [labels, logits] = saved as [Tensor, Tensor];
    const dLogits = () => tf.engine().runKernel(SoftmaxCrossEntropyGrad, { dy: dy as Tensor, labels, logits }) as Tensor;
    return { logits: dLogits, labels: () => tf.neg(dLogits()) };
  },
};

/**
 * tf.losses.softmaxCrossEntropy(labels, logits) with default options: our kernel on wasm
 * for [N, C] float32 logits and same-shaped float32 or int32 labels, tfjs's elsewhere.
 */
export function softmaxCrossEntropyLoss(labels: tf.Tensor, logits: tf.Tensor): tf.Scalar {
  const ours =
    tf.getBackend() === 'wasm' &&
    tf.getKernel(SoftmaxCrossEntropy, 'wasm') !== undefined &&
    logits.dtype === 'float32' &&
    logits.rank === 2 &&
    (labels.dtype === 'float32' || labels.dtype === 'int32') &&
    tf.util.arraysEqual(labels.shape, logits.shape);
  if (!ours) return tf.losses.softmaxCrossEntropy(labels, logits);
  return tf.engine().runKernel(SoftmaxCrossEntropy, { labels, logits } as unknown as tf.NamedTensorMap, {} as NamedAttrMap) as tf.Scalar;
}
