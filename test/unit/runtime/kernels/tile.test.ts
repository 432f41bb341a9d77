import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { on, ready, relError, signed, tf } from './harness';

/** Tile copies values; its gradient sums at most a few dozen O(1) terms. */
const TOLERANCE = 1e-6;

const caseArb = fc
  .integer({ min: 1, max: 4 })
  .chain((rank) =>
    fc.record({
      shape: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: rank, maxLength: rank }),
      reps: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: rank, maxLength: rank }),
      seed: fc.nat(),
    }),
  );

describe('Tile (wasm kernel) and its gradient vs CPU', () => {
  beforeAll(ready);

  it(`tile matches on random shapes and repetitions, float32 and int32 (max rel. error ${TOLERANCE})`, async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, fc.boolean(), async (k, int) => {
        const n = k.shape.reduce((a, b) => a * b);
        const data = signed(n, k.seed);
        const run = () => {
          const x = int ? tf.tensor(Int32Array.from(data, (v) => Math.round(v * 100)), k.shape, 'int32') : tf.tensor(data, k.shape);
          return tf.cast(tf.tile(x, k.reps), 'float32');
        };
        const ours = await on('wasm', run);
        const ref = await on('cpu', run);
        expect(ours.shape).toEqual(ref.shape);
        expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
      }),
      { numRuns: 60 },
    );
  });

  it(`the replaced Tile gradient matches tfjs-core's semantics on CPU and wasm (max error ${TOLERANCE} of the summed magnitudes)`, async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (k) => {
        const n = k.shape.reduce((a, b) => a * b);
        const x = signed(n, k.seed);
        const outShape = k.shape.map((d, i) => d * k.reps[i]!);
        const w = signed(outShape.reduce((a, b) => a * b), k.seed + 1);
        const grad = () => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.tile(t, k.reps), tf.tensor(w, outShape))))(tf.tensor(x, k.shape));
        // Reference by definition: dx[i] = Σ over repetitions of w at the tiled positions. Such a
        // sum can cancel to far below its terms, so the error is measured against Σ|w| (a float32
        // sum's own error bound), not against the sum.
        const expected = new Float32Array(n);
        const magnitude = new Float64Array(n);
        const xStrides = tf.util.computeStrides(k.shape);
        for (let o = 0; o < w.length; o++) {
          let rem = o;
          let src = 0;
          for (let a = 0; a < outShape.length; a++) {
            const stride = outShape.slice(a + 1).reduce((p, q) => p * q, 1);
            const coord = Math.floor(rem / stride);
            rem -= coord * stride;
            src += (coord % k.shape[a]!) * (a < k.shape.length - 1 ? xStrides[a]! : 1);
          }
          expected[src] = expected[src]! + w[o]!;
          magnitude[src] = magnitude[src]! + Math.abs(w[o]!);
        }
        const scale = Math.max(...magnitude);
        for (const backend of ['wasm', 'cpu'] as const) {
          const got = await on(backend, grad);
          expect(got.values.reduce((d, v, i) => Math.max(d, Math.abs(v - expected[i]!)), 0) / scale).toBeLessThanOrEqual(TOLERANCE);
        }
      }),
      { numRuns: 40 },
    );
  });
});
