import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { convOut, kernel, on, ready, relError, signed, simdBuilt, tf } from './harness';

/**
 * F(4x4, 3x3)'s transforms scale terms by up to 8 and 1/24 before summing, so its float32
 * results differ from a direct sum by ~1e-6-1e-5 of the largest output (measured; F(2x2, 3x3)
 * ~1e-6): ten times the direct kernels' 1e-5 (max abs error over max |reference|).
 */
const TOLERANCE = 1e-4;

/**
 * F(8x8, 3x3) (simd/winograd83.c) scales terms by up to 7.6 and 1/0.0056 (1/N_0): its results
 * differ by ~1e-4-2.5e-4 of the largest output (measured over 16-128 channels), so its runs are
 * held to 1e-3. A wrong coefficient in any of its transforms errs by 1e-2 or more.
 */
const F8_TOLERANCE = 1e-3;

/**
 * Where simd/winograd.c and winograd45.c apply: 3x3 (forward, input and filter gradients;
 * channels multiples of 4) or 5x5 (filter gradient; 6 channels padded to 8), unit stride, no
 * dilation, outputs at least 4x4.
 */
const geometry = fc.record({
  k: fc.constantFrom(3, 5),
  batch: fc.integer({ min: 1, max: 6 }),
  // 4x4 tiles: maps from one tile to three, the last ones partly outside.
  h: fc.integer({ min: 4, max: 13 }),
  w: fc.integer({ min: 4, max: 13 }),
  c: fc.constantFrom(4, 6, 8, 12, 16),
  // 4 and 12 leave half of the last 8-column register block unused; 6 is padded (5x5) or not Winograd's (3x3).
  oc: fc.constantFrom(4, 6, 8, 12, 16, 20),
  pad: fc.oneof(
    fc.constantFrom('valid' as const, 'same' as const),
    fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)).map(([t, b, l, r]) => [[0, 0], [t, b], [l, r], [0, 0]]),
  ),
  seed: fc.nat(),
});

type Case = { k: number; batch: number; h: number; w: number; c: number; oc: number; pad: 'valid' | 'same' | number[][]; seed: number };

/**
 * How many of a case's three kernels run on Winograd: 3x3 all three where channels fill lanes;
 * 5x5 the filter gradient (F(4x4, 5x5)), and the forward pass and input gradient where they are
 * not taken by rows45c.c, the scatter or cropped taps (the 5x5 tests below pin those down).
 */
const expectedUses = (k: Case) => (k.k === 3 ? (k.c % 4 === 0 && k.oc % 4 === 0 ? 3 : 0) : undefined);

/** r's Winograd uses as expected for case k: exactly for 3x3, from 1 (the filter gradient) to 3 for 5x5. */
function expectUses(r: { uses: number }, k: Case): void {
  const n = expectedUses(k);
  if (n !== undefined) {
    expect(r.uses).toBe(n);
  } else {
    expect(r.uses).toBeGreaterThanOrEqual(1);
    expect(r.uses).toBeLessThanOrEqual(3);
  }
}

