import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels, wasmTrainingKernels } from '../../../../runtime/kernels';
import { relError, signed } from './harness';

// runtime/backend.ts registers our kernels before the wasm backend initialises; the stock
// kernels we replace must still get their setup (our BatchMatMul delegates to the stock one).
describe('registerWasmTrainingKernels', () => {
  it('works when called before setBackend, and twice', async () => {
    registerWasmTrainingKernels();
    registerWasmTrainingKernels();
    await tf.setBackend('wasm');
    for (const k of wasmTrainingKernels) expect(tf.getKernel(k.kernelName, 'wasm')?.kernelFunc).toBe(k.kernelFunc);
    const x = signed(2 * 6 * 6 * 3, 1);
    const w = signed(3 * 3 * 3 * 4, 2);
    const grads = () =>
      tf.tidy(() => {
        const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'))))([tf.tensor(x, [2, 6, 6, 3]), tf.tensor(w, [3, 3, 3, 4])]);
        return Float32Array.from(tf.concat([tf.reshape(gx!, [-1]), tf.reshape(gw!, [-1])]).dataSync());
      });
    const ours = grads();
    await tf.setBackend('cpu');
    const ref = grads();
    expect(relError(ours, ref)).toBeLessThanOrEqual(1e-5);
  });
});
