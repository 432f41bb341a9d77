import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tuning } from '../../../../runtime/kernels/avgPool';
import { on, ready, relError, signed, simdBuilt, tf } from './harness';

/** A sum of up to 9 window values in float32, times 1/(kh·kw). */
const TOLERANCE = 1e-6;

describe('AvgPool on wasm (simd/pool.c on every thread where windows tile the input) vs CPU', () => {
  beforeAll(ready);
  afterEach(() => {
    tuning.ours = 'threads';
  });

  it(`matches on random shapes (channels 1-9: by whole vectors, the last overlapping, from four; one at a time below), tiling windows and others (max rel. error ${TOLERANCE})`, async (ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    tuning.ours = 'always';
    let tiled = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({ batch: fc.integer({ min: 1, max: 12 }), oh: fc.integer({ min: 1, max: 7 }), ow: fc.integer({ min: 1, max: 7 }), c: fc.integer({ min: 1, max: 9 }), k: fc.integer({ min: 1, max: 3 }), odd: fc.boolean(), seed: fc.nat() }),
        async (r) => {
          // `odd` leaves one row and column over (a window that does not tile: the stock kernel).
          const shape: [number, number, number, number] = [r.batch, r.oh * r.k + (r.odd ? 1 : 0), r.ow * r.k + (r.odd ? 1 : 0), r.c];
          if (!r.odd) tiled++;
          const x = signed(shape.reduce((a, b) => a * b), r.seed);
          const run = () => tf.avgPool(tf.tensor4d(x, shape), r.k, r.k, 'valid');
          const ours = await on('wasm', run);
          const ref = await on('cpu', run);
          expect(ours.shape).toEqual(ref.shape);
          expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
        },
      ),
      { numRuns: 60 },
    );
    expect(tiled).toBeGreaterThan(10);
  });

  it('is on LeNet’s first pool, [64, 28, 28, 6] 2x2/2, split across the threads', async (ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    const x = signed(64 * 28 * 28 * 6, 3);
    const run = () => tf.avgPool(tf.tensor4d(x, [64, 28, 28, 6]), 2, 2, 'valid');
    const ours = await on('wasm', run);
    const ref = await on('cpu', run);
    expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
  });
});
