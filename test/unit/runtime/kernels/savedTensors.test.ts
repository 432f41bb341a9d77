import { beforeAll, describe, expect, it } from 'vitest';
import { tuning } from '../../../../runtime/kernels/savedTensors';
import { on, ready, relError, signed, tf } from './harness';

/** One ResNet-style block's loss and its gradients with respect to x and the filter. */
const blockGrads = (xs: Float32Array, ws: Float32Array) => () => {
  const x = tf.tensor4d(xs, [4, 5, 5, 3]);
  const w = tf.tensor4d(ws, [3, 3, 3, 3]);
  const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.add(tf.relu(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')), tf.sigmoid(a))));
  const [gx, gw] = tf.grads(f)([x, w]);
  return tf.concat([tf.reshape(gx!, [-1]), tf.reshape(gw!, [-1])]);
};

describe('tensors saved for backprop share memory on wasm instead of an Identity call each', () => {
  beforeAll(ready);

  it('gives the same gradients with and without sharing, and as the CPU backend', async () => {
    const xs = signed(4 * 5 * 5 * 3, 1);
    const ws = signed(81, 2);
    const shared = await on('wasm', blockGrads(xs, ws));
    tuning.share = false;
    const cloned = await on('wasm', blockGrads(xs, ws)).finally(() => (tuning.share = true));
    const ref = await on('cpu', blockGrads(xs, ws));
    expect(Array.from(shared.values)).toEqual(Array.from(cloned.values));
    expect(relError(shared.values, ref.values)).toBeLessThanOrEqual(1e-5);
  });

  it('runs no Identity kernel for saved tensors, and leaks none', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor1d([0.5, -1, 2]);
    const before = tf.memory().numTensors;
    const info = await tf.profile(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.sigmoid(t), tf.exp(t))))(x));
    (info.result as tf.Tensor).dispose();
    expect(info.kernelNames).not.toContain('Identity');
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('runs no Identity kernel for a custom-gradient op’s saved tensors either (fused conv2d + bias, softmax cross-entropy)', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d(signed(2 * 4 * 4 * 2, 4), [2, 4, 4, 2]);
    const w = tf.tensor4d(signed(3 * 3 * 2 * 3, 5), [3, 3, 2, 3]);
    const b = tf.tensor1d([0.1, -0.2, 0.3]);
    const labels = tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3);
    const before = tf.memory().numTensors;
    const loss = (f: tf.Tensor) => tf.losses.softmaxCrossEntropy(labels, tf.mean(tf.fused.conv2d({ x, filter: f as tf.Tensor4D, strides: 1, pad: 'same', bias: b }), [1, 2])) as tf.Scalar;
    const info = await tf.profile(() => tf.grad(loss)(w));
    (info.result as tf.Tensor).dispose();
    expect(info.kernelNames).toContain('FusedConv2D');
    expect(info.kernelNames).not.toContain('Identity');
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w, b, labels]);
  });

  it('keeps second-order gradients right (nested tapes keep tfjs’s clone): d²/dx² Σ x³ = 6x', async () => {
    const run = () => tf.grad((x: tf.Tensor) => tf.sum(tf.grad((y: tf.Tensor) => tf.sum(tf.mul(tf.mul(y, y), y)))(x)))(tf.tensor1d([0.5, -1, 2]));
    const ours = await on('wasm', run);
    expect(Array.from(ours.values)).toEqual([3, -6, 12]);
  });
});
