import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { convGeometry, cropTaps } from '../../../../runtime/kernels/convGeometry';
import { convOut, kernel, on, ready, relError, signed, simdBuilt, tf } from './harness';

/** Float32 sums of O(1) terms, fewer of them (only zero terms dropped) or in another order. */
const TOLERANCE = 1e-5;

/** Where Winograd took the convolution (F(4x4, 5x5) over 4+ channels): its transforms scale terms before summing (winograd.test.ts). */
const WINOGRAD_TOLERANCE = 1e-4;

const geometry = fc.record({
  // 4, 8 and 33 images fill our kernel's four-image blocks (33 with a short last one).
  batch: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constantFrom(4, 8, 33)),
  h: fc.integer({ min: 1, max: 5 }),
  w: fc.integer({ min: 1, max: 5 }),
  c: fc.integer({ min: 1, max: 5 }),
  // Up to 17 so that some cases fill our SIMD kernel's 8-channel blocks (8, 16) and some not.
  oc: fc.integer({ min: 1, max: 17 }),
  kh: fc.integer({ min: 1, max: 5 }),
  kw: fc.integer({ min: 1, max: 5 }),
  strides: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  pad: fc.oneof(
    fc.constantFrom('valid' as const, 'same' as const),
    fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3), fc.nat(3)).map(([t, b, l, r]) => [[0, 0], [t, b], [l, r], [0, 0]]),
  ),
  dilations: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
  fused: fc.constantFrom('no', 'linear', 'relu'),
  seed: fc.nat(),
});

type Geometry = typeof geometry extends fc.Arbitrary<infer T> ? T : never;

/** Our Conv2D (or FusedConv2D with a bias and k.fused) on geometry k against the CPU backend's. */
async function matches(k: Geometry): Promise<void> {
  const xShape = [k.batch, k.h, k.w, k.c];
  const fShape = [k.kh, k.kw, k.c, k.oc];
  const outShape = convOut(xShape, fShape, k.strides, k.pad, k.dilations);
  fc.pre(outShape !== undefined);
  const x = signed(xShape.reduce((a, b) => a * b), k.seed);
  const w = signed(fShape.reduce((a, b) => a * b), k.seed + 1);
  const bias = signed(k.oc, k.seed + 2);
  const attrs = { strides: k.strides, pad: k.pad, dataFormat: 'NHWC', dilations: k.dilations };
  const run = () =>
    k.fused !== 'no'
      ? kernel('FusedConv2D', { x: tf.tensor(x, xShape), filter: tf.tensor(w, fShape), bias: tf.tensor(bias, [k.oc]) }, { ...attrs, activation: k.fused })
      : kernel('Conv2D', { x: tf.tensor(x, xShape), filter: tf.tensor(w, fShape) }, attrs);
  const { tuning: winograd } = await import('../../../../runtime/kernels/winograd');
  const before = winograd.uses;
  const ours = await on('wasm', run);
  const tolerance = winograd.uses > before ? WINOGRAD_TOLERANCE : TOLERANCE;
  const ref = await on('cpu', run);
  expect(ours.shape).toEqual(outShape);
  // Terms are products of values in [-1, 1]; with a ReLU the only output left can be a near-cancelled one.
  expect(relError(ours.values, ref.values, 1)).toBeLessThanOrEqual(tolerance);
}

