import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { on, ready, relError, signed, tf } from './harness';
import { SoftmaxCrossEntropy, softmaxCrossEntropyLoss } from '../../../../runtime/kernels/softmaxCrossEntropy';

/** Float64 sums against tfjs's float32 op chain. */
const TOLERANCE = 1e-5;

/** One-hot labels (int32, as tf.oneHot gives) or soft float32 ones of rows × classes. */
function labelsOf(rows: number, classes: number, seed: number, soft: boolean): tf.Tensor {
  if (!soft) return tf.oneHot(tf.tensor1d(Array.from(signed(rows, seed), (v) => Math.floor(((v + 1) / 2) * classes)), 'int32'), classes);
  return tf.softmax(tf.tensor2d(signed(rows * classes, seed), [rows, classes]));
}

describe('softmax cross-entropy as one kernel on wasm vs tf.losses.softmaxCrossEntropy on CPU', () => {
  beforeAll(ready);

  it(`matches the loss and both gradients on random batches, classes and logit scales, one-hot and soft labels (max rel. error ${TOLERANCE})`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 2, max: 40 }),
        fc.constantFrom(0.1, 1, 30),
        fc.boolean(),
        fc.nat(),
        async (rows, classes, scale, soft, seed) => {
          const logits = signed(rows * classes, seed + 1).map((v) => v * scale);
          const run = (loss: (y: tf.Tensor, x: tf.Tensor) => tf.Scalar) => () => {
            const y = labelsOf(rows, classes, seed, soft);
            const x = tf.tensor2d(logits, [rows, classes]);
            // Weighted so that dy is not 1; both gradients, flattened after the loss.
            const f = (a: tf.Tensor, b: tf.Tensor) => tf.mul(loss(a, b), 3);
            const [dy, dx] = tf.grads(f)([tf.cast(y, 'float32'), x]);
            return tf.concat([tf.reshape(f(y, x), [1]), tf.reshape(dy!, [-1]), tf.reshape(dx!, [-1])]);
          };
          const kernelsBefore = tf.engine().state.numTensors;
          const ours = await on('wasm', run(softmaxCrossEntropyLoss));
          expect(tf.engine().state.numTensors).toBe(kernelsBefore);
          const ref = await on('cpu', run((y, x) => tf.losses.softmaxCrossEntropy(y, x)));
          expect(relError(ours.values.subarray(0, 1), ref.values.subarray(0, 1))).toBeLessThanOrEqual(TOLERANCE);
          expect(relError(ours.values.subarray(1), ref.values.subarray(1))).toBeLessThanOrEqual(TOLERANCE);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('runs as one kernel on wasm (int32 one-hot labels read as they are) and takes tfjs\'s loss elsewhere', async () => {
    await tf.setBackend('wasm');
    const seen: string[] = [];
    const x = tf.tensor2d(signed(8 * 3, 5), [8, 3]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3);
    const profile = await tf.profile(() => softmaxCrossEntropyLoss(y, x));
    seen.push(...profile.kernels.map((k) => k.name));
    expect(seen).toEqual([SoftmaxCrossEntropy]);
    const onCpu = await on('cpu', () => softmaxCrossEntropyLoss(tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3), tf.tensor2d(signed(8 * 3, 5), [8, 3])));
    const onWasm = await on('wasm', () => softmaxCrossEntropyLoss(y, x));
    expect(relError(onWasm.values, onCpu.values)).toBeLessThanOrEqual(TOLERANCE);
    tf.dispose([x, y]);
  });

  it('gives NaN for a NaN logit, as tfjs does', async () => {
    const run = () => softmaxCrossEntropyLoss(tf.tensor2d([[0, 1], [1, 0]]), tf.tensor2d([[1, 2], [NaN, 0]]));
    const ours = await on('wasm', run);
    const ref = await on('cpu', run);
    expect(Number.isNaN(ref.values[0]!)).toBe(true);
    expect(Number.isNaN(ours.values[0]!)).toBe(true);
  });
});
