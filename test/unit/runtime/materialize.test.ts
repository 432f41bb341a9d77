import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../graph-compiler/index.js';
import { selectBackend } from '../../../runtime/backend.js';
import { layerName, materialize } from '../../../runtime/materialize.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('materialize', () => {
  it('maps node ids to valid TF.js layer names', () => {
    expect(layerName('conv1')).toBe('conv1');
    expect(layerName('stage2/conv1')).toBe('stage2__conv1');
    expect(layerName('_fc')).toBe('n_fc');
  });

  it('builds a model from ids starting with _ and seeds its weights', () => {
    const doc = {
      format: 'layerlab-graph',
      version: 1,
      name: 'x',
      nodes: [
        { id: '_in', type: 'Input', params: { shape: [3] } },
        { id: '_fc', type: 'Dense', params: { units: 2 } },
      ],
      edges: [{ source: '_in', target: '_fc' }],
    };
    const lowered = compile(doc).lowered!;
    const a = materialize(lowered, { seed: 3 });
    const b = materialize(lowered, { seed: 3 });
    const x = tf.ones([1, 3]);
    expect((a.predict(x) as tf.Tensor).arraySync()).toEqual((b.predict(x) as tf.Tensor).arraySync());
    expect(a.layers.map((l) => l.name)).toEqual(['n_in', 'n_fc']);
  });
});

describe('materialize with every kernel-bearing layer', () => {
  it('seeds SeparableConv2D and DepthwiseConv2D and leaves the lowered config untouched', () => {
    const doc = {
      format: 'layerlab-graph',
      version: 1,
      name: 'convs',
      nodes: [
        { id: 'in', type: 'Input', params: { shape: [8, 8, 2] } },
        { id: 'sep', type: 'SeparableConv2D', params: { filters: 4, kernelSize: 3, padding: 'same' } },
        { id: 'dw', type: 'DepthwiseConv2D', params: { kernelSize: 3 } },
        { id: 'flat', type: 'Reshape', params: { targetShape: [-1] } },
      ],
      edges: [
        { source: 'in', target: 'sep' },
        { source: 'sep', target: 'dw' },
        { source: 'dw', target: 'flat' },
      ],
    };
    const lowered = compile(doc).lowered!;
    const before = JSON.stringify(lowered);
    const a = materialize(lowered, { seed: 5 });
    const b = materialize(lowered, { seed: 5 });
    expect(JSON.stringify(lowered)).toBe(before);
    const x = tf.randomNormal([1, 8, 8, 2], 0, 1, 'float32', 1);
    expect((a.predict(x) as tf.Tensor).arraySync()).toEqual((b.predict(x) as tf.Tensor).arraySync());
  });
});

describe('a tensor fed to two ports of one layer', () => {
  it('runs in inference mode (self-attention: query = value = x, plus the residual)', async () => {
    const { readFileSync } = await import('node:fs');
    const { template } = await import('../../helpers/paths.js');
    const doc = JSON.parse(readFileSync(template('transformer-encoder'), 'utf8'));
    const model = materialize(compile(doc).lowered!, { seed: 1 });
    const x = tf.randomNormal([2, 28, 28, 1], 0, 1, 'float32', 2);
    const before = tf.memory().numTensors;
    const y = model.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 10]);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
