import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { convOut, kernel, on, ready, relError, signed, tf } from './harness';

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
  c: fc.integer({ min: 1, max: 5 }),
  oc: fc.integer({ min: 1, max: 5 }),
  kh: fc.integer({ min: 1, max: 4 }),
  kw: fc.integer({ min: 1, max: 4 }),
  strides: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  dilations: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
  pad: padArb,
  seed: fc.nat(),
});

describe('Conv2DBackpropFilter (wasm) vs CPU', () => {
  beforeAll(ready);

  it.each(['never', 'always'] as const)(`matches on random shapes, strides, paddings, dilations; forward-conv form %s (max rel. error ${TOLERANCE})`, async (mode) => {
    const { tuning } = await import('../../../../runtime/kernels/conv2DBackpropFilter');
    tuning.forwardConv = mode;
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
    }
  });

  it('matches tf.grad of conv2d through the registered kernel, chunked over the batch', async () => {
    const { tuning } = await import('../../../../runtime/kernels/conv2DBackpropFilter');
    const saved = tuning.colChunkFloats;
    tuning.colChunkFloats = 200; // forces one image per chunk
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
    }
  });
});
