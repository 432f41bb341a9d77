/** Shared helpers for user datasets: a seeded train/test split of per-example arrays. */
import { shuffledIndices } from '../train/batches.js';
import type { Split } from './dataset.js';

/** Splits `count` examples of `dim` values each into train and test, shuffled with `seed`. */
export function splitExamples<T extends Uint8Array | Float32Array>(images: T, labels: Uint8Array, dim: number, testFraction: number, seed: number): { train: Split; test: Split } {
  const count = labels.length;
  const order = shuffledIndices(count, seed);
  const testCount = Math.round(count * testFraction);
  const take = (from: number, to: number): Split => {
    const n = to - from;
    const x = new (images.constructor as new (n: number) => T)(n * dim);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const k = order[from + i]!;
      x.set(images.subarray(k * dim, (k + 1) * dim), i * dim);
      y[i] = labels[k]!;
    }
    return { images: x, labels: y, count: n };
  };
  return { test: take(0, testCount), train: take(testCount, count) };
}
