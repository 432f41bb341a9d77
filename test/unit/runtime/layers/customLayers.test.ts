/**
 * The custom layers compute what they claim: checked against plain-loop reference
 * implementations written here, independent of TF.js ops.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { ClassToken, MultiHeadAttention, PatchEmbedding, PositionEmbedding, TokenSelect } from '../../../../runtime/layers/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type M = number[][];
const matmul = (a: M, b: M): M => a.map((row) => b[0]!.map((_, j) => row.reduce((s, x, k) => s + x * b[k]![j]!, 0)));
const addRow = (a: M, b: number[]): M => a.map((row) => row.map((x, j) => x + b[j]!));
const softmaxRows = (a: M): M =>
  a.map((row) => {
    const m = Math.max(...row);
    const e = row.map((x) => Math.exp(x - m));
    const s = e.reduce((p, q) => p + q, 0);
    return e.map((x) => x / s);
  });
const cols = (a: M, from: number, n: number): M => a.map((row) => row.slice(from, from + n));
const rand = (r: number, c: number, seed: number): M => (tf.randomNormal([r, c], 0, 1, 'float32', seed).arraySync() as M);

/** Keras semantics: project, split into heads, scaled dot-product attention, concatenate heads, project. */
function referenceMha(q: M, v: M, k: M, w: Record<string, M | number[]>, heads: number, keyDim: number, valueDim: number, causal: boolean): M {
  const Q = addRow(matmul(q, w.wq as M), w.bq as number[]);
  const K = addRow(matmul(k, w.wk as M), w.bk as number[]);
  const V = addRow(matmul(v, w.wv as M), w.bv as number[]);
  const concat: M = q.map(() => []);
  for (let h = 0; h < heads; h++) {
    const qh = cols(Q, h * keyDim, keyDim);
    const kh = cols(K, h * keyDim, keyDim);
    const vh = cols(V, h * valueDim, valueDim);
    const scores = qh.map((qi, i) => kh.map((kj, j) => (causal && j > i ? -Infinity : qi.reduce((s, x, d) => s + x * kj[d]!, 0) / Math.sqrt(keyDim))));
    const out = matmul(softmaxRows(scores), vh);
    out.forEach((row, i) => concat[i]!.push(...row));
  }
  return addRow(matmul(concat, w.wo as M), w.bo as number[]);
}

describe('custom layers against plain-loop references', () => {
  test.each([false, true])('MultiHeadAttention (causal %s)', (causal) => {
    const [tq, tv, dq, dv, dk, heads, keyDim, valueDim, out] = [4, 4, 5, 3, 6, 2, 3, 2, 7];
    const layer = new MultiHeadAttention({ numHeads: heads, keyDim, valueDim, outputShape: out, causal });
    const q = rand(tq, dq, 1);
    const v = rand(tv, dv, 2);
    const k = rand(tv, dk, 3);
    const y = tf.tidy(() => layer.apply([tf.tensor3d([q]), tf.tensor3d([v]), tf.tensor3d([k])]) as tf.Tensor);
    const ws = layer.getWeights().map((t) => t.arraySync()) as (M | number[])[];
    const names = ['wq', 'bq', 'wk', 'bk', 'wv', 'bv', 'wo', 'bo'];
    const w = Object.fromEntries(names.map((n, i) => [n, n.startsWith('b') ? (ws[i] as number[]).map(() => 0.1 * i) : ws[i]!]));
    layer.setWeights(names.map((n) => (n.startsWith('b') ? tf.tensor1d(w[n] as number[]) : tf.tensor2d(w[n] as M))));
    y.dispose();
    const got = tf.tidy(() => (layer.apply([tf.tensor3d([q]), tf.tensor3d([v]), tf.tensor3d([k])]) as tf.Tensor).arraySync()) as number[][][];
    const want = referenceMha(q, v, k, w, heads, keyDim, valueDim, causal);
    expect(got[0]!.length).toBe(tq);
    got[0]!.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(want[i]![j]!, 4)));
  });

  test('ClassToken prepends its learned vector; PositionEmbedding adds its table; TokenSelect picks a token', () => {
    const x = tf.tensor3d([[[1, 2], [3, 4], [5, 6]]]);
    const cls = new ClassToken({});
    cls.apply(x);
    cls.setWeights([tf.tensor3d([[[9, 8]]])]);
    expect((cls.apply(x) as tf.Tensor).arraySync()).toEqual([[[9, 8], [1, 2], [3, 4], [5, 6]]]);
    const pos = new PositionEmbedding({});
    pos.apply(x);
    pos.setWeights([tf.tensor2d([[0.5, 0.5], [1, 1], [2, 2]])]);
    expect((pos.apply(x) as tf.Tensor).arraySync()).toEqual([[[1.5, 2.5], [4, 5], [7, 8]]]);
    expect((new TokenSelect({ index: 2 }).apply(x) as tf.Tensor).arraySync()).toEqual([[5, 6]]);
  });

  test('PatchEmbedding projects each non-overlapping patch, in row-major patch order', () => {
    const img = tf.tensor4d([...Array(16).keys()], [1, 4, 4, 1]);
    const layer = new PatchEmbedding({ patchSize: 2, dim: 1 });
    layer.apply(img);
    layer.setWeights([tf.ones([2, 2, 1, 1]), tf.zeros([1])]);
    // Patch sums: top-left 0+1+4+5, top-right 2+3+6+7, bottom-left 8+9+12+13, bottom-right 10+11+14+15.
    expect((layer.apply(img) as tf.Tensor).arraySync()).toEqual([[[10], [18], [42], [50]]]);
  });
});
