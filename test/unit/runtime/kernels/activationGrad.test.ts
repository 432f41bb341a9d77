import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ActivationGrad } from '../../../../runtime/kernels/activationGrad';
import { JS_ONLY, on, onPath, ready, relError, signed, tf } from './harness';

/** One or two float32 products, in another order than tfjs-core's op chain. */
const TOLERANCE = 1e-6;

const ACTIVATIONS = { sigmoid: tf.sigmoid, tanh: tf.tanh, relu: tf.relu } as const;
type Name = keyof typeof ACTIVATIONS;

/** The gradient of Σ act(x)·dy with respect to x. */
const gradOf = (name: Name, xs: Float32Array, dys: Float32Array) => () =>
  tf.grad((t: tf.Tensor) => tf.sum(tf.mul(ACTIVATIONS[name](t), tf.tensor1d(dys))))(tf.tensor1d(xs));

/** relError, but NaN must meet NaN. */
const sameNaNs = (a: Float32Array, b: Float32Array) => a.every((v, i) => Number.isNaN(v) === Number.isNaN(b[i]!));
const finite = (a: Float32Array) => a.map((v) => (Number.isNaN(v) ? 0 : v));

describe('Sigmoid, Tanh and Relu gradients on wasm (one pass each) vs tfjs-core on CPU', () => {
  beforeAll(ready);

  it.for(['our SIMD module (simd/act.c) and a JS tail', JS_ONLY] as const)(`match on random inputs with zeros, ±Infinity and NaN (max rel. error ${TOLERANCE}): %s`, async (path, ctx) => {
    await onPath(path, ctx, () =>
      fc.assert(
        fc.asyncProperty(fc.constantFrom<Name>('sigmoid', 'tanh', 'relu'), fc.integer({ min: 1, max: 300 }), fc.nat(), async (name, n, seed) => {
          const specials = [0, -0, Infinity, -Infinity, NaN];
          const xs = signed(n, seed).map((v, i) => (i % 17 === 5 ? specials[i % specials.length]! : v * 6));
          const dys = signed(n, seed + 1);
          const ours = await on('wasm', gradOf(name, xs, dys));
          const ref = await on('cpu', gradOf(name, xs, dys));
          expect(sameNaNs(ours.values, ref.values)).toBe(true);
          expect(relError(finite(ours.values), finite(ref.values))).toBeLessThanOrEqual(TOLERANCE);
        }),
        { numRuns: 60 },
      ),
    );
  });

  it('matches on 100,003 elements (slices on both threads, then the JS tail)', async () => {
    const xs = signed(100_003, 3).map((v) => v * 6);
    const dys = signed(100_003, 4);
    for (const name of ['sigmoid', 'tanh', 'relu'] as const) {
      const ours = await on('wasm', gradOf(name, xs, dys));
      const ref = await on('cpu', gradOf(name, xs, dys));
      expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('is one kernel on wasm and tfjs-core’s op chain on CPU', async () => {
    const kernelsOn = async (backend: string) => {
      await tf.setBackend(backend);
      const info = await tf.profile(() => gradOf('sigmoid', new Float32Array([0.5, -1, 2]), new Float32Array([1, 2, 3]))());
      tf.dispose(info.result as tf.Tensor);
      return info.kernelNames;
    };
    expect(await kernelsOn('wasm')).toContain(ActivationGrad);
    expect(await kernelsOn('cpu')).not.toContain(ActivationGrad);
  });
});
