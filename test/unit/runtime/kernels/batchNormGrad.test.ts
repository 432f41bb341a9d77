import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { on, ready, relError, signed, tf } from './harness';

/** Our per-channel sums are float64, tfjs-core's float32 over up to ~500 terms. */
const TOLERANCE = 1e-4;

describe('FusedBatchNorm gradient (one pass per derivative on wasm) vs CPU', () => {
  beforeAll(ready);

  it(`matches for x, mean, variance, scale, offset on random shapes (max rel. error ${TOLERANCE})`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          lead: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }),
          c: fc.integer({ min: 1, max: 6 }),
          fromMoments: fc.boolean(),
          seed: fc.nat(),
        }),
        async (k) => {
          const shape = [...k.lead, k.c];
          const n = shape.reduce((a, b) => a * b);
          const x = signed(n, k.seed);
          const w = signed(n, k.seed + 1);
          const stats = signed(4 * k.c, k.seed + 2);
          const grads = () => {
            const xt = tf.tensor(x, shape);
            const mean = tf.tensor1d(stats.subarray(0, k.c));
            const variance = tf.tensor1d(stats.subarray(k.c, 2 * k.c).map((v) => v + 1.5));
            const offset = tf.tensor1d(stats.subarray(2 * k.c, 3 * k.c));
            const scale = tf.tensor1d(stats.subarray(3 * k.c));
            // Differentiate with respect to every input the loss uses.
            const wrt = [xt, ...(k.fromMoments ? [] : [mean, variance]), offset, scale];
            const loss = (...ts: tf.Tensor[]) => {
              const [a, ...rest] = ts as [tf.Tensor, ...tf.Tensor[]];
              // As tfjs-layers trains: statistics from the batch itself, so gradients flow through them too.
              const axes = shape.slice(0, -1).map((_, i) => i);
              const mom = k.fromMoments ? tf.moments(a, axes) : { mean: rest.shift()!, variance: rest.shift()! };
              // (Always with scale and offset: without them tfjs-core 4.22 cannot take the gradient on any backend.)
              const y = tf.batchNorm(a, mom.mean, mom.variance, rest[0], rest[1], 1e-3);
              return tf.sum(tf.mul(y, tf.tensor(w, shape)));
            };
            const gs = tf.grads(loss)(wrt);
            return tf.concat(gs.map((g) => tf.reshape(g, [-1])));
          };
          const ours = await on('wasm', grads);
          const ref = await on('cpu', grads);
          expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
        },
      ),
      { numRuns: 50 },
    );
  });
});
