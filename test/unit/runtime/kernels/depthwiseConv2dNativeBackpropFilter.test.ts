import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { depthwiseCaseArb } from './depthwiseCases';
import { convOut, dilatedShape, filterTaps, kernel, on, ready, relError, signed, tf } from './harness';

/** Our sums are float64, the CPU's float32; inputs are O(1). */
const TOLERANCE = 1e-5;

describe('DepthwiseConv2dNativeBackpropFilter (wasm) vs CPU', () => {
  beforeAll(ready);

  it(`matches on random shapes, multipliers, strides, paddings, dilations (max rel. error ${TOLERANCE})`, async () => {
    await fc.assert(
      fc.asyncProperty(depthwiseCaseArb, async (k) => {
        const xShape = [k.batch, k.h, k.w, k.c];
        const fShape = [k.kh, k.kw, k.c, k.mult];
        const outShape = convOut(xShape, fShape, k.sd.strides, k.pad, k.sd.dilations, true);
        fc.pre(outShape !== undefined);
        const x = signed(xShape.reduce((a, b) => a * b), k.seed);
        const dy = signed(outShape!.reduce((a, b) => a * b), k.seed + 1);
        const attrs = { strides: k.sd.strides, dilations: k.sd.dilations, pad: k.pad, filterShape: fShape };
        const run = (a: object) => () => kernel('DepthwiseConv2dNativeBackpropFilter', { x: tf.tensor(x, xShape), dy: tf.tensor(dy, outShape) }, a);
        const ours = await on('wasm', run(attrs));
        // The CPU kernel ignores dilations in its loops: compare with the undilated
        // gradient of the zero-stuffed filter, read at the taps.
        const full = await on('cpu', run({ ...attrs, dilations: 1, filterShape: dilatedShape(fShape, k.sd.dilations) }));
        expect(ours.shape).toEqual(fShape);
        expect(relError(ours.values, filterTaps(full.values, fShape, k.sd.dilations))).toBeLessThanOrEqual(TOLERANCE);
      }),
      { numRuns: 60 },
    );
  });
});
