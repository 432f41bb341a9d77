import { beforeAll, describe, expect, it } from 'vitest';
import { tuning } from '../../../../runtime/kernels/conv2DBackpropInput';
import { on, ready, relError, signed, tf } from './harness';

/** Float32 sums of O(1) terms in another order. */
const TOLERANCE = 1e-5;

const xShape = [3, 7, 6, 2];
const wShape = [3, 3, 2, 4];
const x = signed(xShape.reduce((a, b) => a * b), 1);
const w = signed(wShape.reduce((a, b) => a * b), 2);
const bias = signed(4, 3);

/** sum(fused conv²) of the data `x`, through the op tfjs-layers' Conv2D uses (linear: only then does it stay fused under a gradient). */
function loss(xt: tf.Tensor, wt: tf.Tensor, bt: tf.Tensor): tf.Scalar {
  const y = tf.fused.conv2d({ x: xt as tf.Tensor4D, filter: wt as tf.Tensor4D, bias: bt, strides: 2, pad: 'same', activation: 'linear' });
  return tf.sum(tf.square(y));
}

describe("fused conv gradients skip the data batch's dx (wasm)", () => {
  beforeAll(ready);

  it(`skips dx when only the weights are differentiated, with dW and db as on CPU (max rel. error ${TOLERANCE})`, async () => {
    const before = tuning.skipped;
    const grads = () => {
      const xt = tf.tensor4d(x, xShape as [number, number, number, number]);
      const [dw, db] = tf.grads((a: tf.Tensor, b: tf.Tensor) => loss(xt, a, b))([tf.tensor4d(w, wShape as [number, number, number, number]), tf.tensor1d(bias)]);
      return tf.concat([tf.reshape(dw!, [-1]), db!]);
    };
    const ours = await on('wasm', grads);
    expect(tuning.skipped).toBe(before + 1);
    const ref = await on('cpu', grads);
    expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('still computes dx when it is asked for', async () => {
    const before = tuning.skipped;
    const grads = () => {
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => loss(a, b, tf.tensor1d(bias)))([tf.tensor4d(x, xShape as [number, number, number, number]), tf.tensor4d(w, wShape as [number, number, number, number])]);
      return tf.concat([tf.reshape(dx!, [-1]), tf.reshape(dw!, [-1])]);
    };
    const ours = await on('wasm', grads);
    expect(tuning.skipped).toBe(before);
    const ref = await on('cpu', grads);
    expect(Math.max(...ours.values.map(Math.abs))).toBeGreaterThan(0);
    expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('computes dx of a second convolution (its input comes from the first, so it is needed)', async () => {
    const before = tuning.skipped;
    const w2 = signed(3 * 3 * 4 * 3, 4);
    const grads = () => {
      const xt = tf.tensor4d(x, xShape as [number, number, number, number]);
      const [dw1, dw2] = tf.grads((a: tf.Tensor, b: tf.Tensor) => {
        const h = tf.fused.conv2d({ x: xt, filter: a as tf.Tensor4D, bias: tf.tensor1d(bias), strides: 1, pad: 'same', activation: 'linear' });
        return loss(h, b, tf.zeros([3]));
      })([tf.tensor4d(w, wShape as [number, number, number, number]), tf.tensor4d(w2, [3, 3, 4, 3])]);
      return tf.concat([tf.reshape(dw1!, [-1]), tf.reshape(dw2!, [-1])]);
    };
    const ours = await on('wasm', grads);
    expect(tuning.skipped).toBe(before + 1);
    const ref = await on('cpu', grads);
    expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
  });
});
