import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tuning as addTuning } from '../../../../runtime/kernels/add';
import { tuning as reluTuning } from '../../../../runtime/kernels/relu';
import { on, ready, signed, simdBuilt, tf } from './harness';

/** The same values, NaN where the other has NaN (both are exact: one add or one comparison). */
const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]) || (Number.isNaN(v) && Number.isNaN(b[i]!)));

describe('Relu and same-shape Add on wasm (simd/act.c on every thread) vs CPU', () => {
  beforeAll(ready);
  afterEach(() => {
    reluTuning.ours = 'threads';
    addTuning.ours = 'threads';
  });

  it('match exactly on random sizes (tails of n % 4 too, split across the threads from 4096), both signs, and on NaN, ±0 and ±Infinity', async (ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    reluTuning.ours = 'always';
    addTuning.ours = 'always';
    const special = [Number.NaN, 0, -0, Infinity, -Infinity, 1e-40, -1e-40, 3];
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 20_000 }), fc.nat(), async (n, seed) => {
        const a = signed(n, seed);
        const b = signed(n, seed + 1);
        a.set(special.slice(0, n));
        b.set(special.slice().reverse().slice(0, n));
        // The JS tail (the last n % 4) gets special values too.
        if (n >= 11) a.set([-0, Number.NaN, -1], n - 3);
        for (const f of [() => tf.relu(tf.tensor1d(a)), () => tf.add(tf.tensor1d(a), tf.tensor1d(b))]) {
          const ours = await on('wasm', f);
          const ref = await on('cpu', f);
          expect(same(ours.values, ref.values)).toBe(true);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('leaves broadcasting adds and int32 to the stock kernels, which still match', async () => {
    addTuning.ours = 'always';
    const cases = [() => tf.add(tf.tensor2d(signed(12, 1), [3, 4]), tf.tensor1d(signed(4, 2))), () => tf.add(tf.tensor1d([1, -2, 3, 4, 5], 'int32'), tf.tensor1d([5, 6, -7, 8, 9], 'int32'))];
    for (const f of cases) {
      const ours = await on('wasm', f);
      const ref = await on('cpu', f);
      expect(ours.shape).toEqual(ref.shape);
      expect(same(Float32Array.from(ours.values), Float32Array.from(ref.values))).toBe(true);
    }
  });
});
