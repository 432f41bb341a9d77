import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tuning } from '../../../../runtime/kernels/batchMatMul';
import { simdSwitch } from '../../../../runtime/kernels/simdModule';
import { JS_ONLY, on, onPath, ready, relError, signed, simdBuilt, tf } from './harness';

/** Float32 dot products of up to 600 O(1) terms in a different order. */
const TOLERANCE = 3e-5;

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
    if (!simd) simdSwitch.off = true;
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            batchA: fc.integer({ min: 1, max: 3 }),
            batchB: fc.constantFrom(1, 'same' as const),
            m: fc.integer({ min: 1, max: 40 }),
            // Past 256 (bmm.c's KC) the contraction runs in slices that add to C's partial sums.
            k: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 250, max: 600 })),
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
            // Terms are products of values in [-1, 1]; with a ReLU the only output left can be a near-cancelled one.
            expect(relError(ours.values, ref.values, 1)).toBeLessThanOrEqual(TOLERANCE);
          },
        ),
        { numRuns: 40 },
      );
    } finally {
      tuning.stockTransposeFrom = 1 << 16;
      tuning.parallelFromMacs = 1 << 18;
      simdSwitch.off = false;
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

describe('_FusedMatMul (a Dense layer: our SIMD product with the bias as its start, or the stock kernel) vs CPU', () => {
  beforeAll(ready);

  it.for(['our SIMD kernel', JS_ONLY])(`matches with and without a bias (rank 1 or 2), every transpose and activation (stock tfjs puts the bias on the wrong columns when transposed) (max rel. error ${TOLERANCE}) on %s`, async (path, ctx) => {
    await onPath(path, ctx, () =>
      fc.assert(
        fc.asyncProperty(
          fc.record({
            m: fc.integer({ min: 1, max: 40 }),
            k: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 250, max: 400 })),
            n: fc.integer({ min: 1, max: 40 }),
            transposeA: fc.boolean(),
            transposeB: fc.boolean(),
            bias: fc.constantFrom('none', '[n]', '[1,n]'),
            activation: fc.constantFrom('linear', 'linear', 'relu', 'sigmoid', 'leakyrelu'),
            seed: fc.nat(),
          }),
          async (p) => {
            const aShape = p.transposeA ? [p.k, p.m] : [p.m, p.k];
            const bShape = p.transposeB ? [p.n, p.k] : [p.k, p.n];
            const a = signed(p.m * p.k, p.seed);
            const b = signed(p.k * p.n, p.seed + 1);
            const bias = signed(p.n, p.seed + 2);
            const run = () =>
              tf.fused.matMul({
                a: tf.tensor2d(a, aShape as [number, number]),
                b: tf.tensor2d(b, bShape as [number, number]),
                transposeA: p.transposeA,
                transposeB: p.transposeB,
                bias: p.bias === 'none' ? undefined : tf.tensor(bias, p.bias === '[n]' ? [p.n] : [1, p.n]),
                activation: p.activation as 'linear' | 'relu' | 'sigmoid' | 'leakyrelu',
                leakyreluAlpha: 0.3,
              });
            const ours = await on('wasm', run);
            const ref = await on('cpu', run);
            expect(ours.shape).toEqual(ref.shape);
            // Terms are products of values in [-1, 1]; with a ReLU the only output left can be a near-cancelled one.
            expect(relError(ours.values, ref.values, 1)).toBeLessThanOrEqual(TOLERANCE);
          },
        ),
        { numRuns: 60 },
      ),
    );
  });
});
