import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Attention, AttentionGrad } from '../../../../runtime/kernels/attention';
import { registerCustomLayers } from '../../../../runtime/layers';
import { MultiHeadAttention, tuning } from '../../../../runtime/layers/MultiHeadAttention';
import { on, ready, relError, signed, simdBuilt, tf } from './harness';

/** Sums of up to ~70 products in another order and a softmax, in float32. */
const TOLERANCE = 2e-5;

interface Case {
  batch: number;
  tq: number;
  tv: number;
  heads: number;
  keyDim: number;
  valueDim: number;
  causal: boolean;
  dropout: number;
  seed: number;
}

/**
 * A seeded MultiHeadAttention's output and the gradients of Σ out·w with respect to the query,
 * the value and every weight, concatenated (training = true draws dropout masks).
 */
const mhaAndGrads = (k: Case, training: boolean) => () => {
  const dim = 6;
  const layer = new MultiHeadAttention({ numHeads: k.heads, keyDim: k.keyDim, valueDim: k.valueDim, causal: k.causal, dropout: k.dropout, seed: k.seed });
  const q = tf.tensor3d(signed(k.batch * k.tq * dim, k.seed), [k.batch, k.tq, dim]);
  const v = tf.tensor3d(signed(k.batch * k.tv * dim, k.seed + 1), [k.batch, k.tv, dim]);
  layer.apply([q, v]);
  const w = tf.tensor3d(signed(k.batch * k.tq * dim, k.seed + 2), [k.batch, k.tq, dim]);
  const weights = layer.trainableWeights.map((x) => x.read() as tf.Variable);
  const f = () => tf.sum(tf.mul(layer.apply([q, v], { training }) as tf.Tensor, w)) as tf.Scalar;
  const { value, grads } = tf.variableGrads(f, weights);
  const [gq, gv] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(layer.apply([a, b], { training }) as tf.Tensor, w)))([q, v]);
  return tf.concat([tf.reshape(value, [1]), ...weights.map((x) => tf.reshape(grads[x.name]!, [-1])), tf.reshape(gq!, [-1]), tf.reshape(gv!, [-1])]);
};

const caseArb = fc.record({
  batch: fc.integer({ min: 1, max: 3 }),
  tq: fc.integer({ min: 1, max: 9 }),
  tv: fc.integer({ min: 1, max: 9 }),
  heads: fc.integer({ min: 1, max: 3 }),
  keyDim: fc.integer({ min: 1, max: 9 }),
  valueDim: fc.integer({ min: 1, max: 9 }),
  causal: fc.boolean(),
  dropout: fc.constantFrom(0, 0.3),
  seed: fc.integer({ min: 1, max: 1000 }),
});

describe('fused attention on wasm (simd/attention.c) in MultiHeadAttention', () => {
  beforeAll(async () => {
    await ready();
    registerCustomLayers();
  });

  it(`matches the CPU layer, outputs and every gradient, on random shapes (cross-attention too), causal or not, without dropout (max rel. error ${TOLERANCE})`, async (ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    await fc.assert(
      fc.asyncProperty(caseArb, async (k) => {
        const ours = await on('wasm', mhaAndGrads({ ...k, dropout: 0 }, true));
        const ref = await on('cpu', mhaAndGrads({ ...k, dropout: 0 }, true));
        expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
      }),
      { numRuns: 40 },
    );
  });

  it(`draws the same dropout masks as the op-by-op layer on wasm, so training matches it (max rel. error ${TOLERANCE})`, async (ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    await fc.assert(
      fc.asyncProperty(caseArb, async (k) => {
        const fused = await on('wasm', mhaAndGrads({ ...k, dropout: 0.3 }, true));
        tuning.fused = false;
        const unfused = await on('wasm', mhaAndGrads({ ...k, dropout: 0.3 }, true)).finally(() => (tuning.fused = true));
        expect(relError(fused.values, unfused.values)).toBeLessThanOrEqual(TOLERANCE);
      }),
      { numRuns: 40 },
    );
  });

  it("runs one kernel each way at ViT-tiny's attention shape, tiles split across both threads, and leaks nothing", async (ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built');
    const k: Case = { batch: 4, tq: 65, tv: 65, heads: 4, keyDim: 16, valueDim: 16, causal: false, dropout: 0.1, seed: 7 };
    await tf.setBackend('wasm');
    const info = await tf.profile(() => mhaAndGrads(k, true)());
    (info.result as tf.Tensor).dispose();
    expect(info.kernelNames).toContain(Attention);
    expect(info.kernelNames).toContain(AttentionGrad);
    expect(info.kernelNames).not.toContain('Softmax');
    expect(info.kernelNames).not.toContain('Transpose');
    // Training steps of one layer leave the tensor count where it was.
    const layer = new MultiHeadAttention({ numHeads: 4, keyDim: 16, valueDim: 16, dropout: 0.1, seed: 3 });
    const x = tf.randomNormal([4, 65, 8]);
    tf.dispose(layer.apply([x, x]) as tf.Tensor);
    const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply([x, x], { training: true }) as tf.Tensor) as tf.Scalar, vars);
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const before = tf.memory().numTensors;
    step();
    step();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    const ours = await on('wasm', mhaAndGrads({ ...k, dropout: 0 }, true));
    const ref = await on('cpu', mhaAndGrads({ ...k, dropout: 0 }, true));
    expect(relError(ours.values, ref.values)).toBeLessThanOrEqual(TOLERANCE);
  });
});
