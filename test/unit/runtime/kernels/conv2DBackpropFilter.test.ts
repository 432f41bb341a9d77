import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { convOut, kernel, on, ready, relError, signed, simdBuilt, tf } from './harness';

/** Float32 sums in a different order (XNNPACK vs the CPU loop); inputs are O(1). */
const TOLERANCE = 1e-4;

const padArb = fc.oneof(
  fc.constantFrom('valid' as const, 'same' as const),
  fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)).map(([t, b, l, r]) => [[0, 0], [t, b], [l, r], [0, 0]]),
);

const caseArb = fc.record({
  batch: fc.integer({ min: 1, max: 3 }),
  h: fc.integer({ min: 1, max: 9 }),
  w: fc.integer({ min: 1, max: 9 }),
  // 4 or 8 channels in and 8 or 16 out take our per-tap kernel; the others the padded one.
  c: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constant(8)),
  oc: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constantFrom(8, 16)),
  kh: fc.integer({ min: 1, max: 4 }),
  kw: fc.integer({ min: 1, max: 4 }),
  strides: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  dilations: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
  pad: padArb,
  seed: fc.nat(),
});

describe('Conv2DBackpropFilter (wasm) vs CPU', () => {
  beforeAll(ready);

  it.for([
    ['our SIMD kernels (simd/conv.c: per tap where channels allow, else over a padded copy)', 'auto', true, true],
    ['our SIMD kernel over a padded copy', 'auto', true, false],
    ['im2col + XNNPACK', 'never', false, false],
    ['the forward-conv form', 'always', false, false],
  ] as const)(`matches on random shapes, strides, paddings, dilations: %s (max rel. error ${TOLERANCE})`, async ([, mode, simd, taps], ctx) => {
    if (simd && !simdBuilt()) return ctx.skip('skipped: dist/simd is not built (npm run build compiles it when clang and lld are installed)');
    const { tuning } = await import('../../../../runtime/kernels/conv2DBackpropFilter');
    tuning.forwardConv = mode;
    tuning.simd = simd;
    tuning.taps = taps;
    try {
      await fc.assert(
        fc.asyncProperty(caseArb, async (k) => {
          const xShape = [k.batch, k.h, k.w, k.c];
          const fShape = [k.kh, k.kw, k.c, k.oc];
          const outShape = convOut(xShape, fShape, k.strides, k.pad, k.dilations);
          fc.pre(outShape !== undefined);
          const x = signed(xShape.reduce((a, b) => a * b), k.seed);
          const dy = signed(outShape!.reduce((a, b) => a * b), k.seed + 1);
          const attrs = { strides: k.strides, pad: k.pad, dataFormat: 'NHWC', filterShape: fShape, dilations: k.dilations };
          const ours = await on('wasm', () => kernel('Conv2DBackpropFilter', { x: tf.tensor(x, xShape), dy: tf.tensor(dy, outShape) }, attrs));
          // The CPU kernel has no dilations: a dilated filter's gradient is the undilated
          // kernel's gradient for the zero-stuffed filter, read at the taps.
          const [dh, dw] = k.dilations;
          const eff = [(k.kh - 1) * dh + 1, (k.kw - 1) * dw + 1, k.c, k.oc];
          const full = await on('cpu', () =>
            kernel('Conv2DBackpropFilter', { x: tf.tensor(x, xShape), dy: tf.tensor(dy, outShape) }, { ...attrs, filterShape: eff, dilations: 1 }),
          );
          const ref = new Float32Array(fShape.reduce((a, b) => a * b));
          for (let i = 0; i < k.kh; i++)
            for (let j = 0; j < k.kw; j++)
              for (let c = 0; c < k.c * k.oc; c++) ref[(i * k.kw + j) * k.c * k.oc + c] = full.values[(i * dh * eff[1]! + j * dw) * k.c * k.oc + c]!;
          expect(ours.shape).toEqual(fShape);
          expect(relError(ours.values, ref)).toBeLessThanOrEqual(TOLERANCE);
        }),
        { numRuns: 50 },
      );
    } finally {
      tuning.forwardConv = 'auto';
      tuning.simd = true;
      tuning.taps = true;
    }
  });

  it.for([
    ['3x3 same over 3 images of 23x19x5 (1311 positions)', [3, 23, 19, 5], [3, 3, 5, 7], 1, 'same'],
    ['5x5 stride 2 valid over 5 images of 30x30x2, 9 outputs (1125 positions)', [5, 30, 30, 2], [5, 5, 2, 9], 2, 'valid'],
    ["LeNet's first layer: 5x5 same, one channel in, 6 out", [20, 28, 28, 1], [5, 5, 1, 6], 1, 'same'],
    ['3x3 same, 8 in, 16 out, over 3 images of 23x19 (per tap, one image per pass)', [3, 23, 19, 8], [3, 3, 8, 16], 1, 'same'],
    ['3x3 same over 150 images of 2x2x8, 16 out (per tap, 64 images per pass; 4 of 9 taps meet each output)', [150, 2, 2, 8], [3, 3, 8, 16], 1, 'same'],
    ['3x3 stride 2 same over 40 images of 7x7x4, 8 out (per tap)', [40, 7, 7, 4], [3, 3, 4, 8], 2, 'same'],
  ] as const)('matches across the SIMD kernels\' chunks (1024 output positions, or whole images per pass): %s', async ([, xShape, fShape, stride, pad], ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    const x = signed(xShape.reduce((a: number, b: number) => a * b, 1), 3);
    const w = signed(fShape.reduce((a: number, b: number) => a * b, 1), 4);
    const grad = () => tf.grad((f: tf.Tensor) => tf.sum(tf.square(tf.conv2d(tf.tensor4d(x, [...xShape]), f as tf.Tensor4D, stride, pad))))(tf.tensor4d(w, [...fShape]));
    const ours = await on('wasm', grad);
    const ref = await on('cpu', grad);
    // Sums of up to ~1300 terms in a different order.
    expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(2e-4);
  });

  it('matches tf.grad of conv2d through the registered kernel, chunked over the batch', async () => {
    const { tuning } = await import('../../../../runtime/kernels/conv2DBackpropFilter');
    const saved = tuning.colChunkFloats;
    tuning.colChunkFloats = 200; // forces one image per chunk
    tuning.simd = false;
    try {
      const xShape = [4, 7, 6, 3];
      const x = signed(4 * 7 * 6 * 3, 7);
      const w = signed(3 * 3 * 3 * 2, 8);
      const grad = () => tf.grad((f: tf.Tensor) => tf.sum(tf.square(tf.conv2d(tf.tensor4d(x, xShape as [number, number, number, number]), f as tf.Tensor4D, 2, 'same'))))(tf.tensor4d(w, [3, 3, 3, 2]));
      const ours = await on('wasm', grad);
      const ref = await on('cpu', grad);
      expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
    } finally {
      tuning.colChunkFloats = saved;
      tuning.simd = true;
    }
  });
});