describe('Conv2D / FusedConv2D (wasm, filter cropped to the taps that meet the input) vs CPU', () => {
  beforeAll(ready);

  it('crops a 3x3 same convolution over a 1x1 map to its centre tap, and a 3x3/2 over 2x2 to 2x2', () => {
    const one = cropTaps(convGeometry([2, 1, 1, 4], [3, 3, 4, 5], 1, 'same', 1, undefined, false));
    expect(one && [one.h0, one.h1, one.w0, one.w1, one.geometry.padTop, one.geometry.padLeft]).toEqual([1, 2, 1, 2, 0, 0]);
    const two = cropTaps(convGeometry([2, 2, 2, 4], [3, 3, 4, 5], 2, 'same', 1, undefined, false));
    expect(two && [two.h1 - two.h0, two.w1 - two.w0]).toEqual([2, 2]);
    expect(cropTaps(convGeometry([2, 8, 8, 4], [3, 3, 4, 5], 1, 'same', 1, undefined, false))).toBeUndefined();
  });

  it("computes a strided 'same' convolution the stock kernel got wrong (1x2 input, 2x1 filter, strides [1, 2])", async () => {
    const run = () => tf.conv2d(tf.tensor4d([0.3, -0.7], [1, 1, 2, 1]), tf.tensor4d([0.5, -0.25], [2, 1, 1, 1]), [1, 2], 'same');
    const ours = await on('wasm', run);
    const ref = await on('cpu', run);
    expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
  });

  it.for([
    ['our SIMD kernel (simd/conv.c) where it applies, four images per block where the batch allows', true, true],
    ['our SIMD kernel over a padded copy, four positions per block', true, false],
    ['the stock XNNPACK kernel', false, false],
  ] as const)(`matches on random small maps, strides, dilations and paddings, plain and fused: %s (max rel. error ${TOLERANCE})`, async ([, simd, byImages], ctx) => {
    if (simd && !simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    const { tuning } = await import('../../../../runtime/kernels/conv2DCropped');
    tuning.simd = simd;
    tuning.byImages = byImages;
    try {
      await fc.assert(
        fc.asyncProperty(geometry, matches),
        { numRuns: 80 },
      );
    } finally {
      tuning.simd = true;
      tuning.byImages = true;
    }
  });

  it(`matches with one channel in and six out (lanes along output rows: LeNet's first layer), any height stride, dilation and padding (max rel. error ${TOLERANCE})`, async (ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    // Widths up to 21: each block width (8 and 4 positions for channels 0-3; 16, 12, 8 and 4 for 4-5) ends a row somewhere.
    const oneChannel = fc
      .tuple(geometry, fc.integer({ min: 1, max: 21 }))
      .map(([k, w]) => ({ ...k, w, c: 1, oc: 6, strides: [k.strides[0], 1] as [number, number], fused: k.fused === 'relu' ? ('linear' as const) : k.fused }));
    // 5x5 unit-stride ones would take rows45.c (rows45.test.ts): off here, so that this kernel runs them too.
    const rows45 = await import('../../../../runtime/kernels/rows45');
    rows45.tuning.enabled = false;
    try {
      await fc.assert(fc.asyncProperty(oneChannel, matches), { numRuns: 80 });
    } finally {
      rows45.tuning.enabled = true;
    }
  });

  it.for([
    ['3x3 same, 16 channels out, over 3 images of 23x19x5', [3, 23, 19, 5], [3, 3, 5, 16], 1, 'same'],
    ["LeNet's first layer: 5x5 same, 1 channel in, 6 out, 20 images", [20, 28, 28, 1], [5, 5, 1, 6], 1, 'same'],
    ['7x7 stride 2 same, 3 in, 8 out (a ResNet stem)', [4, 32, 32, 3], [7, 7, 3, 8], 2, 'same'],
    ['3x3 same over 2x2 maps, 16 in and out, 36 images (a late ResNet stage: 4 of 9 taps meet the input)', [36, 2, 2, 16], [3, 3, 16, 16], 1, 'same'],
  ] as const)('matches with a bias over larger maps, positions split across both threads: %s', async ([, xShape, fShape, stride, pad], ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    const x = signed(xShape.reduce((a: number, b: number) => a * b, 1), 5);
    const w = signed(fShape.reduce((a: number, b: number) => a * b, 1), 6);
    const bias = signed(fShape[3], 7);
    const run = () => tf.fused.conv2d({ x: tf.tensor4d(x, [...xShape]), filter: tf.tensor4d(w, [...fShape]), strides: stride, pad, bias: tf.tensor1d(bias) });
    const ours = await on('wasm', run);
    const ref = await on('cpu', run);
    expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE * 4);
  });

  it('gives the same conv2d gradients with and without cropping on a 1x1 and a 2x2 map', async () => {
    const modules = await Promise.all([
      import('../../../../runtime/kernels/conv2DCropped'),
      import('../../../../runtime/kernels/conv2DBackpropInput'),
      import('../../../../runtime/kernels/conv2DBackpropFilter'),
    ]);
    const set = (on: boolean) => modules.forEach((m) => (m.tuning.cropTaps = on));
    for (const [hw, stride] of [[1, 1], [2, 2], [2, 1]] as const) {
      const x = signed(3 * hw * hw * 4, 5 + hw);
      const w = signed(3 * 3 * 4 * 6, 9 + hw);
      const grads = () => {
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, 'same'))));
        const [dx, dw] = g([tf.tensor4d(x, [3, hw, hw, 4]), tf.tensor4d(w, [3, 3, 4, 6])]);
        return tf.concat([tf.reshape(dx!, [-1]), tf.reshape(dw!, [-1])]);
      };
      try {
        set(false);
        const plain = await on('wasm', grads);
        set(true);
        const cropped = await on('wasm', grads);
        const ref = await on('cpu', grads);
        expect(relError(cropped.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
        expect(relError(plain.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
      } finally {
        set(true);
      }
    }
  });
});
