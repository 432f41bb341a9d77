import * as tf from '@tensorflow/tfjs-core';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrainEvent } from '../../../../contracts/index.js';
import { startTraining } from '../../../../runtime/host.js';
import { runTraining } from '../../../../runtime/train/run.js';
import { template } from '../../../helpers/paths.js';

const mlp = JSON.parse(readFileSync(template('mlp'), 'utf8'));
const base = { dataset: 'synthetic-shapes', batchSize: 100, limitTrain: 400, limitTest: 200, backend: 'cpu' as const, healthEvery: 2 };
const never = { shouldStop: () => false };

describe('a training run', () => {
  it('reports per-layer health, an evaluation with a confusion matrix, and checkpoints', async () => {
    const runDir = join(mkdtempSync(join(tmpdir(), 'll-run-')), 'r');
    const events: TrainEvent[] = [];
    const done = await runTraining({ document: mlp, config: { ...base, epochs: 2 }, dataDir: '/x', runDir }, (e) => events.push(e), never);
    expect(done?.epochs).toBe(2);
    const health = events.filter((e) => e.type === 'health');
    expect(health).toHaveLength(4);
    const h = health[0]!.type === 'health' ? health[0]! : null;
    expect(h!.layers.map((l) => l.id)).toEqual(['flatten', 'hidden', 'logits']);
    const hidden = h!.layers[1]!;
    expect(hidden.gradNorm).toBeGreaterThan(0);
    expect(hidden.weightNorm).toBeGreaterThan(0);
    expect(hidden.deadFraction).not.toBeNull();
    expect(h!.layers[2]!.deadFraction).toBeNull();
    const evaluation = events.find((e) => e.type === 'evaluation');
    if (evaluation?.type !== 'evaluation') throw new Error('no evaluation event');
    expect(evaluation.confusion.flat().reduce((a, b) => a + b, 0)).toBe(200);
    const correct = evaluation.confusion.reduce((s, row, i) => s + row[i]!, 0);
    expect(evaluation.accuracy).toBeCloseTo(correct / 200);
    for (const [cell, list] of Object.entries(evaluation.examples)) {
      const [actual, predicted] = cell.split(',').map(Number);
      expect(actual).not.toBe(predicted);
      expect(list[0]!.probabilities).toHaveLength(10);
    }
    expect(JSON.parse(readFileSync(join(runDir, 'checkpoint.json'), 'utf8')).epoch).toBe(2);
    expect(existsSync(join(runDir, 'checkpoints', 'epoch-1'))).toBe(false);
    expect(existsSync(join(runDir, 'evaluation.json'))).toBe(true);
  });

  it('resumes from its checkpoint and continues exactly as an uninterrupted run', async () => {
    const root = mkdtempSync(join(tmpdir(), 'll-resume-'));
    const full: TrainEvent[] = [];
    await runTraining({ document: mlp, config: { ...base, epochs: 3, healthEvery: 0 }, dataDir: '/x', runDir: join(root, 'full') }, (e) => full.push(e), never);
    const split = join(root, 'split');
    await runTraining({ document: mlp, config: { ...base, epochs: 3, healthEvery: 0 }, dataDir: '/x', runDir: split }, () => {}, { shouldStop: () => false, stopAtEpochEnd: () => true });
    expect(JSON.parse(readFileSync(join(split, 'checkpoint.json'), 'utf8')).epoch).toBe(1);
    const resumed: TrainEvent[] = [];
    const before = tf.memory().numTensors;
    await runTraining({ document: null, config: {}, dataDir: '/x', runDir: split, resume: true }, (e) => resumed.push(e), never);
    expect(tf.memory().numTensors).toBe(before);
    const epochs = (es: TrainEvent[]) => es.filter((e) => e.type === 'epoch');
    expect(epochs(resumed).map((e) => e.type === 'epoch' && e.epoch)).toEqual([2, 3]);
    const a = epochs(full).at(-1)!;
    const b = epochs(resumed).at(-1)!;
    expect(a.type === 'epoch' && b.type === 'epoch' && b.trainLoss).toBeCloseTo(a.type === 'epoch' ? a.trainLoss : NaN, 5);
  });

  it('keeps training after an Adam checkpoint (its state survives saving) and resumes it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'll-adam-'));
    const doc = { ...mlp, training: { ...mlp.training, optimizer: { type: 'adam', learningRate: 0.003 } } };
    const events: TrainEvent[] = [];
    const cfg = { ...base, epochs: 2, healthEvery: 0 };
    const done = await runTraining({ document: doc, config: cfg, dataDir: '/x', runDir: join(root, 'a') }, (e) => events.push(e), never);
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    expect(done?.epochs).toBe(2);
    const resumed = await runTraining({ document: null, config: { epochs: 3 }, dataDir: '/x', runDir: join(root, 'a'), resume: true }, () => {}, never);
    expect(resumed?.epochs).toBe(3);
  });

  it('stops early when the test loss stops improving', async () => {
    const events: TrainEvent[] = [];
    const doc = { ...mlp, training: { ...mlp.training, optimizer: { type: 'sgd', learningRate: 1e-9 } } };
    const done = await runTraining({ document: doc, config: { ...base, epochs: 20, healthEvery: 0, earlyStoppingPatience: 1, limitTrain: 100, limitTest: 100 }, dataDir: '/x' }, (e) => events.push(e), never);
    expect(done?.stopReason).toBe('earlyStopping');
    expect(done!.epochs).toBeLessThan(20);
  });

  it('refuses to resume from a folder that is not a run', async () => {
    const events: TrainEvent[] = [];
    await runTraining({ document: null, config: {}, dataDir: '/x', runDir: mkdtempSync(join(tmpdir(), 'll-empty-')), resume: true }, (e) => events.push(e), never);
    expect(events).toEqual([expect.objectContaining({ type: 'error', code: 'E_RESUME' })]);
  });
});

describe('training in a worker', () => {
  it('pauses, resumes and stops at the end of the epoch on request', async () => {
    const runDir = join(mkdtempSync(join(tmpdir(), 'll-pause-')), 'r');
    const handle = startTraining({ document: mlp, config: { ...base, epochs: 3, batchSize: 20, healthEvery: 0 }, dataDir: '/x', runDir });
    const events: TrainEvent[] = [];
    let paused = false;
    handle.onEvent((e) => {
      events.push(e);
      if (e.type === 'batch' && e.batch === 2 && e.epoch === 1 && !paused) {
        paused = true;
        handle.pause();
        setTimeout(() => {
          handle.resume();
          handle.stop('epochEnd');
        }, 300);
      }
    });
    const done = await handle.finished;
    const states = events.filter((e) => e.type === 'state').map((e) => e.type === 'state' && e.state);
    expect(states).toEqual(['paused', 'running', 'stopping']);
    const recorded = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(recorded.filter((e) => e.type === 'state').map((e) => e.state)).toEqual(['paused', 'running', 'stopping']);
    expect(done).toMatchObject({ stopped: true, epochs: 1, stopReason: 'user' });
    // paused right after batch 2: at most one more batch ran before the pause took effect
    const pausedAt = events.findIndex((e) => e.type === 'state');
    expect(events.slice(0, pausedAt).filter((e) => e.type === 'batch').length).toBeLessThanOrEqual(3);
  });
});
