import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainEvent } from '../../../../contracts/index.js';
import { augmentConfig } from '../../../../contracts/index.js';
import { selectBackend } from '../../../../runtime/backend.js';
import { prng } from '../../../../runtime/datasets/synthetic.js';
import { augmentBatch } from '../../../../runtime/train/augment.js';
import { runTraining } from '../../../../runtime/train/run.js';
import { template } from '../../../helpers/paths.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

const ramp = () => tf.tensor4d(Array.from({ length: 2 * 4 * 4 }, (_, i) => (i % 4) / 4), [2, 4, 4, 1]);

describe('augmentation', () => {
  it('flips some images left-right, reproducibly for a seed', () => {
    const a = augmentConfig.parse({ flip: true });
    const out1 = augmentBatch(ramp(), a, prng(5)).arraySync() as number[][][][];
    const out2 = augmentBatch(ramp(), a, prng(5)).arraySync() as number[][][][];
    expect(out1).toEqual(out2);
    for (const img of out1) {
      const row = img[0]!.map((p) => p[0]);
      expect([JSON.stringify([0, 0.25, 0.5, 0.75]), JSON.stringify([0.75, 0.5, 0.25, 0])]).toContain(JSON.stringify(row));
    }
  });
  it('keeps the shape when cropping with padding and shifts content', () => {
    const a = augmentConfig.parse({ cropPadding: 2 });
    const out = augmentBatch(ramp(), a, prng(1));
    expect(out.shape).toEqual([2, 4, 4, 1]);
    expect(tf.max(out).dataSync()[0]).toBeLessThanOrEqual(0.75 + 1e-6);
  });
  it('changes brightness within its range', () => {
    const a = augmentConfig.parse({ brightness: 0.1 });
    const x = ramp();
    const d = tf.sub(augmentBatch(x, a, prng(2)), x).dataSync();
    for (const v of d) expect(Math.abs(v)).toBeLessThanOrEqual(0.1 + 1e-6);
    expect(Math.max(...d.map(Math.abs))).toBeGreaterThan(0);
  });
});

describe('resizing to the graph input', () => {
  it('trains a 14×14 network on 28×28 images by resizing each batch', async () => {
    const doc = JSON.parse(readFileSync(template('mlp'), 'utf8'));
    doc.nodes[0].params.shape = [14, 14, 1];
    const events: TrainEvent[] = [];
    const done = await runTraining({ document: doc, config: { dataset: 'synthetic-shapes', epochs: 1, batchSize: 100, limitTrain: 200, limitTest: 100, backend: 'cpu', augment: { flip: true } }, dataDir: '/x' }, (e) => events.push(e), { shouldStop: () => false });
    expect(done?.epochs).toBe(1);
    expect(events.some((e) => e.type === 'log' && /resizing synthetic-shapes images from 28×28 to 14×14/.test(e.message))).toBe(true);
  });
  it('refuses when resizing is off, saying how to fix it', async () => {
    const doc = JSON.parse(readFileSync(template('mlp'), 'utf8'));
    doc.nodes[0].params.shape = [14, 14, 1];
    const events: TrainEvent[] = [];
    await runTraining({ document: doc, config: { dataset: 'synthetic-shapes', epochs: 1, backend: 'cpu', resize: false }, dataDir: '/x' }, (e) => events.push(e), { shouldStop: () => false });
    expect(events.at(-1)).toMatchObject({ type: 'error', message: expect.stringMatching(/turn on resizing or set the Input shape to \[28, 28, 1\]/) });
  });
});
