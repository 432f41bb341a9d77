import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { on, ready, signed, tf } from './harness';

/** A random shape of rank 1-4 and a slice of it (begin, size with -1 meaning "to the end"). */
const sliceArb = fc
  .array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 4 })
  .chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      // Whole trailing axes are the case the runs merge; random ones cover the rest.
      cuts: fc.tuple(...shape.map((d) => fc.oneof(fc.constant([0, d]), fc.constant([0, -1]), fc.integer({ min: 0, max: d - 1 }).chain((b) => fc.tuple(fc.constant(b), fc.integer({ min: 0, max: d - b })))))),
      wide: fc.boolean(),
      int: fc.boolean(),
      seed: fc.nat(),
    }),
  );

describe('Slice and SplitV (wasm: one copy per contiguous run) vs CPU', () => {
  beforeAll(ready);

  it('Slice copies exactly the same values, float32 and int32, on random shapes and slices', async () => {
    await fc.assert(
      fc.asyncProperty(sliceArb, async (k) => {
        // A wide last axis makes runs long enough for our path; a narrow one tests the hand-off.
        const shape = k.wide ? [...k.shape.slice(0, -1), k.shape.at(-1)! * 8] : k.shape;
        const cuts = k.wide ? [...k.cuts.slice(0, -1), [0, -1]] : k.cuts;
        const n = shape.reduce((a, b) => a * b);
        const data = signed(n, k.seed);
        const run = () => {
          const x = k.int ? tf.tensor(Int32Array.from(data, (v) => Math.round(v * 1000)), shape, 'int32') : tf.tensor(data, shape);
          return tf.cast(tf.slice(x, cuts.map((c) => c[0]!), cuts.map((c) => c[1]!)), 'float32');
        };
        const ours = await on('wasm', run);
        const ref = await on('cpu', run);
        expect(ours.shape).toEqual(ref.shape);
        expect(Array.from(ours.values)).toEqual(Array.from(ref.values));
      }),
      { numRuns: 150 },
    );
  });

  it('SplitV, and so the gradient of Concat, match on random shapes, axes and split sizes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }).chain((shape) =>
          fc.record({ shape: fc.constant(shape.map((d) => d * 3)), axis: fc.integer({ min: 0, max: shape.length - 1 }), seed: fc.nat() }),
        ),
        async (k) => {
          const n = k.shape.reduce((a, b) => a * b);
          const data = signed(n, k.seed);
          const d = k.shape[k.axis]!;
          const sizes = [1, d - 1 - Math.floor(d / 3), Math.floor(d / 3)].filter((s) => s > 0);
          const sum = sizes.reduce((a, b) => a + b);
          sizes[sizes.length - 1]! += d - sum;
          const run = () => tf.concat(tf.split(tf.tensor(data, k.shape), sizes, k.axis).map((t, i) => tf.mul(t, i + 1)), k.axis);
          const ours = await on('wasm', run);
          const ref = await on('cpu', run);
          expect(Array.from(ours.values)).toEqual(Array.from(ref.values));
        },
      ),
      { numRuns: 80 },
    );
  });

  it("splits a ViT's class token off [8, 65, 64] as Concat's gradient", async () => {
    const x = signed(8 * 64 * 64, 1);
    const cls = signed(8 * 64, 2);
    const w = signed(8 * 65 * 64, 3);
    const grads = () => {
      const [gc, gx] = tf.grads((c: tf.Tensor, p: tf.Tensor) => tf.sum(tf.mul(tf.concat([c, p], 1), tf.tensor(w, [8, 65, 64]))))([tf.tensor(cls, [8, 1, 64]), tf.tensor(x, [8, 64, 64])]);
      return tf.concat([tf.reshape(gc!, [-1]), tf.reshape(gx!, [-1])]);
    };
    const ours = await on('wasm', grads);
    // d/dc is w's first row of each example, d/dp the other 64 rows.
    const rows = (from: number, to: number) => Array.from({ length: 8 }, (_, b) => Array.from(w.subarray((b * 65 + from) * 64, (b * 65 + to) * 64))).flat();
    expect(Array.from(ours.values)).toEqual([...rows(0, 1), ...rows(1, 65)]);
  });
});
