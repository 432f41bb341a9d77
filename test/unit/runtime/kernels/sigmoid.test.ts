import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { on, ready, signed, simdBuilt, tf } from './harness';

/** The exponential's ~1.7e-7 relative error and one float32 division, on values in [0, 1]: absolute. */
const TOLERANCE = 3e-7;

const maxAbsDiff = (a: Float32Array, b: Float32Array) => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Number.isNaN(a[i]!) !== Number.isNaN(b[i]!) ? Infinity : Number.isNaN(a[i]!) ? 0 : Math.abs(a[i]! - b[i]!));
  return d;
};

describe('Sigmoid on wasm (simd/act.c on every thread) vs CPU', () => {
  beforeAll(ready);
  afterEach(async () => {
    (await import('../../../../runtime/kernels/sigmoid')).tuning.ours = 'always';
  });

  it(`matches on random sizes (tails of n % 4 too) and inputs of both signs up to ±30 (max abs. error ${TOLERANCE})`, async (ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    (await import('../../../../runtime/kernels/sigmoid')).tuning.ours = 'always';
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 70_000 }), fc.nat(), async (n, seed) => {
        const xs = signed(n, seed).map((v) => v * 30);
        const ours = await on('wasm', () => tf.sigmoid(tf.tensor1d(xs)));
        const ref = await on('cpu', () => tf.sigmoid(tf.tensor1d(xs)));
        expect(maxAbsDiff(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
      }),
      { numRuns: 30 },
    );
  });

  it('saturates, keeps NaN, and its gradient is unchanged', async (ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    (await import('../../../../runtime/kernels/sigmoid')).tuning.ours = 'always';
    const xs = new Float32Array([0, -0, 100, -100, 1e30, -1e30, Infinity, -Infinity, NaN, 0.5, -0.5, 3]);
    const ours = await on('wasm', () => tf.sigmoid(tf.tensor1d(xs)));
    const ref = await on('cpu', () => tf.sigmoid(tf.tensor1d(xs)));
    expect(maxAbsDiff(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
    const g = (x: tf.Tensor) => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.sigmoid(t), tf.range(0, 8))))(x);
    const dOurs = await on('wasm', () => g(tf.tensor1d(xs.slice(0, 8))));
    const dRef = await on('cpu', () => g(tf.tensor1d(xs.slice(0, 8))));
    expect(maxAbsDiff(dOurs.values, dRef.values)).toBeLessThanOrEqual(2e-6);
  });
});
