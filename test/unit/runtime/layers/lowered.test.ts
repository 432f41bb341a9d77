/**
 * Lowered templates become real TF.js models: they run forward and backward on the CPU
 * backend, hold the parameters the report promises, and survive a save/load round trip
 * in TF.js format with identical outputs, custom layers included.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import { compile } from '../../../../graph-compiler/index.js';
import { materialize } from '../../../../runtime/materialize.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const load = (name: string, patch?: (doc: Record<string, unknown>) => void) => {
  const doc = JSON.parse(readFileSync(`templates/${name}.layerlab.json`, 'utf8')) as Record<string, unknown>;
  patch?.(doc);
  const r = compile(doc);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { lowered: r.lowered!, report: r.report };
};
const setInputShape = (shape: number[]) => (doc: Record<string, unknown>) => {
  const input = (doc.nodes as { type: string; params: { shape: number[] } }[]).find((n) => n.type === 'Input')!;
  input.params.shape = shape;
};

function forwardBackward(model: tfl.LayersModel, inputShape: readonly number[], classes: number) {
  const before = tf.memory().numTensors;
  const x = tf.randomNormal([2, ...inputShape]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d([1, 3], 'int32'), classes));
  const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor));
  const loss = value.dataSync()[0]!;
  const names = Object.keys(grads);
  const finite = names.every((n) => grads[n]!.dataSync().every(Number.isFinite));
  const nonZero = names.filter((n) => tf.tidy(() => grads[n]!.abs().sum().dataSync()[0]!) > 0).length;
  tf.dispose([x, y, value, ...Object.values(grads)]);
  return { loss, gradCount: names.length, finite, nonZero, leaked: tf.memory().numTensors - before };
}

describe('lowered templates run forward and backward on CPU', () => {
  test('LeNet', () => {
    const { lowered, report } = load('lenet');
    const model = materialize(lowered, { seed: 1 });
    expect(model.countParams()).toBe(report.totalParams);
    const r = forwardBackward(model, [28, 28, 1], 10);
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(r.gradCount).toBe(model.trainableWeights.length);
    expect(r.finite).toBe(true);
    expect(r.nonZero).toBe(r.gradCount);
    expect(r.leaked).toBe(0);
    model.dispose();
  });

  // ResNet-18 at 16x16 instead of 96x96 keeps the pure-JS backward pass to seconds; the
  // layers and weights are the same (only spatial sizes shrink).
  test('ResNet-18 (BatchNormalization, residual blocks with projections)', () => {
    const { lowered, report } = load('resnet18', setInputShape([16, 16, 1]));
    const model = materialize(lowered, { seed: 2 });
    expect(model.countParams()).toBe(report.totalParams);
    const r = forwardBackward(model, [16, 16, 1], 10);
    expect(r.finite).toBe(true);
    expect(r.gradCount).toBe(model.trainableWeights.length);
    expect(r.nonZero).toBe(r.gradCount);
    model.dispose();
  });

  test('ViT-tiny (patch embedding, class token, position embedding, attention, token select)', () => {
    const { lowered, report } = load('vit-tiny');
    const model = materialize(lowered, { seed: 3 });
    expect(model.countParams()).toBe(report.totalParams);
    const r = forwardBackward(model, [32, 32, 3], 10);
    expect(r.finite).toBe(true);
    expect(r.gradCount).toBe(model.trainableWeights.length);
    expect(r.nonZero).toBe(r.gradCount);
    expect(r.leaked).toBe(0);
    model.dispose();
  });
});

async function roundTrip(model: tfl.LayersModel, x: tf.Tensor) {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved!));
  const a = model.predict(x) as tf.Tensor;
  const b = loaded.predict(x) as tf.Tensor;
  const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
  const classes = loaded.layers.map((l) => l.getClassName());
  tf.dispose([a, b]);
  loaded.dispose();
  return { diff, classes };
}

describe('saved in TF.js format, a lowered model loads back with identical outputs', () => {
  test('ViT-tiny with its custom layers', async () => {
    const model = materialize(load('vit-tiny').lowered, { seed: 4 });
    const x = tf.randomNormal([2, 32, 32, 3]);
    const { diff, classes } = await roundTrip(model, x);
    expect(classes).toEqual(expect.arrayContaining(['PatchEmbedding', 'ClassToken', 'PositionEmbedding', 'MultiHeadAttention', 'TokenSelect']));
    expect(diff).toBe(0);
    x.dispose();
    model.dispose();
  });

  test('causal cross-attention with a key input, a bidirectional GRU and gelu', async () => {
    const doc = {
      format: 'layerlab-graph',
      version: 1,
      name: 'seq',
      nodes: [
        { id: 'in', type: 'Input', params: { shape: [6, 4] } },
        { id: 'k', type: 'Dense', params: { units: 5, activation: 'gelu' } },
        { id: 'mha', type: 'MultiHeadAttention', params: { numHeads: 2, keyDim: 3, valueDim: 2, causal: true, outputShape: 8 } },
        { id: 'bi', type: 'Bidirectional', params: { layer: 'GRU', units: 3 } },
        { id: 'out', type: 'Dense', params: { units: 2 } },
      ],
      edges: [
        { source: 'in', target: 'k' },
        { source: 'in', target: 'mha', targetPort: 0 },
        { source: 'in', target: 'mha', targetPort: 1 },
        { source: 'k', target: 'mha', targetPort: 2 },
        { source: 'mha', target: 'bi' },
        { source: 'bi', target: 'out' },
      ],
    };
    const r = compile(doc);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const model = materialize(r.lowered!, { seed: 5 });
    const x = tf.randomNormal([3, 6, 4]);
    const { diff, classes } = await roundTrip(model, x);
    expect(classes).toEqual(expect.arrayContaining(['MultiHeadAttention', 'LayerlabBidirectional']));
    expect(diff).toBe(0);
    x.dispose();
    model.dispose();
  });
});

test('causal attention: changing a later step leaves earlier outputs unchanged', () => {
  const doc = {
    format: 'layerlab-graph',
    version: 1,
    name: 'causal',
    nodes: [
      { id: 'in', type: 'Input', params: { shape: [5, 4] } },
      { id: 'mha', type: 'MultiHeadAttention', params: { numHeads: 2, keyDim: 2, causal: true } },
    ],
    edges: [
      { source: 'in', target: 'mha' },
      { source: 'in', target: 'mha' },
    ],
  };
  const model = materialize(compile(doc).lowered!, { seed: 6 });
  const x = tf.randomNormal([1, 5, 4]);
  const changed = tf.concat([tf.slice(x, [0, 0, 0], [1, 4, 4]), tf.ones([1, 1, 4])], 1);
  const a = (model.predict(x) as tf.Tensor).arraySync() as number[][][];
  const b = (model.predict(changed) as tf.Tensor).arraySync() as number[][][];
  expect(b[0]!.slice(0, 4)).toEqual(a[0]!.slice(0, 4));
  expect(b[0]![4]).not.toEqual(a[0]![4]);
  tf.dispose([x, changed]);
  model.dispose();
});

test('a small ViT built from the custom layers learns: it overfits 8 examples', () => {
  const doc = {
    format: 'layerlab-graph',
    version: 1,
    name: 'vit-micro',
    nodes: [
      { id: 'in', type: 'Input', params: { shape: [8, 8, 3] } },
      { id: 'patches', type: 'PatchEmbedding', params: { patchSize: 4, dim: 16 } },
      { id: 'cls', type: 'ClassToken' },
      { id: 'pos', type: 'PositionEmbedding' },
      { id: 'ln', type: 'LayerNormalization' },
      { id: 'mha', type: 'MultiHeadAttention', params: { numHeads: 2, keyDim: 8 } },
      { id: 'add', type: 'Add' },
      { id: 'token', type: 'TokenSelect' },
      { id: 'logits', type: 'Dense', params: { units: 4 } },
    ],
    edges: [
      { source: 'in', target: 'patches' },
      { source: 'patches', target: 'cls' },
      { source: 'cls', target: 'pos' },
      { source: 'pos', target: 'ln' },
      { source: 'ln', target: 'mha' },
      { source: 'ln', target: 'mha' },
      { source: 'pos', target: 'add' },
      { source: 'mha', target: 'add' },
      { source: 'add', target: 'token' },
      { source: 'token', target: 'logits' },
    ],
  };
  const model = materialize(compile(doc).lowered!, { seed: 7 });
  const x = tf.randomNormal([8, 8, 8, 3], 0, 1, 'float32', 8);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32'), 4));
  const optimizer = tf.train.adam(0.01);
  const loss = () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar;
  const first = tf.tidy(() => loss().dataSync()[0]!);
  for (let i = 0; i < 60; i++) optimizer.minimize(loss, true)?.dispose();
  const last = tf.tidy(() => loss().dataSync()[0]!);
  expect(last).toBeLessThan(first / 4);
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
});
