import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { convGeometry, cropTaps } from '../../../../runtime/kernels/convGeometry';
import { convOut, kernel, on, ready, relError, signed, simdBuilt, tf } from './harness';

/**
 * F(4, 5) along rows (simd/rows45.c) scales terms by up to 21/4 and 16/180 before summing: its
 * float32 outputs and filter gradients differ from a direct sum by ~1e-6 of the largest value (measured),
 * about the direct kernels' own error. A wrong coefficient in any transform errs by 1e-2 or more.
 */
const TOLERANCE = 1e-4;

/** Where it applies: one input channel, 5x5, unit stride, 4-8 output channels; maps, paddings and batches at random. */
const geometry = fc.record({
  batch: fc.integer({ min: 1, max: 9 }),
  h: fc.integer({ min: 1, max: 20 }),
  w: fc.integer({ min: 1, max: 20 }),
  oc: fc.integer({ min: 4, max: 8 }),
  pad: fc.oneof(
    fc.constantFrom('valid' as const, 'same' as const),
    fc.tuple(fc.nat(4), fc.nat(4), fc.nat(4), fc.nat(4)).map(([t, b, l, r]) => [[0, 0], [t, b], [l, r], [0, 0]]),
  ),
  seed: fc.nat(),
});

type Case = { batch: number; h: number; w: number; oc: number; pad: 'valid' | 'same' | number[][]; seed: number };

/** Whether some taps of a 5x5 filter over x only ever meet padding: then it is cropped first (cropTaps), no longer 5x5. */
const cropped = (xShape: number[], fShape: number[], pad: Case['pad']) => cropTaps(convGeometry(xShape, fShape, [1, 1], pad as never, 1, undefined, false)) !== undefined;

/** The forward pass (with bias) and the filter gradient of one case on wasm and on CPU, with how many times rows45.c ran; undefined where the convolution has no output. */
async function compare(k: Case): Promise<{ uses: number; errors: number[] } | undefined> {
  const xShape = [k.batch, k.h, k.w, 1];
  const fShape = [5, 5, 1, k.oc];
  const outShape = convOut(xShape, fShape, [1, 1], k.pad, [1, 1]);
  if (outShape === undefined) return undefined;
  const x = signed(k.batch * k.h * k.w, k.seed);
  const dy = signed(outShape.reduce((a, b) => a * b), k.seed + 1);
  const w = signed(25 * k.oc, k.seed + 2);
  const bias = signed(k.oc, k.seed + 3);
  const attrs = { strides: [1, 1], pad: k.pad, dataFormat: 'NHWC', dilations: [1, 1] };
  const runs = [
    () => kernel('FusedConv2D', { x: tf.tensor(x, xShape), filter: tf.tensor(w, fShape), bias: tf.tensor(bias, [k.oc]) }, { ...attrs, activation: 'linear' }),
    () => kernel('Conv2DBackpropFilter', { x: tf.tensor(x, xShape), dy: tf.tensor(dy, outShape) }, { ...attrs, filterShape: fShape }),
  ];
  const { tuning } = await import('../../../../runtime/kernels/rows45');
  const before = tuning.uses;
  const errors: number[] = [];
  for (const run of runs) {
    const ours = await on('wasm', run);
    const ref = await on('cpu', run);
    expect(ours.shape).toEqual(ref.shape);
    errors.push(relError(ours.values, ref.values));
  }
  return { uses: tuning.uses - before, errors };
}

describe('5x5 convolutions of one input channel by F(4, 5) along rows (simd/rows45.c), forward and filter gradient, vs CPU', () => {
  beforeAll(ready);

  it(`matches on random maps, paddings, batches and 4-8 output channels (max rel. error ${TOLERANCE})`, async (ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    await fc.assert(
      fc.asyncProperty(geometry, async (k) => {
        const r = await compare(k);
        fc.pre(r !== undefined);
        expect(r!.uses).toBe(cropped([k.batch, k.h, k.w, 1], [5, 5, 1, k.oc], k.pad) ? 0 : 2);
        for (const e of r!.errors) expect(e).toBeLessThanOrEqual(TOLERANCE);
      }),
      { numRuns: 80 },
    );
  });

  it.for<[string, Case]>([
    ["LeNet's first layer, 28x28 'same' into 6 channels, 40 images (split across both threads)", { batch: 40, h: 28, w: 28, oc: 6, pad: 'same', seed: 21 }],
    ['odd maps, valid, 8 channels (a last segment and row partly outside)', { batch: 5, h: 15, w: 13, oc: 8, pad: 'valid', seed: 22 }],
    ['4 channels, one vector', { batch: 3, h: 9, w: 10, oc: 4, pad: 'same', seed: 23 }],
  ])('runs on rows45.c and matches: %s', async ([, k], ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    const r = (await compare(k))!;
    expect(r.uses).toBe(2);
    for (const e of r.errors) expect(e).toBeLessThanOrEqual(TOLERANCE);
  });

  it(`matches the forward pass over 4 to 7 input channels (simd/rows45c.c) on random maps, channels, paddings and batches (max rel. error ${TOLERANCE})`, async (ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    const { tuning } = await import('../../../../runtime/kernels/rows45');
    const channels = fc.record({
      // Chunks of up to 8 images a thread: one to several.
      batch: fc.integer({ min: 1, max: 20 }),
      h: fc.integer({ min: 1, max: 16 }),
      w: fc.integer({ min: 1, max: 16 }),
      // 4 in whole vectors; 5, 6 and 7 with their last four channels overlapping the ones before (from 8, F(4x4, 5x5) takes them).
      c: fc.constantFrom(4, 5, 6, 7),
      oc: fc.constantFrom(8, 16, 24),
      pad: geometry.map((k) => k.pad),
      seed: fc.nat(),
    });
    await fc.assert(
      fc.asyncProperty(channels, async (k) => {
        const xShape = [k.batch, k.h, k.w, k.c];
        const fShape = [5, 5, k.c, k.oc];
        const outShape = convOut(xShape, fShape, [1, 1], k.pad, [1, 1]);
        fc.pre(outShape !== undefined);
        const x = signed(xShape.reduce((a, b) => a * b), k.seed);
        const w = signed(25 * k.c * k.oc, k.seed + 1);
        const bias = signed(k.oc, k.seed + 2);
        const run = () =>
          kernel('FusedConv2D', { x: tf.tensor(x, xShape), filter: tf.tensor(w, fShape), bias: tf.tensor(bias, [k.oc]) }, { strides: [1, 1], pad: k.pad, dataFormat: 'NHWC', dilations: [1, 1], activation: 'linear' });
        const before = tuning.uses;
        const ours = await on('wasm', run);
        expect(tuning.uses - before).toBe(cropped(xShape, fShape, k.pad) || outShape![2] < 4 ? 0 : 1);
        const ref = await on('cpu', run);
        expect(ours.shape).toEqual(ref.shape);
        expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
      }),
      { numRuns: 60 },
    );
  });
});