/** Forward (with bias), input gradient and filter gradient of one case: on wasm by Winograd where it fits, and on CPU; f8[i] when run i took F(8x8, 3x3). */
async function compare(k: Case): Promise<{ uses: number; errors: number[]; f8: boolean[] } | undefined> {
  const xShape = [k.batch, k.h, k.w, k.c];
  const fShape = [k.k, k.k, k.c, k.oc];
  const outShape = convOut(xShape, fShape, [1, 1], k.pad, [1, 1]);
  // Winograd takes outputs of at least 4x4, and 2x2 maps padded by one (winograd22.c).
  if (outShape === undefined || ((outShape[1] < 4 || outShape[2] < 4) && !(k.h === 2 && k.w === 2))) return undefined;
  const x = signed(xShape.reduce((a, b) => a * b), k.seed);
  const w = signed(fShape.reduce((a, b) => a * b), k.seed + 1);
  const bias = signed(k.oc, k.seed + 2);
  const dy = signed(outShape.reduce((a, b) => a * b), k.seed + 3);
  const attrs = { strides: [1, 1], pad: k.pad, dataFormat: 'NHWC', dilations: [1, 1] };
  const runs = [
    () => kernel('FusedConv2D', { x: tf.tensor(x, xShape), filter: tf.tensor(w, fShape), bias: tf.tensor(bias, [k.oc]) }, { ...attrs, activation: 'linear' }),
    () => kernel('Conv2DBackpropInput', { dy: tf.tensor(dy, outShape), filter: tf.tensor(w, fShape) }, { ...attrs, inputShape: xShape }),
    () => kernel('Conv2DBackpropFilter', { x: tf.tensor(x, xShape), dy: tf.tensor(dy, outShape) }, { ...attrs, filterShape: fShape }),
  ];
  const { tuning } = await import('../../../../runtime/kernels/winograd');
  const before = tuning.uses;
  const errors: number[] = [];
  const f8: boolean[] = [];
  for (const run of runs) {
    const f8Before = tuning.byKernel.winograd83 ?? 0;
    const ours = await on('wasm', run);
    f8.push((tuning.byKernel.winograd83 ?? 0) > f8Before);
    const ref = await on('cpu', run);
    expect(ours.shape).toEqual(ref.shape);
    errors.push(relError(ours.values, ref.values));
  }
  return { uses: tuning.uses - before, errors, f8 };
}

/** Each run of r within its algorithm's tolerance. */
function expectWithin(r: { errors: number[]; f8: boolean[] }): void {
  r.errors.forEach((e, i) => expect(e).toBeLessThanOrEqual(r.f8[i] ? F8_TOLERANCE : TOLERANCE));
}

