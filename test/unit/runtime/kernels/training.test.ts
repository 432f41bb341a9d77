import { beforeAll, describe, expect, it } from 'vitest';
import { on, ready, relError, signed, tf } from './harness';

/** Whole-network gradients: many float32 sums in different orders. */
const TOLERANCE = 1e-4;

/** A small conv net touching every kernel we register: conv, depthwise conv, max/avg pool, dense. */
function makeParams(seed: number): tf.Variable[] {
  const v = (shape: number[], s: number, scale: number) => tf.variable(tf.mul(tf.tensor(signed(shape.reduce((a, b) => a * b), s), shape), scale));
  return [
    v([3, 3, 2, 4], seed, 0.5),
    v([3, 3, 4, 2], seed + 1, 0.5),
    v([2, 2, 8, 3], seed + 2, 0.5),
    v([3 * 2 * 2, 5], seed + 3, 0.3),
  ];
}

function loss(params: tf.Tensor[], x: tf.Tensor4D, y: tf.Tensor2D): tf.Scalar {
  const [w1, dw, w2, dense] = params as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor2D];
  let h: tf.Tensor4D = tf.conv2d(x, w1, 1, 'same');
  h = tf.maxPool(h, 2, 2, 'same');
  h = tf.depthwiseConv2d(h, dw, 1, 'same');
  h = tf.conv2d(h, w2, 2, 'valid');
  h = tf.avgPool(tf.sigmoid(h), 2, 1, 'same');
  const logits = tf.matMul(tf.reshape(h, [x.shape[0], -1]), dense);
  return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
}

const xData = signed(4 * 8 * 8 * 2, 11);
/** One-hot labels 0, 3, 1, 4 of 5 classes. */
const labels = [0, 3, 1, 4].flatMap((c) => [0, 1, 2, 3, 4].map((j) => (j === c ? 1 : 0)));

describe('training a small conv net on wasm', () => {
  beforeAll(ready);

  it(`gives the same gradients as the CPU backend (max rel. error ${TOLERANCE})`, async () => {
    const grads = (): tf.Tensor => {
      const params = makeParams(5).map((p) => tf.clone(p));
      const x = tf.tensor4d(xData, [4, 8, 8, 2]);
      const y = tf.tensor2d(labels, [4, 5]);
      const gs = tf.grads((...ps: tf.Tensor[]) => loss(ps, x, y))(params);
      return tf.concat(gs.map((g) => tf.reshape(g, [-1])));
    };
    const ours = await on('wasm', grads);
    const ref = await on('cpu', grads);
    expect(ours.values.some((v) => v !== 0)).toBe(true);
    expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('keeps tf.memory().numTensors flat across optimizer steps', async () => {
    await tf.setBackend('wasm');
    const params = makeParams(9);
    const opt = tf.train.adam(0.01);
    const x = tf.tensor4d(xData, [4, 8, 8, 2]);
    const y = tf.tensor2d(labels, [4, 5]);
    const step = () => tf.dispose(opt.minimize(() => loss(params, x, y), true) ?? []);
    step(); // the optimizer creates its slot variables on the first step
    const before = tf.memory().numTensors;
    const losses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const l = opt.minimize(() => loss(params, x, y), true)!;
      losses.push(l.dataSync()[0]!);
      l.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    tf.dispose([x, y, ...params]);
    opt.dispose();
  });
});
