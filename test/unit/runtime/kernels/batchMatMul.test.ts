import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tuning } from '../../../../runtime/kernels/batchMatMul';
import { on, ready, relError, signed, tf } from './harness';

/** Float32 dot products of up to 40 O(1) terms in a different order. */
const TOLERANCE = 1e-5;

describe('BatchMatMul (wasm, transposes in JS) vs CPU', () => {
  beforeAll(ready);

  it.each([
    ['JS', Infinity],
    ['stock Transpose', 1],
  ])(`matches for every transpose combination, batched (rank 3 and 4) and broadcast, transposing in %s (max rel. error ${TOLERANCE})`, async (_, from) => {
    tuning.stockTransposeFrom = from;
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
    }
  });
});
