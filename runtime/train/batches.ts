/** Turns a split into shuffled (seeded) float32 batches. */
import * as tf from '@tensorflow/tfjs-core';
import type { Split } from '../datasets/dataset.js';
import { prng } from '../datasets/synthetic.js';

export function shuffledIndices(count: number, seed: number): Uint32Array {
  const idx = new Uint32Array(count);
  for (let i = 0; i < count; i++) idx[i] = i;
  const rnd = prng(seed);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return idx;
}

export interface Batch {
  xs: tf.Tensor;
  readonly ys: tf.Tensor1D;
  readonly size: number;
}

/**
 * Builds the batch of examples `order[start, start+size)`, resized to `resizeTo` (height, width)
 * when given; the caller owns (disposes) the tensors.
 */
export function makeBatch(split: Split, order: ArrayLike<number>, start: number, size: number, shape: readonly number[], scale: number, resizeTo?: readonly [number, number]): Batch {
  const dim = shape.reduce((a, b) => a * b, 1);
  const n = Math.min(size, order.length - start);
  const x = new Float32Array(n * dim);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = order[start + i]!;
    const src = split.images.subarray(k * dim, (k + 1) * dim);
    const off = i * dim;
    for (let j = 0; j < dim; j++) x[off + j] = src[j]! * scale;
    y[i] = split.labels[k]!;
  }
  const xs = tf.tensor(x, [n, ...shape]);
  if (!resizeTo) return { xs, ys: tf.tensor1d(y, 'int32'), size: n };
  const resized = tf.image.resizeBilinear(xs as tf.Tensor4D, [resizeTo[0], resizeTo[1]]);
  xs.dispose();
  return { xs: resized, ys: tf.tensor1d(y, 'int32'), size: n };
}
