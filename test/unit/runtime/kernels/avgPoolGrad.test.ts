import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JS_ONLY, kernel, on, onPath, ready, relError, signed, tf } from './harness';

/** Sums of a few dy / window-size terms. */
const TOLERANCE = 1e-5;

describe('AvgPoolGrad (wasm) vs CPU', () => {
  beforeAll(ready);

  it.for(['our SIMD module (simd/pool.c)', JS_ONLY] as const)(`matches on random shapes, strides, paddings (max rel. error ${TOLERANCE}): %s`, async (path, ctx) => {
    await onPath(path, ctx, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            // Up to 12 images of up to 14x14x9: enough to split them across both threads.
            batch: fc.integer({ min: 1, max: 12 }),
            h: fc.integer({ min: 1, max: 14 }),
            w: fc.integer({ min: 1, max: 14 }),
            c: fc.integer({ min: 1, max: 9 }),
            fh: fc.integer({ min: 1, max: 4 }),
            fw: fc.integer({ min: 1, max: 4 }),
            strides: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
            pad: fc.constantFrom('valid' as const, 'same' as const),
            // Windows that tile the input exactly (LeNet's 2x2/2 over 28x28) take a fast path.
            tiled: fc.boolean(),
            seed: fc.nat(),
          }),
          async (drawn) => {
            const k = drawn.tiled ? { ...drawn, strides: [drawn.fh, drawn.fw] as [number, number], h: drawn.fh * Math.ceil(drawn.h / drawn.fh), w: drawn.fw * Math.ceil(drawn.w / drawn.fw) } : drawn;
            fc.pre(k.pad === 'same' || (k.fh <= k.h && k.fw <= k.w));
            const xShape = [k.batch, k.h, k.w, k.c] as [number, number, number, number];
            const x = signed(xShape.reduce((a, b) => a * b), k.seed);
            const run = () => {
              const input = tf.tensor4d(x, xShape);
              const out = tf.avgPool(input, [k.fh, k.fw], k.strides, k.pad);
              const dy = tf.tensor(signed(out.size, k.seed + 1), out.shape);
              return kernel('AvgPoolGrad', { dy, input }, { filterSize: [k.fh, k.fw], strides: k.strides, pad: k.pad });
            };
            const ours = await on('wasm', run);
            const ref = await on('cpu', run);
            expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
          },
        ),
        { numRuns: 50 },
      );
    });
  });
});
