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

/** Non-finite values (NaN, ±Infinity) must match exactly; relError then compares the rest. */
const sameNonFinite = (a: Float32Array, b: Float32Array) => a.every((v, i) => Number.isFinite(v) === Number.isFinite(b[i]!) && (Number.isFinite(v) || Object.is(v, b[i]!)));
const finite = (a: Float32Array) => a.map((v) => (Number.isFinite(v) ? v : 0));

describe('Sigmoid, Tanh and Relu gradients on wasm (one pass each) vs tfjs-core on CPU', () => {
  beforeAll(ready);

  it.for(['our SIMD module (simd/act.c) and a JS tail', JS_ONLY] as const)(`match tfjs-core's formulas on the same saved values, with zeros, ±Infinity and NaN (max rel. error ${TOLERANCE}): %s`, async (path, ctx) => {
    // The saved value itself (y for sigmoid and tanh, x for relu) is given, so that only the
    // gradient is compared: wasm's and CPU's tanh differ in the last bit, which 1 - y² magnifies.
    const formulas: Record<Name, (dy: tf.Tensor, s: tf.Tensor) => tf.Tensor> = {
      sigmoid: (dy, y) => tf.mul(dy, tf.mul(y, tf.sub(1, y))),
      tanh: (dy, y) => tf.mul(tf.sub(1, tf.square(y)), dy),
      relu: (dy, x) => tf.mul(dy, tf.cast(tf.step(x), 'float32')),
    };
    await onPath(path, ctx, () =>
      fc.assert(
        fc.asyncProperty(fc.constantFrom<Name>('sigmoid', 'tanh', 'relu'), fc.integer({ min: 1, max: 300 }), fc.nat(), async (name, n, seed) => {
          const specials = [0, -0, Infinity, -Infinity, NaN];
          const ss = signed(n, seed).map((v, i) => (i % 17 === 5 ? specials[i % specials.length]! : name === 'relu' ? v * 6 : name === 'sigmoid' ? (v + 1) / 2 : v));
          const dys = signed(n, seed + 1);
          const ours = await on('wasm', () => tf.engine().runKernel(ActivationGrad, { dy: tf.tensor1d(dys), s: tf.tensor1d(ss) }, { kind: name }) as tf.Tensor);
          const ref = await on('cpu', () => formulas[name](tf.tensor1d(dys), tf.tensor1d(ss)));
          expect(sameNonFinite(ours.values, ref.values)).toBe(true);
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
