import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layerlab } from '../../helpers/cli.js';

describe('layerlab train', () => {
  it('trains on the bundled dataset, streams JSON events and writes a loadable run directory', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'll-train-')), 'run');
    const r = await layerlab(['train', 'templates/mlp.layerlab.json', '--dataset', 'synthetic-shapes', '--epochs', '2', '--limit-train', '600', '--limit-test', '200', '--batch-size', '100', '--backend', 'cpu', '--json', '--out', out]);
    expect(r.stderr).toMatch(/backend cpu/);
    expect(r.code).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events[0]).toMatchObject({ type: 'start', backend: 'cpu', trainExamples: 600, testExamples: 200 });
    const epochs = events.filter((e) => e.type === 'epoch');
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2]);
    for (const key of ['trainLoss', 'trainAccuracy', 'testLoss', 'testAccuracy', 'examplesPerSecond']) expect(typeof epochs[0][key]).toBe('number');
    expect(events.at(-1)).toMatchObject({ type: 'done', epochs: 2, runDir: out });
    for (const f of ['graph.layerlab.json', 'config.json', 'metrics.jsonl', 'final/model.json', 'final/weights.bin']) expect(existsSync(join(out, f))).toBe(true);
    const metrics = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(metrics.filter((m) => m.type === 'epoch')).toHaveLength(2);
    await tf.setBackend('cpu');
    const json = JSON.parse(readFileSync(join(out, 'final/model.json'), 'utf8'));
    const weights = readFileSync(join(out, 'final/weights.bin'));
    const model = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) }));
    expect((model.predict(tf.zeros([3, 28, 28, 1])) as tf.Tensor).shape).toEqual([3, 10]);
  });

  it('prints each kind of health warning once an epoch (Adam at 5 kills this MLP\'s ReLU units)', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'll-train-')), 'run');
    const r = await layerlab(['train', 'templates/mlp.layerlab.json', '--dataset', 'synthetic-shapes', '--epochs', '2', '--limit-train', '800', '--limit-test', '100', '--batch-size', '20', '--optimizer', 'adam', '--lr', '5', '--backend', 'cpu', '--out', out]);
    expect(r.code).toBe(0);
    const epochs = r.stderr.split(/^epoch \d+:.*$/m).slice(0, 2);
    expect(epochs).toHaveLength(2);
    for (const text of epochs) {
      const kinds = text.split('\n').filter((l) => l.startsWith('warning: ')).map((l) => l.replace(/\d+(\.\d+)?(e[-+]?\d+)?/g, '#'));
      expect(kinds.some((k) => k.includes('ReLU units never activate'))).toBe(true);
      expect(new Set(kinds).size).toBe(kinds.length);
    }
  });

  it('rejects a negative learning rate as a usage error', async () => {
    const r = await layerlab(['train', 'templates/mlp.layerlab.json', '--lr=-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--lr takes a positive number/);
  });

  it('fails with a clear message when the graph does not fit the dataset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'll-t-'));
    const doc = JSON.parse(readFileSync('templates/mlp.layerlab.json', 'utf8'));
    doc.nodes[0].params.shape = [32, 32, 3];
    writeFileSync(join(dir, 'wide.layerlab.json'), JSON.stringify(doc));
    const r = await layerlab(['train', join(dir, 'wide.layerlab.json'), '--dataset', 'synthetic-shapes', '--backend', 'cpu', '--out', join(dir, 'r')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Input node "input" expects 32×32×3 examples but synthetic-shapes has 28×28×1 images; set the Input shape to \[28, 28, 1\]/);
  });

  it('refuses an unknown dataset naming the ones it knows', async () => {
    const r = await layerlab(['train', 'templates/mlp.layerlab.json', '--dataset', 'imagenet', '--backend', 'cpu', '--out', join(mkdtempSync(join(tmpdir(), 'll-t-')), 'r')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Unknown dataset "imagenet"; use one of: synthetic-shapes, fashion-mnist, mnist/);
  });
});
