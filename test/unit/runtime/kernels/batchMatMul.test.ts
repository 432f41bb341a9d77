import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tuning } from '../../../../runtime/kernels/batchMatMul';
import { on, ready, relError, signed, simdBuilt, tf } from './harness';

/** Float32 dot products of up to 40 O(1) terms in a different order. */
const TOLERANCE = 1e-5;

describe('BatchMatMul (wasm: our SIMD kernel, or transposes then XNNPACK) vs CPU', () => {
  beforeAll(ready);

  it.for([
    ['our SIMD kernel (simd/bmm.c) on one thread', Infinity, true, Infinity],
    ['our SIMD kernel split across both threads (by batch, or by rows of one product)', Infinity, true, 0],
    ['XNNPACK, transposing in JS', Infinity, false, Infinity],
    ['XNNPACK, transposing with the stock Transpose', 1, false, Infinity],
  ] as const)(`matches for every transpose combination, batched (rank 3 and 4) and broadcast, on %s (max rel. error ${TOLERANCE})`, async ([, from, simd, parallelFrom], ctx) => {
    if (simd && !simdBuilt()) return ctx.skip('skipped: dist/simd is not built (npm run build compiles it when clang and lld are installed)');
    tuning.stockTransposeFrom = from;
    tuning.parallelFromMacs = parallelFrom;
    if (!simd) process.env.LAYERLAB_SIMD = '0';
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            batchA: fc.integer({ min: 1, max: 3 }),
            batchB: fc.constantFrom(1, 'same' as const),
            m: fc.integer({ min: 1, max: 40 }),
            k: fc.integer({ min: 1, max: 40 }),
            n: fc.integer({ min: 1, max: 40 }),
            heads: fc.constantFrom(0, 2),
            transposeA: fc.boolean(),
            transposeB: fc.boolean(),
            seed: fc.nat(),
          }),
          async (p) => {
            // Rank 4 ([batch, heads, rows, cols], as in attention) when both batches match.
            const lead = p.batchB === 'same' && p.heads > 0 ? [p.batchA, p.heads] : [p.batchA];
            const leadB = p.batchB === 'same' ? lead : [1];
            const aShape = [...lead, ...(p.transposeA ? [p.k, p.m] : [p.m, p.k])];
            const bShape = [...leadB, ...(p.transposeB ? [p.n, p.k] : [p.k, p.n])];
            const a = signed(aShape.reduce((x, y) => x * y), p.seed);
            const b = signed(bShape.reduce((x, y) => x * y), p.seed + 1);
            const run = () => tf.matMul(tf.tensor(a, aShape), tf.tensor(b, bShape), p.transposeA, p.transposeB);
            const ours = await on('wasm', run);
            const ref = await on('cpu', run);
            expect(ours.shape).toEqual(ref.shape);
            expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
          },
        ),
        { numRuns: 40 },
      );
    } finally {
      tuning.stockTransposeFrom = 1 << 16;
      tuning.parallelFromMacs = 1 << 18;
      delete process.env.LAYERLAB_SIMD;
    }
  });

  it('matches on a long inner dimension with ragged edges (a Dense layer gradient: k = 3001, m = 7, n = 13)', async () => {
    const a = signed(3001 * 7, 11);
    const b = signed(3001 * 13, 12);
    const run = () => tf.matMul(tf.tensor(a, [3001, 7]), tf.tensor(b, [3001, 13]), true, false);
    const ours = await on('wasm', run);
    const ref = await on('cpu', run);
    // 3001 terms: float32 sums in different orders differ more than the short ones above.
    expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(1e-4);
  });
});
