import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { depthwiseCaseArb } from './depthwiseCases';
import { convOut, dilatedShape, dilateFilter, kernel, on, ready, relError, signed, tf } from './harness';

/** Float32 sums in a different order; inputs are O(1). */
const TOLERANCE = 1e-5;

describe('DepthwiseConv2dNativeBackpropInput (wasm) vs CPU', () => {
  beforeAll(ready);

  it(`matches on random shapes, multipliers, strides, paddings, dilations (max rel. error ${TOLERANCE})`, async () => {
    await fc.assert(
      fc.asyncProperty(depthwiseCaseArb, async (k) => {
        const xShape = [k.batch, k.h, k.w, k.c];
        const fShape = [k.kh, k.kw, k.c, k.mult];
        const outShape = convOut(xShape, fShape, k.sd.strides, k.pad, k.sd.dilations, true);
        fc.pre(outShape !== undefined);
        const w = signed(fShape.reduce((a, b) => a * b), k.seed);
        const dy = signed(outShape!.reduce((a, b) => a * b), k.seed + 1);
        const attrs = { strides: k.sd.strides, dilations: k.sd.dilations, pad: k.pad, inputShape: xShape };
        const ours = await on('wasm', () => kernel('DepthwiseConv2dNativeBackpropInput', { dy: tf.tensor(dy, outShape), filter: tf.tensor(w, fShape) }, attrs));
        // The CPU kernel ignores dilations in its loops: use the zero-stuffed filter instead.
        const eff = dilatedShape(fShape, k.sd.dilations);
        const ref = await on('cpu', () =>
          kernel('DepthwiseConv2dNativeBackpropInput', { dy: tf.tensor(dy, outShape), filter: tf.tensor(dilateFilter(w, fShape, k.sd.dilations), eff) }, { ...attrs, dilations: 1 }),
        );
        expect(ours.shape).toEqual(xShape);
        expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
      }),
      { numRuns: 60 },
    );
  });

  it('trains a depthwise conv through tf.grads with the same gradients as CPU', async () => {
    const x = signed(2 * 6 * 6 * 3, 3);
    const w = signed(3 * 3 * 3 * 2, 4);
    const grads = () => {
      const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'))))([
        tf.tensor(x, [2, 6, 6, 3]),
        tf.tensor(w, [3, 3, 3, 2]),
      ]);
      return tf.concat([tf.reshape(gx!, [-1]), tf.reshape(gw!, [-1])]);
    };
    const ours = await on('wasm', grads);
    const ref = await on('cpu', grads);
    expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
  });
});
