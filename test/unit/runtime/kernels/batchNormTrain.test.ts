import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tfl from '@tensorflow/tfjs-layers';
import { Activation } from '../../../../runtime/layers/Activation';
import { BatchNormalization } from '../../../../runtime/layers/BatchNormalization';
import { BatchNormReluTrain, BatchNormTrain, BatchNormTrainGrad } from '../../../../runtime/kernels/batchNormTrain';
import { JS_ONLY, on, onPath, ready, relError, signed, tf } from './harness';

/** Our per-channel sums are float64, tfjs-core's float32 over up to a few hundred terms. */
const TOLERANCE = 1e-4;

/**
 * One training-mode call of a BatchNormalization layer on `backend`: the output, the gradients
 * of a weighted sum of it with respect to x, gamma and beta, then the moving mean and variance.
 * `fused` uses our layer (its fused kernel on wasm), otherwise tfjs-layers' stock class;
 * `relu` puts a ReLU layer after it (ours, with the batch norm told to apply it, or stock).
 */
function trainStep(fused: boolean, shape: number[], seed: number, momentum: number, relu = false): () => tf.Tensor {
  return () => {
    const n = shape.reduce((a, b) => a * b);
    const c = shape.at(-1)!;
    const layer = fused ? new BatchNormalization({ momentum, epsilon: 1e-3 }) : tfl.layers.batchNormalization({ momentum, epsilon: 1e-3 });
    if (layer instanceof BatchNormalization) layer.fusedRelu = relu;
    const act = relu ? (fused ? new Activation({ activation: 'relu' }) : tfl.layers.activation({ activation: 'relu' })) : undefined;
    const apply = (xi: tf.Tensor, training: boolean) => {
      const y = layer.apply(xi, { training }) as tf.Tensor;
      return act ? (act.apply(y, { training }) as tf.Tensor) : y;
    };
    // A mean well away from 0 checks the shifted variance sum; both signs everywhere else.
    const x = tf.add(tf.tensor(signed(n, seed), shape), 3);
    const w = tf.tensor(signed(n, seed + 1), shape);
    layer.build(x.shape);
    const stats = signed(2 * c, seed + 2);
    layer.setWeights([tf.tensor1d(stats.subarray(0, c).map((v) => v + 1.5)), tf.tensor1d(stats.subarray(c)), tf.zeros([c]), tf.ones([c])]);
    const [gamma, beta] = layer.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val);
    const f = (xi: tf.Tensor) => tf.sum(tf.mul(apply(xi, true), w));
    const { value, grads } = tf.variableGrads(() => f(x) as tf.Scalar, [gamma!, beta!]);
    const dx = tf.grad(f)(x);
    const y = apply(x, false);
    const parts = [value, dx, grads[gamma!.name]!, grads[beta!.name]!, y, ...layer.getWeights().slice(2)];
    return tf.concat(parts.map((t) => tf.reshape(t, [-1])));
  };
}

describe('fused training batch norm on wasm vs tfjs-layers on CPU', () => {
  beforeAll(ready);

  it.for(['our SIMD module (simd/norm.c) where the normalised axis is a multiple of 4', JS_ONLY] as const)(`matches output, dx, dgamma, dbeta and the moving statistics on random shapes, alone and with a ReLU after it (max rel. error ${TOLERANCE}): %s`, async (path, ctx) => {
    await onPath(path, ctx, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            lead: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
            c: fc.integer({ min: 1, max: 20 }),
            momentum: fc.constantFrom(0.9, 0.99),
            relu: fc.boolean(),
            seed: fc.nat(),
          }),
          async (k) => {
            // Two examples at least (with one, every value is its channel's mean); rank <= 4, as
            // tfjs-layers' own inference path supports no more.
            const lead = k.lead.reduce((a, b) => a * b) < 2 ? [2, ...k.lead.slice(1)] : k.lead;
            const shape = [...lead, k.c];
            const ours = await on('wasm', trainStep(true, shape, k.seed, k.momentum, k.relu));
            const ref = await on('cpu', trainStep(false, shape, k.seed, k.momentum, k.relu));
            expect(ours.shape).toEqual(ref.shape);
            expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
          },
        ),
        { numRuns: 60 },
      );
    });
  });

  it.for([
    ['alone', false],
    ['with a ReLU after it', true],
  ] as const)('matches on a batch large enough to split its rows across the threads (simd/norm.c): %s', async ([, relu], ctx) => {
    await onPath('our SIMD module (simd/norm.c)', ctx, async () => {
      const shape = [6, 12, 12, 8];
      const ours = await on('wasm', trainStep(true, shape, 5, 0.9, relu));
      const ref = await on('cpu', trainStep(false, shape, 5, 0.9, relu));
      expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
    });
  });

  it('is what a training step on wasm runs, and leaves no tensor behind', async () => {
    await tf.setBackend('wasm');
    const layer = new BatchNormalization({});
    const x = tf.tensor(signed(4 * 3 * 3 * 5, 7), [4, 3, 3, 5]);
    layer.apply(x, { training: true });
    const before = tf.memory().numTensors;
    const info = await tf.profile(() => tf.grad((a: tf.Tensor) => tf.sum(layer.apply(a, { training: true }) as tf.Tensor))(x));
    const kernels = info.kernelNames;
    expect(kernels).toContain(BatchNormTrain);
    expect(kernels).toContain(BatchNormTrainGrad);
    expect(kernels).not.toContain('FusedBatchNorm');
    tf.dispose(info.result as tf.Tensor);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with a ReLU fused: one kernel each way on wasm, no ReLU or ReLU-gradient kernel, no tensor left behind', async () => {
    await tf.setBackend('wasm');
    const bn = new BatchNormalization({});
    bn.fusedRelu = true;
    const relu = new Activation({ activation: 'relu' });
    const x = tf.tensor(signed(4 * 3 * 3 * 8, 7), [4, 3, 3, 8]);
    const f = (a: tf.Tensor) => tf.sum(tf.mul(relu.apply(bn.apply(a, { training: true }), { training: true }) as tf.Tensor, a));
    tf.dispose(f(x));
    const before = tf.memory().numTensors;
    const info = await tf.profile(() => tf.grad(f)(x));
    expect(info.kernelNames).toContain(BatchNormReluTrain);
    expect(info.kernelNames).toContain(BatchNormTrainGrad);
    expect(info.kernelNames).not.toContain(BatchNormTrain);
    expect(info.kernelNames).not.toContain('Relu');
    expect(info.kernelNames).not.toContain('LayerlabActivationGrad');
    tf.dispose(info.result as tf.Tensor);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with a ReLU fused, still applies the ReLU where the fused kernel does not run (CPU backend, inference)', async () => {
    for (const [backend, training] of [['cpu', true], ['wasm', false]] as const) {
      await tf.setBackend(backend);
      const bn = new BatchNormalization({});
      bn.fusedRelu = true;
      const y = tf.tidy(() => new Activation({ activation: 'relu' }).apply(bn.apply(tf.tensor(signed(2 * 8, 3), [2, 8]), { training }), { training }) as tf.Tensor);
      const values = Array.from(y.dataSync());
      y.dispose();
      expect(Math.min(...values)).toBe(0);
      expect(values.some((v) => v > 0)).toBe(true);
    }
  });
});
