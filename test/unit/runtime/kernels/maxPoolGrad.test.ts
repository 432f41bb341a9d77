import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JS_ONLY, kernel, on, onPath, ready, relError, signed, tf } from './harness';

/** Each input gradient is a sum of a few dy values; only the order can differ. */
const TOLERANCE = 1e-6;

const caseArb = fc.record({
  batch: fc.integer({ min: 1, max: 3 }),
  h: fc.integer({ min: 1, max: 10 }),
  w: fc.integer({ min: 1, max: 10 }),
  c: fc.integer({ min: 1, max: 21 }),
  fh: fc.integer({ min: 1, max: 4 }),
  fw: fc.integer({ min: 1, max: 4 }),
  strides: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  pad: fc.constantFrom('valid' as const, 'same' as const),
  /** 'mixed': both signs; 'nonPositive': every window holds only values <= 0 (the stock kernel's bug). */
  sign: fc.constantFrom('mixed' as const, 'nonPositive' as const),
  seed: fc.nat(),
});

describe('MaxPoolGrad (wasm) vs CPU', () => {
  beforeAll(ready);

  it.for(['our SIMD module (simd/pool.c)', JS_ONLY] as const)(`matches on random shapes, strides, paddings, with windows of both signs and all non-positive (max rel. error ${TOLERANCE}): %s`, async (path, ctx) => {
    await onPath(path, ctx, async () => {
      await fc.assert(
        fc.asyncProperty(caseArb, async (k) => {
          fc.pre(k.pad === 'same' || (k.fh <= k.h && k.fw <= k.w));
          const xShape = [k.batch, k.h, k.w, k.c] as [number, number, number, number];
          const x = signed(xShape.reduce((a, b) => a * b), k.seed);
          if (k.sign === 'nonPositive') for (let i = 0; i < x.length; i++) x[i] = -Math.abs(x[i]!);
          const pool = (t: tf.Tensor4D) => tf.maxPool(t, [k.fh, k.fw], k.strides, k.pad);
          const attrs = { filterSize: [k.fh, k.fw], strides: k.strides, pad: k.pad };
          const run = () => {
            const input = tf.tensor4d(x, xShape);
            const output = pool(input);
            const dy = tf.tensor(signed(output.size, k.seed + 1), output.shape);
            return kernel('MaxPoolGrad', { dy, input, output }, attrs);
          };
          const ours = await on('wasm', run);
          const ref = await on('cpu', run);
          expect(ours.shape).toEqual(xShape);
          expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
        }),
        { numRuns: 60 },
      );
    });
  });

  it.for([
    ['our SIMD module (simd/pool.c), images split across the threads (16 channels as four chains)', [6, 16, 16, 16], [3, 3], [2, 2], 'same'],
    ['our SIMD module (simd/pool.c), images split across the threads, odd batch', [5, 19, 21, 12], [2, 2], [2, 2], 'valid'],
  ] as const)('matches on a batch large enough to split: %s', async ([path, shape, filterSize, strides, pad], ctx) => {
    await onPath(path, ctx, async () => {
      const x = signed(shape.reduce((a: number, b: number) => a * b, 1), 11);
      const run = () => {
        const input = tf.tensor4d(x, [...shape]);
        const output = tf.maxPool(input, [...filterSize], [...strides], pad);
        const dy = tf.tensor(signed(output.size, 12), output.shape);
        return kernel('MaxPoolGrad', { dy, input, output }, { filterSize, strides, pad });
      };
      const ours = await on('wasm', run);
      const ref = await on('cpu', run);
      expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
    });
  });
});
