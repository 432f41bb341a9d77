import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { leadingReduction } from '../../../../runtime/kernels/reduceLeading';
import { JS_ONLY, kernel, on, onPath, ready, relError, signed, tf } from './harness';

/**
 * Absolute error per unit of the inputs' scale (inputs in [-1, 1); the scale is the number of
 * terms for Sum, 1 for Mean): relative error is meaningless after cancellation. Ours sums in
 * float64 and rounds once; the CPU Mean divides each term before summing (one float32
 * rounding per term); the stock wasm kernels (non-leading axes) sum in float32.
 */
const TOLERANCE = 1e-6;
const STOCK_TOLERANCE = 1e-5;

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

describe('Sum / Mean over leading axes (wasm, JS column sums) vs CPU', () => {
  beforeAll(ready);

  it('reduces every axis when the axis is null (tf.sum(x), tf.mean(x)) and takes negative axes', async () => {
    const x = [1, 2, 3, 4, 5, 6];
    expect(Array.from((await on('wasm', () => tf.sum(tf.tensor1d(x)))).values)).toEqual([21]);
    expect(Array.from((await on('wasm', () => tf.mean(tf.tensor2d(x, [2, 3])))).values)).toEqual([3.5]);
    expect(Array.from((await on('wasm', () => tf.sum(tf.tensor2d(x, [2, 3]), -2))).values)).toEqual([5, 7, 9]);
  });

  it('recognises leading reductions, ignoring axes of size 1', () => {
    expect(leadingReduction([128, 8, 8, 16], [0, 1, 2])).toEqual([8192, 16]);
    expect(leadingReduction([128, 1, 65, 1, 1, 64], [0, 2, 4])).toEqual([8320, 64]);
    expect(leadingReduction([4, 5, 6], [-1])).toBeUndefined();
    expect(leadingReduction([4, 5, 6], [0, 2])).toBeUndefined();
  });

  it.for(['our SIMD module (simd/norm.c; ragged columns as rows side by side)', JS_ONLY] as const)(`matches on random shapes, axes and keepDims, leading or not (max abs. error ${TOLERANCE} per unit of scale, ${STOCK_TOLERANCE} where the stock kernel runs): %s`, async (path, ctx) => {
    await onPath(path, ctx, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 5 }),
          fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
          fc.boolean(),
          fc.constantFrom('Sum', 'Mean'),
          fc.nat(),
          async (shape, pick, keepDims, name, seed) => {
            const axis = shape.map((_, i) => i).filter((i) => pick[i]);
            fc.pre(axis.length > 0);
            const x = signed(shape.reduce((a, b) => a * b), seed);
            const run = () => kernel(name, { x: tf.tensor(x, shape) }, { axis, keepDims });
            const ours = await on('wasm', run);
            const ref = await on('cpu', run);
            expect(ours.shape).toEqual(ref.shape);
            const terms = axis.reduce((n, i) => n * shape[i]!, 1);
            const tolerance = (leadingReduction(shape, axis) === undefined ? STOCK_TOLERANCE : TOLERANCE) * (name === 'Sum' ? terms : 1);
            expect(maxAbsDiff(ours.values, ref.values)).toBeLessThanOrEqual(tolerance);
          },
        ),
        { numRuns: 100 },
      );
    });
  });

  it.for([
    ['our SIMD module (simd/norm.c)', [128, 8, 8, 16]],
    ['our SIMD module (simd/norm.c), 6 channels as 12 (LeNet)', [64, 28, 28, 6]],
    ['our SIMD module (simd/norm.c), 3 channels as 12', [16, 32, 32, 3]],
    [JS_ONLY, [128, 8, 8, 16]],
  ] as const)('sums the rows of a bias gradient as accurately as the CPU backend: %s', async ([path, shape], ctx) => {
    await onPath(path, ctx, async () => {
      const x = signed(shape.reduce((a: number, b: number) => a * b, 1), 7);
      const run = () => tf.sum(tf.tensor4d(x, [...shape]), [0, 1, 2]);
      const ours = await on('wasm', run);
      const ref = await on('cpu', run);
      expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
    });
  });
});

describe("Mean's gradient on wasm (dy / n tiled, no full-size ones tensor) vs CPU", () => {
  beforeAll(ready);

  it('matches tfjs-core\'s on random shapes, axes and keepDims, and leaks nothing', async () => {
    const cases = fc.record({
      shape: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
      pick: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      keepDims: fc.boolean(),
      seed: fc.nat(),
    });
    await fc.assert(
      fc.asyncProperty(cases, async ({ shape, pick, keepDims, seed }) => {
        const axes = shape.map((_, i) => i).filter((i) => pick[i]);
        const axis = axes.length > 0 ? axes : undefined;
        const x = signed(shape.reduce((a, b) => a * b, 1), seed);
        // Each output weighted differently, so that a gradient sent to the wrong slice shows.
        const loss = (t: tf.Tensor) => {
          const m = tf.mean(t, axis, keepDims);
          return tf.sum(tf.mul(m, tf.reshape(tf.range(1, m.size + 1), m.shape)));
        };
        const run = () => tf.grad(loss)(tf.tensor(x, shape));
        const before = tf.memory().numTensors;
        const ours = await on('wasm', run);
        expect(tf.memory().numTensors).toBe(before);
        const ref = await on('cpu', run);
        expect(ours.shape).toEqual(shape);
        expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
      }),
      { numRuns: 40 },
    );
  });

  it('weights each input by its reduced slice\'s output gradient / n', async () => {
    // mean over axis 1 of [2, 3]: outputs y0, y1; loss 1·y0 + 2·y1 → dx = [1/3 ×3, 2/3 ×3].
    const g = await on('wasm', () => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.mean(t, 1), tf.tensor1d([1, 2]))))(tf.zeros([2, 3])));
    expect(Array.from(g.values)).toEqual([1 / 3, 1 / 3, 1 / 3, 2 / 3, 2 / 3, 2 / 3].map(Math.fround));
  });
});

describe('a reduction over axes of size 1 only (a global pool over a 1x1 map) on wasm', () => {
  beforeAll(ready);

  it('is x reshaped on the same memory: its values, kept after x is disposed, and nothing leaks', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const values = signed(4 * 8, 3);
    const x = tf.tensor4d(values, [4, 1, 1, 8]);
    const y = kernel('Mean', { x }, { axis: [1, 2], keepDims: false });
    expect(y.dataId).toBe(x.dataId);
    x.dispose();
    expect(y.shape).toEqual([4, 8]);
    expect(Array.from(y.dataSync())).toEqual(Array.from(values));
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('Identity (wasm, shared memory)', () => {
  beforeAll(ready);

  it('keeps its values after the input is disposed, and leaks nothing', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const x = tf.tensor([1.5, -2, 3], [3]);
    const y = kernel('Identity', { x }, {});
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1.5, -2, 3]);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
