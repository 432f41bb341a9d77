import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tuning } from '../../../../runtime/kernels/maxPool';
import { on, ready, signed, simdBuilt, tf } from './harness';

describe('MaxPool on wasm (simd/pool.c, on every thread) vs CPU', () => {
  beforeAll(ready);
  afterEach(() => {
    tuning.ours = 'threads';
  });

  it('matches exactly on random shapes, windows, strides and paddings, values of both signs and some NaNs (channels 1-21: sixteen as four chains, then vectors from four, one at a time below)', async (ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    tuning.ours = 'always';
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          batch: fc.integer({ min: 1, max: 12 }),
          h: fc.integer({ min: 1, max: 12 }),
          w: fc.integer({ min: 1, max: 12 }),
          c: fc.integer({ min: 1, max: 21 }),
          k: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
          strides: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
          pad: fc.constantFrom('valid' as const, 'same' as const),
          nans: fc.boolean(),
          seed: fc.nat(),
        }),
        async (r) => {
          fc.pre(r.pad === 'same' || (r.k[0] <= r.h && r.k[1] <= r.w));
          const shape: [number, number, number, number] = [r.batch, r.h, r.w, r.c];
          const x = signed(shape.reduce((a, b) => a * b), r.seed);
          // Every seventh value NaN: a NaN never wins a window, on the CPU backend as here.
          if (r.nans) for (let i = 0; i < x.length; i += 7) x[i] = NaN;
          const run = () => tf.maxPool(tf.tensor4d(x, shape), r.k, r.strides, r.pad);
          const ours = await on('wasm', run);
          const ref = await on('cpu', run);
          expect(ours.shape).toEqual(ref.shape);
          expect(Array.from(ours.values)).toEqual(Array.from(ref.values));
        },
      ),
      { numRuns: 80 },
    );
  });

  it('is on ResNet-18’s stem pool, 3x3/2 same over [64, 16, 16, 16], split across the threads', async (ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    const x = signed(64 * 16 * 16 * 16, 5);
    const run = () => tf.maxPool(tf.tensor4d(x, [64, 16, 16, 16]), 3, 2, 'same');
    const ours = await on('wasm', run);
    const ref = await on('cpu', run);
    expect(Array.from(ours.values)).toEqual(Array.from(ref.values));
  });
});
