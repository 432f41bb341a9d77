import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { leadingReduction } from '../../../../runtime/kernels/reduceLeading';
import { kernel, on, ready, relError, signed, tf } from './harness';

/** Both sides accumulate in float64 and round once; different order only. */
const TOLERANCE = 1e-6;

describe('Sum / Mean over leading axes (wasm, JS column sums) vs CPU', () => {
  beforeAll(ready);

  it('recognises leading reductions, ignoring axes of size 1', () => {
    expect(leadingReduction([128, 8, 8, 16], [0, 1, 2])).toEqual([8192, 16]);
    expect(leadingReduction([128, 1, 65, 1, 1, 64], [0, 2, 4])).toEqual([8320, 64]);
    expect(leadingReduction([4, 5, 6], [-1])).toBeUndefined();
    expect(leadingReduction([4, 5, 6], [0, 2])).toBeUndefined();
  });

  it(`matches on random shapes, axes and keepDims, leading or not (max rel. error ${TOLERANCE})`, async () => {
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
          expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('sums 8192 rows of a bias gradient as accurately as the CPU backend', async () => {
    const x = signed(128 * 8 * 8 * 16, 7);
    const run = () => tf.sum(tf.tensor4d(x, [128, 8, 8, 16]), [0, 1, 2]);
    const ours = await on('wasm', run);
    const ref = await on('cpu', run);
    expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
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
