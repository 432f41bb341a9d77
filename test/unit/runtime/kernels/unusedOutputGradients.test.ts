import { beforeAll, describe, expect, it } from 'vitest';
import { engine } from '@tensorflow/tfjs-core';
import { geluOp } from '../../../../runtime/kernels/gelu';
import { layerNormOp } from '../../../../runtime/kernels/layerNorm';
import { on, ready, relError, signed, tf } from './harness';

/** Tensors of zeros of `shape` made from JS values (how tfjs-core's tape fills in missing gradients) while f runs. */
function zeroTensorsOf(shape: number[], f: () => void): number {
  const e = engine() as unknown as { makeTensor: (...args: unknown[]) => tf.Tensor };
  const make = e.makeTensor;
  let calls = 0;
  e.makeTensor = function (this: unknown, ...args: unknown[]) {
    const values = args[0] as ArrayLike<number>;
    if (JSON.stringify(args[1]) === JSON.stringify(shape) && Array.prototype.every.call(values, (v: number) => v === 0)) calls++;
    return make.apply(this, args);
  };
  try {
    f();
  } finally {
    e.makeTensor = make;
  }
  return calls;
}

describe("our kernels' secondary outputs get null gradients on the tape, not zero tensors", () => {
  beforeAll(ready);

  it("GELU's saved derivative: no zero tensor of its shape, and the gradient still matches CPU", async () => {
    const xs = signed(4 * 33, 5);
    await tf.setBackend('wasm');
    const calls = zeroTensorsOf([4, 33], () => tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(geluOp(t)))(tf.tensor2d(xs, [4, 33])).dataSync()));
    expect(calls).toBe(0);
    const grad = () => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(t, tf.sigmoid(tf.mul(t, 1.702)))))(tf.tensor2d(xs, [4, 33]));
    const ours = await on('wasm', () => tf.grad((t: tf.Tensor) => tf.sum(geluOp(t)))(tf.tensor2d(xs, [4, 33])));
    // GELU's exact gradient vs the sigmoid approximation's: the point is only that ours is a real gradient, not zeros.
    const approx = await on('cpu', grad);
    expect(relError(ours.values, approx.values)).toBeLessThan(0.05);
  });

  it("layer norm's statistics ([rows] each): no zero tensors of their shape", async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor2d(signed(6 * 8, 7), [6, 8]);
    const gamma = tf.tensor1d(signed(8, 8));
    const beta = tf.tensor1d(signed(8, 9));
    const calls = zeroTensorsOf([6], () => tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(tf.square(layerNormOp(t, gamma, beta, 1e-3))))(x).dataSync()));
    expect(calls).toBe(0);
    tf.dispose([x, gamma, beta]);
  });
});
