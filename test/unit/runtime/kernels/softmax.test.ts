import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SoftmaxGrad } from '../../../../runtime/kernels/softmax';
import { JS_ONLY, on, onPath, ready, relError, signed, tf } from './harness';

/** exp to ~1e-7 relative and sums of up to 70 terms in another order, in float32. */
const TOLERANCE = 2e-6;

/** Softmax over the last axis and the gradient of Σ softmax(x)·dy, concatenated. */
const softmaxAndGrad = (xs: Float32Array, dys: Float32Array, shape: number[]) => () => {
  const x = tf.tensor(xs, shape);
  const dy = tf.tensor(dys, shape);
  const y = tf.softmax(x);
  const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.softmax(t), dy)))(x);
  return tf.concat([tf.reshape(y, [-1]), tf.reshape(dx, [-1])]);
};

describe('Softmax (stock) and its gradient (ours: one pass per row) on wasm vs CPU', () => {
  beforeAll(ready);

  it.for(['our SIMD module (simd/softmax.c)', JS_ONLY] as const)(`match on random shapes, logits of both signs up to ±30 and masked (-1e9) entries (max rel. error ${TOLERANCE}): %s`, async (path, ctx) => {
    await onPath(path, ctx, () =>
      fc.assert(
        fc.asyncProperty(
          fc.record({ lead: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 0, maxLength: 3 }), d: fc.integer({ min: 1, max: 70 }), masked: fc.boolean(), seed: fc.nat() }),
          async (p) => {
            const shape = [...p.lead, p.d];
            const n = shape.reduce((a, b) => a * b);
            // A causal mask adds -1e9 to future positions; keep each row's first entry unmasked.
            const xs = signed(n, p.seed).map((v, i) => (p.masked && i % p.d > 0 && (i * 7) % 3 === 0 ? -1e9 : v * 30));
            const dys = signed(n, p.seed + 1);
            const ours = await on('wasm', softmaxAndGrad(xs, dys, shape));
            const ref = await on('cpu', softmaxAndGrad(xs, dys, shape));
            expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
          },
        ),
        { numRuns: 60 },
      ),
    );
  });

  it("matches on attention's shape, rows split across both threads", async () => {
    const shape = [16, 4, 65, 65];
    const n = shape.reduce((a, b) => a * b);
    const xs = signed(n, 3).map((v) => v * 10);
    const dys = signed(n, 4);
    const ours = await on('wasm', softmaxAndGrad(xs, dys, shape));
    const ref = await on('cpu', softmaxAndGrad(xs, dys, shape));
    expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('is one gradient kernel on wasm and tfjs-core’s four ops on CPU', async () => {
    const kernelsOn = async (backend: string) => {
      await tf.setBackend(backend);
      const x = tf.ones([2, 5]);
      const info = await tf.profile(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.softmax(t), tf.reshape(tf.range(0, 10), [2, 5]))))(x));
      tf.dispose([x, info.result as tf.Tensor]);
      return info.kernelNames;
    };
    expect(await kernelsOn('wasm')).toContain(SoftmaxGrad);
    expect(await kernelsOn('cpu')).not.toContain(SoftmaxGrad);
  });
});
