import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tfl from '@tensorflow/tfjs-layers';
import { LayerNormalization } from '../../../../runtime/layers/LayerNormalization';
import { LayerNorm, LayerNormGrad } from '../../../../runtime/kernels/layerNorm';
import { JS_ONLY, on, onPath, ready, relError, signed, tf } from './harness';

/** Row sums in float64 (JS) or float32 (SIMD) here, float32 in tfjs-core, over up to 70 terms. */
const TOLERANCE = 1e-4;

/** Output and gradients (x, gamma, beta) of a weighted sum of a LayerNormalization's output. */
function step(fused: boolean, shape: number[], seed: number): () => tf.Tensor {
  return () => {
    const n = shape.reduce((a, b) => a * b);
    const d = shape.at(-1)!;
    const layer = fused ? new LayerNormalization({ epsilon: 1e-3 }) : tfl.layers.layerNormalization({ epsilon: 1e-3 });
    // Rows with a mean away from 0 and both signs.
    const x = tf.add(tf.tensor(signed(n, seed), shape), 2);
    const w = tf.tensor(signed(n, seed + 1), shape);
    layer.build(x.shape);
    const p = signed(2 * d, seed + 2);
    layer.setWeights([tf.tensor1d(p.subarray(0, d).map((v) => v + 1)), tf.tensor1d(p.subarray(d))]);
    const [gamma, beta] = layer.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val);
    const f = (xi: tf.Tensor) => tf.sum(tf.mul(layer.apply(xi, { training: true }) as tf.Tensor, w));
    const { grads } = tf.variableGrads(() => f(x) as tf.Scalar, [gamma!, beta!]);
    const parts = [layer.apply(x) as tf.Tensor, tf.grad(f)(x), grads[gamma!.name]!, grads[beta!.name]!];
    return tf.concat(parts.map((t) => tf.reshape(t, [-1])));
  };
}

describe('fused layer normalisation on wasm vs tfjs-layers on CPU', () => {
  beforeAll(ready);

  it.for(['our SIMD module (simd/norm.c) where the normalised axis is a multiple of 4', JS_ONLY] as const)(`matches output, dx, dgamma and dbeta on random shapes (max rel. error ${TOLERANCE}): %s`, async (path, ctx) => {
    await onPath(path, ctx, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({ lead: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }), d: fc.integer({ min: 2, max: 70 }), seed: fc.nat() }),
          async (k) => {
            const shape = [...k.lead, k.d];
            const ours = await on('wasm', step(true, shape, k.seed));
            const ref = await on('cpu', step(false, shape, k.seed));
            expect(ours.shape).toEqual(ref.shape);
            expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
          },
        ),
        { numRuns: 40 },
      );
    });
  });

  it('is what runs on wasm, and leaves no tensor behind', async () => {
    await tf.setBackend('wasm');
    const layer = new LayerNormalization({});
    const x = tf.tensor(signed(3 * 4 * 6, 5), [3, 4, 6]);
    layer.apply(x);
    const before = tf.memory().numTensors;
    const info = await tf.profile(() => tf.grad((a: tf.Tensor) => tf.sum(tf.square(layer.apply(a, { training: true }) as tf.Tensor)))(x));
    expect(info.kernelNames).toContain(LayerNorm);
    expect(info.kernelNames).toContain(LayerNormGrad);
    expect(info.kernelNames).not.toContain('FusedBatchNorm');
    tf.dispose(info.result as tf.Tensor);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
