import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { convGeometry, cropTaps } from '../../../../runtime/kernels/convGeometry';
import { convOut, kernel, on, ready, relError, signed, tf } from './harness';

/** Float32 sums of O(1) terms, fewer of them (only zero terms dropped) or in another order. */
const TOLERANCE = 1e-5;

const geometry = fc.record({
  batch: fc.integer({ min: 1, max: 3 }),
  h: fc.integer({ min: 1, max: 5 }),
  w: fc.integer({ min: 1, max: 5 }),
  c: fc.integer({ min: 1, max: 5 }),
  oc: fc.integer({ min: 1, max: 5 }),
  kh: fc.integer({ min: 1, max: 5 }),
  kw: fc.integer({ min: 1, max: 5 }),
  strides: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  pad: fc.oneof(
    fc.constantFrom('valid' as const, 'same' as const),
    fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3), fc.nat(3)).map(([t, b, l, r]) => [[0, 0], [t, b], [l, r], [0, 0]]),
  ),
  fused: fc.boolean(),
  seed: fc.nat(),
});

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

  it(`matches on random small maps, strides and paddings (max rel. error ${TOLERANCE})`, async () => {
    await fc.assert(
      fc.asyncProperty(geometry, async (k) => {
        const xShape = [k.batch, k.h, k.w, k.c];
        const fShape = [k.kh, k.kw, k.c, k.oc];
        const outShape = convOut(xShape, fShape, k.strides, k.pad, [1, 1]);
        fc.pre(outShape !== undefined);
        const x = signed(xShape.reduce((a, b) => a * b), k.seed);
        const w = signed(fShape.reduce((a, b) => a * b), k.seed + 1);
        const bias = signed(k.oc, k.seed + 2);
        const attrs = { strides: k.strides, pad: k.pad, dataFormat: 'NHWC', dilations: [1, 1] };
        const run = () =>
          k.fused
            ? kernel('FusedConv2D', { x: tf.tensor(x, xShape), filter: tf.tensor(w, fShape), bias: tf.tensor(bias, [k.oc]) }, { ...attrs, activation: 'relu' })
            : kernel('Conv2D', { x: tf.tensor(x, xShape), filter: tf.tensor(w, fShape) }, attrs);
        const ours = await on('wasm', run);
        const ref = await on('cpu', run);
        expect(ours.shape).toEqual(outShape);
        expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
      }),
      { numRuns: 80 },
    );
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
