import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { convOut, kernel, on, ready, relError, signed, tf } from './harness';

/** Float32 sums in a different order; inputs are O(1). */
const TOLERANCE = 1e-5;

// Whatever Conv2DBackpropInput is registered on wasm (stock or ours) must match the CPU.
describe('Conv2DBackpropInput (wasm) vs CPU', () => {
  beforeAll(ready);

  it(`matches on random shapes, strides, paddings (max rel. error ${TOLERANCE})`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          batch: fc.integer({ min: 1, max: 3 }),
          h: fc.integer({ min: 1, max: 9 }),
          w: fc.integer({ min: 1, max: 9 }),
          c: fc.integer({ min: 1, max: 5 }),
          oc: fc.integer({ min: 1, max: 5 }),
          kh: fc.integer({ min: 1, max: 4 }),
          kw: fc.integer({ min: 1, max: 4 }),
          strides: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
          pad: fc.oneof(
            fc.constantFrom('valid' as const, 'same' as const),
            fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)).map(([t, b, l, r]) => [[0, 0], [t, b], [l, r], [0, 0]]),
          ),
          seed: fc.nat(),
        }),
        async (k) => {
          const xShape = [k.batch, k.h, k.w, k.c];
          const fShape = [k.kh, k.kw, k.c, k.oc];
          const outShape = convOut(xShape, fShape, k.strides, k.pad, [1, 1]);
          fc.pre(outShape !== undefined);
          const w = signed(fShape.reduce((a, b) => a * b), k.seed);
          const dy = signed(outShape!.reduce((a, b) => a * b), k.seed + 1);
          const run = () =>
            kernel('Conv2DBackpropInput', { dy: tf.tensor(dy, outShape), filter: tf.tensor(w, fShape) }, { strides: k.strides, pad: k.pad, dataFormat: 'NHWC', inputShape: xShape });
          const ours = await on('wasm', run);
          const ref = await on('cpu', run);
          expect(ours.shape).toEqual(xShape);
          expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
        },
      ),
      { numRuns: 60 },
    );
  });
});
