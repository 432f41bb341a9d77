import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { middleSwap } from '../../../../runtime/kernels/transpose';
import { on, ready, signed, tf } from './harness';

describe('Transpose on wasm (rows moved whole where two middle axes swap) vs CPU', () => {
  beforeAll(ready);

  it('recognises swaps of two adjacent axes before the last, and nothing else', () => {
    expect(middleSwap([128, 65, 4, 16], [0, 2, 1, 3])).toEqual([128, 65, 4, 16]);
    expect(middleSwap([3, 5, 8], [1, 0, 2])).toEqual([1, 3, 5, 8]);
    expect(middleSwap([2, 3, 4, 5, 8], [0, 1, 3, 2, 4])).toEqual([6, 4, 5, 8]);
    expect(middleSwap([2, 3, 4, 8], [0, 1, 3, 2])).toBeUndefined(); // the last axis moves
    expect(middleSwap([2, 3, 4, 8], [2, 1, 0, 3])).toBeUndefined(); // not adjacent
    expect(middleSwap([2, 3, 4, 8], [0, 1, 2, 3])).toBeUndefined(); // identity
  });

  it('copies exactly the same values for every permutation of random shapes, float32 and int32', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 5 }).chain((shape) =>
          fc.record({
            // A last axis of 4 or 8 takes our kernel where the permutation allows; others the stock one.
            shape: fc.constant(shape).chain((s) => fc.constantFrom([...s.slice(0, -1), 4], [...s.slice(0, -1), 8], s)),
            perm: fc.shuffledSubarray(shape.map((_, i) => i), { minLength: shape.length, maxLength: shape.length }),
            middle: fc.boolean(),
            int: fc.boolean(),
            seed: fc.nat(),
          }),
        ),
        async (k) => {
          // Half the cases are the middle swaps our kernel takes.
          const rank = k.shape.length;
          const i = k.seed % Math.max(1, rank - 2);
          const perm = k.middle && rank >= 3 ? k.shape.map((_, j) => (j === i ? i + 1 : j === i + 1 ? i : j)) : k.perm;
          const data = signed(k.shape.reduce((a, b) => a * b), k.seed);
          const run = () => {
            const x = k.int ? tf.tensor(Int32Array.from(data, (v) => Math.round(v * 1000)), k.shape, 'int32') : tf.tensor(data, k.shape);
            return tf.cast(tf.transpose(x, perm), 'float32');
          };
          const ours = await on('wasm', run);
          const ref = await on('cpu', run);
          expect(ours.shape).toEqual(ref.shape);
          expect(Array.from(ours.values)).toEqual(Array.from(ref.values));
        },
      ),
      { numRuns: 150 },
    );
  });
});
