import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tfl from '@tensorflow/tfjs-layers';
import { Gelu, GeluTrain } from '../../../../runtime/kernels/gelu';
import { registerCustomLayers } from '../../../../runtime/layers';
import { JS_ONLY, on, onPath, ready, signed, tf } from './harness';

/**
 * erf by the same formula (1.5e-7 abs.) and exp to ~1e-7 relative, in float32. Measured on the
 * scale of the values or 1, whichever is larger: far in the negative tail y and dx are ~1e-4
 * and the reference itself loses digits there (tfjs's CPU Erf rounds erf to float32 before
 * 1 + erf cancels), so only absolute agreement is meaningful.
 */
const TOLERANCE = 2e-6;

const scaledError = (a: Float32Array, b: Float32Array): number => {
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
};

/** GELU and its gradient through tfjs-layers' 'gelu' activation (ours once registered). */
const geluAndGrad = (xs: Float32Array, dys: Float32Array) => () => {
  const act = tfl.layers.activation({ activation: 'gelu' });
  const x = tf.tensor1d(xs);
  const dy = tf.tensor1d(dys);
  const y = act.apply(x) as tf.Tensor;
  const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(act.apply(t) as tf.Tensor, dy)))(x);
  return tf.concat([y, dx]);
};

describe('GELU kernel on wasm vs tfjs-layers on CPU', () => {
  beforeAll(async () => {
    await ready();
    registerCustomLayers();
  });

  it.for(['our SIMD module (simd/gelu.c) and a JS tail', JS_ONLY] as const)(`matches y and dx on random inputs in [-8, 8] (max error ${TOLERANCE} of max(1, |values|)): %s`, async (path, ctx) => {
    await onPath(path, ctx, async () => {
      await fc.assert(
        fc.asyncProperty(fc.record({ n: fc.integer({ min: 1, max: 300 }), seed: fc.nat() }), async (k) => {
          const xs = signed(k.n, k.seed).map((v) => v * 8);
          const dys = signed(k.n, k.seed + 1);
          const ours = await on('wasm', geluAndGrad(xs, dys));
          const ref = await on('cpu', geluAndGrad(xs, dys));
          expect(scaledError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
        }),
        { numRuns: 40 },
      );
    });
  });

  it('matches on 100,003 elements (SIMD slices on both threads, then the JS tail)', async () => {
    const xs = signed(100_003, 5).map((v) => v * 8);
    const dys = signed(100_003, 6);
    const ours = await on('wasm', geluAndGrad(xs, dys));
    const ref = await on('cpu', geluAndGrad(xs, dys));
    expect(scaledError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
  });

  it("is what a Dense layer with activation 'gelu' runs on wasm: y alone in inference, y and its derivative while training", async () => {
    await tf.setBackend('wasm');
    const dense = tfl.layers.dense({ units: 3, activation: 'gelu' });
    const x = tf.ones([2, 4]);
    const inference = await tf.profile(() => dense.apply(x) as tf.Tensor);
    expect(inference.kernelNames).toContain(Gelu);
    expect(inference.kernelNames).not.toContain(GeluTrain);
    const training = await tf.profile(() => tf.grad((t: tf.Tensor) => tf.sum(dense.apply(t) as tf.Tensor))(x));
    expect(training.kernelNames).toContain(GeluTrain);
    expect(training.kernelNames).not.toContain(Gelu);
    expect([...inference.kernelNames, ...training.kernelNames]).not.toContain('Erf');
    tf.dispose([x, inference.result as tf.Tensor, training.result as tf.Tensor]);
  });
});
