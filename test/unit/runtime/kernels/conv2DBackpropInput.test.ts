import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { convOut, dilatedShape, dilateFilter, kernel, on, ready, relError, signed, simdBuilt, tf } from './harness';

/** Float32 sums in a different order; inputs are O(1). */
const TOLERANCE = 1e-5;

describe('Conv2DBackpropInput (wasm) vs CPU', () => {
  beforeAll(ready);

  it.for([
    ['strided dx gathered by our SIMD kernel where the batch fills its blocks', true],
    ['strided dx by col2im', false],
  ] as const)(`matches on random shapes, strides, paddings, dilations (max rel. error ${TOLERANCE}): %s`, async ([, gather]) => {
    const { tuning } = await import('../../../../runtime/kernels/conv2DBackpropInput');
    tuning.gather = gather;
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            // 4, 8 and 33 images fill the gathering kernel's four-image blocks.
            batch: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constantFrom(4, 8, 33)),
            h: fc.integer({ min: 1, max: 9 }),
            w: fc.integer({ min: 1, max: 9 }),
            c: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constant(9)),
            oc: fc.integer({ min: 1, max: 5 }),
            kh: fc.integer({ min: 1, max: 4 }),
            kw: fc.integer({ min: 1, max: 4 }),
            strides: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
            dilations: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
            pad: fc.oneof(
              fc.constantFrom('valid' as const, 'same' as const),
              fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)).map(([t, b, l, r]) => [[0, 0], [t, b], [l, r], [0, 0]]),
            ),
            seed: fc.nat(),
          }),
          async (k) => {
            const xShape = [k.batch, k.h, k.w, k.c];
            const fShape = [k.kh, k.kw, k.c, k.oc];
            const outShape = convOut(xShape, fShape, k.strides, k.pad, k.dilations);
            fc.pre(outShape !== undefined);
            const w = signed(fShape.reduce((a, b) => a * b), k.seed);
            const dy = signed(outShape!.reduce((a, b) => a * b), k.seed + 1);
            const attrs = { strides: k.strides, pad: k.pad, dataFormat: 'NHWC', inputShape: xShape };
            const ours = await on('wasm', () => kernel('Conv2DBackpropInput', { dy: tf.tensor(dy, outShape), filter: tf.tensor(w, fShape) }, { ...attrs, dilations: k.dilations }));
            // The CPU kernel has no dilations: use the zero-stuffed filter instead.
            const ref = await on('cpu', () =>
              kernel('Conv2DBackpropInput', { dy: tf.tensor(dy, outShape), filter: tf.tensor(dilateFilter(w, fShape, k.dilations), dilatedShape(fShape, k.dilations)) }, attrs),
            );
            expect(ours.shape).toEqual(xShape);
            expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
          },
        ),
        { numRuns: 60 },
      );
    } finally {
      tuning.gather = true;
    }
  });

  it(`scatters unit-stride, unpadded dx with ragged channels along dx rows, LeNet's second layer among them (max rel. error ${TOLERANCE})`, async (ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    const { tuning } = await import('../../../../runtime/kernels/conv2DBackpropInput');
    const unpadded = fc.record({
      // Four-image blocks with a short last one from 33; below 32 only whole blocks qualify.
      batch: fc.constantFrom(4, 8, 33, 36),
      h: fc.integer({ min: 1, max: 12 }),
      w: fc.integer({ min: 1, max: 12 }),
      c: fc.constantFrom(1, 2, 3, 5, 6, 7, 8, 12),
      oc: fc.integer({ min: 1, max: 20 }),
      kh: fc.integer({ min: 1, max: 5 }),
      kw: fc.integer({ min: 1, max: 5 }),
      seed: fc.nat(),
    });
    const lenet = { batch: 8, h: 14, w: 14, c: 6, oc: 16, kh: 5, kw: 5, seed: 3 };
    await fc.assert(
      fc.asyncProperty(unpadded, async (k) => {
        fc.pre(k.kh <= k.h && k.kw <= k.w);
        const xShape = [k.batch, k.h, k.w, k.c];
        const fShape = [k.kh, k.kw, k.c, k.oc];
        const outShape = [k.batch, k.h - k.kh + 1, k.w - k.kw + 1, k.oc];
        const w = signed(fShape.reduce((a, b) => a * b), k.seed);
        const dy = signed(outShape.reduce((a, b) => a * b), k.seed + 1);
        const attrs = { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 1, inputShape: xShape };
        const run = () => kernel('Conv2DBackpropInput', { dy: tf.tensor(dy, outShape), filter: tf.tensor(w, fShape) }, attrs);
        const before = tuning.scattered;
        const { tuning: winogradTuning } = await import('../../../../runtime/kernels/winograd');
        const winogradBefore = winogradTuning.uses;
        const ours = await on('wasm', run);
        const ranWinograd = winogradTuning.uses > winogradBefore;
        // Scattered exactly where a row's floats fill 8-wide blocks better than the channels do,
        // unless Winograd takes the flipped forward convolution: F(4x4, 3x3) (3x3, channels in
        // whole lanes) or F(4x4, 5x5) (5x5 into 8+ channels in whole lanes, from 4+).
        const lanes = (n: number) => Math.ceil(n / 8) * 8;
        const fills = k.kw * k.c >= 8 && (k.kw * k.c) / lanes(k.kw * k.c) > k.c / lanes(k.c);
        const big = k.h >= 4 && k.w >= 4;
        const winograd =
          (k.kh === 3 && k.kw === 3 && k.c % 4 === 0 && k.oc % 4 === 0 && big) ||
          (k.kh === 5 && k.kw === 5 && k.c >= 8 && k.c % 4 === 0 && k.oc >= 4 && big);
        expect(tuning.scattered - before).toBe(fills && !winograd ? 1 : 0);
        const ref = await on('cpu', run);
        // Winograd's transforms scale terms before summing: its tolerance (winograd.test.ts) where it ran.
        expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(ranWinograd ? 1e-4 : TOLERANCE);
      }),
      { numRuns: 40, examples: [[lenet], [{ batch: 4, h: 6, w: 6, c: 4, oc: 4, kh: 3, kw: 3, seed: 1 }], [{ batch: 8, h: 9, w: 7, c: 6, oc: 5, kh: 3, kw: 3, seed: 2 }], [{ batch: 4, h: 5, w: 5, c: 12, oc: 4, kh: 5, kw: 5, seed: 0 }]] },
    );
  });

  it('matches tf.grad of conv2d with respect to its input, chunked over the batch', async () => {
    const { tuning } = await import('../../../../runtime/kernels/conv2DBackpropInput');
    const saved = tuning.colChunkFloats;
    tuning.colChunkFloats = 200; // forces one image per chunk
    try {
      const x = signed(4 * 7 * 6 * 3, 17);
      const w = signed(3 * 3 * 3 * 2, 18);
      const grad = () => tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.conv2d(t as tf.Tensor4D, tf.tensor4d(w, [3, 3, 3, 2]), 2, 'same'))))(tf.tensor4d(x, [4, 7, 6, 3]));
      const ours = await on('wasm', grad);
      const ref = await on('cpu', grad);
      expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
    } finally {
      tuning.colChunkFloats = saved;
    }
  });
});