describe("Winograd convolutions (simd/winograd.c: F(4x4, 3x3); winograd22.c: 3x3 over 2x2 maps; winograd45.c: F(4x4, 5x5) filter gradients; winograd44.c, winograd34.c: strided stems) vs CPU", () => {
  beforeAll(ready);

  it(`matches the forward convolution, its input gradient and its filter gradient on random maps, channels and paddings (max rel. error ${TOLERANCE})`, async (ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    await fc.assert(
      fc.asyncProperty(geometry, async (k) => {
        const r = await compare(k);
        fc.pre(r !== undefined);
        // Where it applies, Winograd ran (the input gradient is a forward convolution of dy).
        expectUses(r!, k);
        expectWithin(r!);
      }),
      { numRuns: 60 },
    );
  });

  it(`matches 3x3 convolutions padded by one over 2x2 maps (simd/winograd22.c, 9 products an image), forward, input and filter gradients (max rel. error ${TOLERANCE})`, async (ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    const { tuning } = await import('../../../../runtime/kernels/winograd');
    const twoByTwo = fc.record({
      k: fc.constant(3),
      // One tile an image, 16 a chunk: one chunk to several, split across the threads from 32.
      batch: fc.integer({ min: 1, max: 40 }),
      h: fc.constant(2),
      w: fc.constant(2),
      c: fc.constantFrom(4, 8, 16, 64),
      oc: fc.constantFrom(4, 8, 12, 20, 64),
      pad: fc.constantFrom<Case['pad']>('same', [[0, 0], [1, 1], [1, 1], [0, 0]]),
      seed: fc.nat(),
    });
    await fc.assert(
      fc.asyncProperty(twoByTwo, async (k) => {
        const before = tuning.byKernel.winograd22 ?? 0;
        const r = (await compare(k))!;
        expect(r.uses).toBe(3);
        expect((tuning.byKernel.winograd22 ?? 0) - before).toBe(3);
        for (const e of r.errors) expect(e).toBeLessThanOrEqual(TOLERANCE);
      }),
      { numRuns: 25 },
    );
  });

  it.for<[string, Case]>([
    ['32 images of 16x16x16 → 16 (tiles split across both threads, several chunks each)', { k: 3, batch: 32, h: 16, w: 16, c: 16, oc: 16, pad: 'same', seed: 11 }],
    ['8 images of 9x7x32 → 64, odd maps (edge tiles mostly outside)', { k: 3, batch: 8, h: 9, w: 7, c: 32, oc: 64, pad: 'same', seed: 12 }],
    ['3 images of 6x6x128 → 128, valid (one chunk of few tiles, long contractions)', { k: 3, batch: 3, h: 6, w: 6, c: 128, oc: 128, pad: 'valid', seed: 13 }],
    ["LeNet's second layer, 5x5 valid, 6 → 16 channels over 14x14 maps, 40 images (split across both threads)", { k: 5, batch: 40, h: 14, w: 14, c: 6, oc: 16, pad: 'valid', seed: 14 }],
  ])('matches on larger shapes: %s', async ([, k], ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    const r = await compare(k);
    expectUses(r!, k);
    expectWithin(r!);
  });

  it(`matches F(8x8, 3x3) (simd/winograd83.c), forward and input gradient, where its tiles do fewer products over 32 channels or more (max rel. error ${F8_TOLERANCE}; the filter gradient stays F(4x4, 3x3)'s, ${TOLERANCE})`, async (ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    const wide = fc.record({
      k: fc.constant(3),
      // 8x8 tiles: maps from one tile to three (the last partly outside), 4 to 40 tiles a call.
      batch: fc.integer({ min: 1, max: 3 }),
      h: fc.integer({ min: 7, max: 20 }),
      w: fc.integer({ min: 7, max: 20 }),
      c: fc.constantFrom(16, 32, 36, 64),
      oc: fc.constantFrom(32, 40, 64),
      pad: fc.oneof(
        fc.constantFrom('valid' as const, 'same' as const),
        fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)).map(([t, b, l, r]) => [[0, 0], [t, b], [l, r], [0, 0]]),
      ),
      seed: fc.nat(),
    });
    let ran = 0;
    await fc.assert(
      fc.asyncProperty(wide, async (k) => {
        const r = await compare(k);
        fc.pre(r !== undefined);
        // The forward pass over [h', w'] outputs, the input gradient over [h, w]: each F(8x8) where its tiles beat F(4x4)'s and both channel counts are 32 or more.
        const [oh, ow] = convOut([k.batch, k.h, k.w, k.c], [3, 3, k.c, k.oc], [1, 1], k.pad, [1, 1])!.slice(1, 3) as [number, number];
        const fewer = (h: number, w: number) => Math.ceil(h / 8) * Math.ceil(w / 8) * 100 < Math.ceil(h / 4) * Math.ceil(w / 4) * 36;
        const f8 = k.c >= 32 && k.oc >= 32;
        expect(r!.f8).toEqual([f8 && fewer(oh, ow), f8 && fewer(k.h, k.w), false]);
        ran += r!.f8.filter(Boolean).length;
        expectWithin(r!);
      }),
      { numRuns: 15, examples: [[{ k: 3, batch: 2, h: 16, w: 16, c: 32, oc: 32, pad: 'same', seed: 5 }]] },
    );
    expect(ran).toBeGreaterThan(0);
  });

  it(`matches 5x5 filter gradients by F(4x4, 5x5) (simd/winograd45.c), channels unpadded from 4 (max rel. error ${TOLERANCE})`, async (ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    const { tuning } = await import('../../../../runtime/kernels/winograd');
    const five = fc.record({
      k: fc.constant(5),
      // 1 to 4 tiles a side, the last partly outside; chunks of tiles split across the threads from 2 images on.
      batch: fc.integer({ min: 1, max: 12 }),
      h: fc.integer({ min: 8, max: 20 }),
      w: fc.integer({ min: 8, max: 20 }),
      // 6 and 7: the last four channels overlap the ones before (no padded copy); 3 is padded to 4.
      c: fc.constantFrom(3, 4, 6, 7, 8, 16),
      oc: fc.constantFrom(4, 8, 16, 24),
      pad: fc.oneof(fc.constant('valid' as const), fc.tuple(fc.nat(2), fc.nat(2)).map(([t, l]) => [[0, 0], [t, t], [l, l], [0, 0]])),
      seed: fc.nat(),
    });
    await fc.assert(
      fc.asyncProperty(five, async (k) => {
        const before = tuning.byKernel.winograd45 ?? 0;
        const r = (await compare(k))!;
        // The filter gradient always; the forward pass and input gradient where F(4x4, 5x5) takes them.
        expect((tuning.byKernel.winograd45 ?? 0) - before).toBe(r.uses);
        expectUses(r, k);
        for (const e of r.errors) expect(e).toBeLessThanOrEqual(TOLERANCE);
      }),
      { numRuns: 40 },
    );
  });

  it.for<[string, Case, number]>([
    ['16 → 32 channels over 12x12, same: all three', { k: 5, batch: 4, h: 12, w: 12, c: 16, oc: 32, pad: 'same', seed: 41 }, 3],
    ["LeNet's second layer (6 → 16, valid): the filter gradient only (rows45c.c's forward pass, the scatter's input gradient)", { k: 5, batch: 8, h: 14, w: 14, c: 6, oc: 16, pad: 'valid', seed: 42 }, 1],
    ['12 → 16, valid: the input gradient as the flipped convolution rather than the scatter, and the forward pass', { k: 5, batch: 8, h: 14, w: 14, c: 12, oc: 16, pad: 'valid', seed: 43 }, 3],
    ['4 → 12, valid: the forward pass (12 outputs do not fill rows45c.c\'s 8-wide blocks) and the filter gradient; dx into 4 channels scattered', { k: 5, batch: 8, h: 14, w: 14, c: 4, oc: 12, pad: 'valid', seed: 44 }, 2],
  ])('takes F(4x4, 5x5) where measured faster: %s', async ([, k, uses], ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    const r = (await compare(k))!;
    expect(r.uses).toBe(uses);
    for (const e of r.errors) expect(e).toBeLessThanOrEqual(TOLERANCE);
  });

  it('matches with every convolution kept on one thread, as the product keeps small ones (Winograd and the direct kernels)', async (ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    const { convTuning } = await import('../../../../runtime/kernels/simdModule');
    const { tuning } = await import('../../../../runtime/kernels/winograd');
    convTuning.parallelFromMacs = Infinity;
    try {
      for (const enabled of [true, false]) {
        tuning.enabled = enabled;
        for (const k of [
          { k: 3, batch: 6, h: 12, w: 12, c: 16, oc: 16, pad: 'same' as const, seed: 31 },
          { k: 5, batch: 8, h: 14, w: 14, c: 6, oc: 16, pad: 'valid' as const, seed: 32 },
        ]) {
          const r = await compare(k);
          if (enabled) expectUses(r!, k);
          else expect(r!.uses).toBe(0);
          for (const e of r!.errors) expect(e).toBeLessThanOrEqual(TOLERANCE);
        }
      }
    } finally {
      convTuning.parallelFromMacs = 0;
      tuning.enabled = true;
    }
  });

  it(`matches stride-2 7x7 and 8x8 convolutions (space-to-depth F(4x4, 4x4) and F(3x3, 4x4)), forward and filter gradient, on random maps, channels and paddings (max rel. error ${TOLERANCE})`, async (ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    const { tuning } = await import('../../../../runtime/kernels/winograd');
    const before = { ...tuning.byKernel };
    // Outputs of 3 to 11: 3x3 tiles win at 3, 5, 6 and 9 (fewer products), 4x4 tiles at the others.
    const strided = fc.record({
      k: fc.constantFrom(7, 8),
      batch: fc.integer({ min: 1, max: 4 }),
      h: fc.integer({ min: 6, max: 21 }),
      w: fc.integer({ min: 6, max: 21 }),
      c: fc.integer({ min: 1, max: 5 }),
      oc: fc.constantFrom(4, 8, 12, 16),
      pad: fc.oneof(
        fc.constantFrom('valid' as const, 'same' as const),
        fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3), fc.nat(3)).map(([t, b, l, r]) => [[0, 0], [t, b], [l, r], [0, 0]]),
      ),
      seed: fc.nat(),
    });
    await fc.assert(
      fc.asyncProperty(strided, async (k) => {
        const xShape = [k.batch, k.h, k.w, k.c];
        const fShape = [k.k, k.k, k.c, k.oc];
        const outShape = convOut(xShape, fShape, [2, 2], k.pad, [1, 1]);
        fc.pre(outShape !== undefined);
        const x = signed(xShape.reduce((a, b) => a * b), k.seed);
        const w = signed(fShape.reduce((a, b) => a * b), k.seed + 1);
        const bias = signed(k.oc, k.seed + 2);
        const dy = signed(outShape!.reduce((a, b) => a * b), k.seed + 3);
        const attrs = { strides: [2, 2], pad: k.pad, dataFormat: 'NHWC', dilations: [1, 1] };
        for (const run of [
          () => kernel('FusedConv2D', { x: tf.tensor(x, xShape), filter: tf.tensor(w, fShape), bias: tf.tensor(bias, [k.oc]) }, { ...attrs, activation: 'linear' }),
          () => kernel('Conv2DBackpropFilter', { x: tf.tensor(x, xShape), dy: tf.tensor(dy, outShape!) }, { ...attrs, filterShape: fShape }),
        ]) {
          const ours = await on('wasm', run);
          const ref = await on('cpu', run);
          expect(ours.shape).toEqual(ref.shape);
          expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
        }
      }),
      { numRuns: 40 },
    );
    for (const kernel of ['winograd34', 'winograd44']) expect(tuning.byKernel[kernel] ?? 0, kernel).toBeGreaterThan(before[kernel] ?? 0);
  });

  it(`matches stride-2 3x3 convolutions (winograd3s2.c: F(4, 2) on even inputs, odd ones direct), forward, filter and input gradients, on random maps, channels and paddings (max rel. error ${TOLERANCE})`, async (ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    const { tuning } = await import('../../../../runtime/kernels/winograd');
    const stride2 = fc.record({
      batch: fc.integer({ min: 1, max: 6 }),
      // Outputs from 2 (direct: 4x4 tiles would do more products) to 11 (edge tiles partly outside).
      h: fc.integer({ min: 4, max: 22 }),
      w: fc.integer({ min: 4, max: 22 }),
      c: fc.constantFrom(4, 8, 16),
      oc: fc.constantFrom(4, 8, 12, 16, 20),
      pad: fc.oneof(
        fc.constantFrom('valid' as const, 'same' as const),
        fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)).map(([t, b, l, r]) => [[0, 0], [t, b], [l, r], [0, 0]]),
      ),
      seed: fc.nat(),
    });
    let ran = 0;
    let ranDx = 0;
    await fc.assert(
      fc.asyncProperty(stride2, async (k) => {
        const xShape = [k.batch, k.h, k.w, k.c];
        const fShape = [3, 3, k.c, k.oc];
        const outShape = convOut(xShape, fShape, [2, 2], k.pad, [1, 1]);
        fc.pre(outShape !== undefined);
        const [oh, ow] = [outShape![1], outShape![2]];
        const x = signed(xShape.reduce((a, b) => a * b), k.seed);
        const w = signed(fShape.reduce((a, b) => a * b), k.seed + 1);
        const bias = signed(k.oc, k.seed + 2);
        const dy = signed(outShape!.reduce((a, b) => a * b), k.seed + 3);
        const attrs = { strides: [2, 2], pad: k.pad, dataFormat: 'NHWC', dilations: [1, 1] };
        const before = tuning.byKernel.winograd3s2 ?? 0;
        const beforeDx = tuning.byKernel.winograd3s2_input_grad ?? 0;
        for (const run of [
          () => kernel('FusedConv2D', { x: tf.tensor(x, xShape), filter: tf.tensor(w, fShape), bias: tf.tensor(bias, [k.oc]) }, { ...attrs, activation: 'linear' }),
          () => kernel('Conv2DBackpropFilter', { x: tf.tensor(x, xShape), dy: tf.tensor(dy, outShape!) }, { ...attrs, filterShape: fShape }),
          () => kernel('Conv2DBackpropInput', { dy: tf.tensor(dy, outShape!), filter: tf.tensor(w, fShape) }, { ...attrs, inputShape: xShape }),
        ]) {
          const ours = await on('wasm', run);
          const ref = await on('cpu', run);
          expect(ours.shape).toEqual(ref.shape);
          expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
        }
        // Winograd ran exactly where its tiles do fewer products than the direct kernels: 4x4
        // tiles of the output forward and for the filter gradient, 8x8 of dx for the input
        // gradient (where no padding comes before the map).
        const fits = Math.ceil(oh / 4) * Math.ceil(ow / 4) * 81 < oh * ow * 9;
        expect((tuning.byKernel.winograd3s2 ?? 0) - before).toBe(fits ? 2 : 0);
        const top = k.pad === 'valid' ? 0 : k.pad === 'same' ? Math.floor(Math.max(0, (oh - 1) * 2 + 3 - k.h) / 2) : k.pad[1]![0]!;
        const left = k.pad === 'valid' ? 0 : k.pad === 'same' ? Math.floor(Math.max(0, (ow - 1) * 2 + 3 - k.w) / 2) : k.pad[2]![0]!;
        const dxFits = fits && top === 0 && left === 0 && Math.ceil(k.h / 8) * Math.ceil(k.w / 8) * 81 < (k.h * k.w * 9) / 4;
        expect((tuning.byKernel.winograd3s2_input_grad ?? 0) - beforeDx).toBe(dxFits ? 1 : 0);
        if (fits) ran++;
        if (dxFits) ranDx++;
      }),
      { numRuns: 60 },
    );
    expect(ran).toBeGreaterThan(0);
    expect(ranDx).toBeGreaterThan(0);
  });

  it("runs a ResNet stem (7x7/2 'same', 3 → 16 channels, 32x32 images) on it, forward and filter gradient, by F(4x4, 4x4)", async (ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    const { tuning } = await import('../../../../runtime/kernels/winograd');
    const before44 = tuning.byKernel.winograd44 ?? 0;
    const x = tf.tensor4d(signed(6 * 32 * 32 * 3, 41), [6, 32, 32, 3]);
    const w = tf.tensor4d(signed(7 * 7 * 3 * 16, 42), [7, 7, 3, 16]);
    const dy = tf.tensor4d(signed(6 * 16 * 16 * 16, 43), [6, 16, 16, 16]);
    await tf.setBackend('wasm');
    const before = tuning.uses;
    tf.tidy(() => {
      tf.conv2d(x, w, 2, 'same').dataSync();
      (tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [2, 2], pad: 'same', dataFormat: 'NHWC', filterShape: [7, 7, 3, 16] }) as tf.Tensor).dataSync();
    });
    expect(tuning.uses - before).toBe(2);
    expect((tuning.byKernel.winograd44 ?? 0) - before44).toBe(2);
    tf.dispose([x, w, dy]);
  });

  it('trains a small 3x3 network to the same losses with and without Winograd', async (ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    const { tuning } = await import('../../../../runtime/kernels/winograd');
    const losses = async (enabled: boolean) => {
      tuning.enabled = enabled;
      await tf.setBackend('wasm');
      const x = tf.tensor4d(signed(8 * 8 * 8 * 4, 21), [8, 8, 8, 4]);
      const target = tf.tensor4d(signed(8 * 8 * 8 * 8, 22), [8, 8, 8, 8]);
      const w1 = tf.variable(tf.mul(tf.tensor4d(signed(3 * 3 * 4 * 8, 23), [3, 3, 4, 8]), 0.3));
      const w2 = tf.variable(tf.mul(tf.tensor4d(signed(3 * 3 * 8 * 8, 24), [3, 3, 8, 8]), 0.3));
      const opt = tf.train.sgd(0.01);
      const out: number[] = [];
      for (let i = 0; i < 5; i++) {
        const loss = opt.minimize(() => tf.mean(tf.square(tf.sub(tf.conv2d(tf.relu(tf.conv2d(x, w1 as tf.Tensor4D, 1, 'same')), w2 as tf.Tensor4D, 1, 'same'), target))) as tf.Scalar, true)!;
        out.push(loss.dataSync()[0]!);
        loss.dispose();
      }
      tf.dispose([x, target, w1, w2]);
      opt.dispose();
      return out;
    };
    try {
      const direct = await losses(false);
      const winograd = await losses(true);
      expect(direct[4]!).toBeLessThan(direct[0]!);
      for (let i = 0; i < 5; i++) expect(Math.abs(winograd[i]! - direct[i]!) / direct[i]!).toBeLessThan(1e-4);
    } finally {
      tuning.enabled = true;
    }
  });
});
