import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainEvent } from '../../../../contracts/index.js';
import { compile } from '../../../../graph-compiler/index.js';
import { selectBackend } from '../../../../runtime/backend.js';
import { limitSplit } from '../../../../runtime/datasets/dataset.js';
import { syntheticShapes } from '../../../../runtime/datasets/synthetic.js';
import { materialize } from '../../../../runtime/materialize.js';
import { checkFit, resolveConfig, runTraining } from '../../../../runtime/train/run.js';
import { healthWarnings, lossWarning } from '../../../../runtime/train/health.js';
import { trainModel } from '../../../../runtime/train/trainer.js';
import { template } from '../../../helpers/paths.js';

const mlpDoc = JSON.parse(readFileSync(template('mlp'), 'utf8'));
const data = syntheticShapes(600, 200);

beforeAll(async () => {
  await selectBackend('cpu');
});

/** The MLP with dropout (rate 0.5) after its hidden layer. */
const mlpDropoutDoc = {
  ...mlpDoc,
  nodes: [...mlpDoc.nodes, { id: 'drop', type: 'Dropout', params: { rate: 0.5 }, position: { x: 200, y: 280 } }],
  edges: [...mlpDoc.edges.filter((e: { target: string }) => e.target !== 'logits'), { source: 'hidden', target: 'drop' }, { source: 'drop', target: 'logits' }],
};

async function trainMlp(seed: number, epochs = 2, doc = mlpDoc) {
  const result = compile(doc);
  const config = resolveConfig(result.document!, { dataset: 'synthetic-shapes', epochs, batchSize: 50, seed, optimizer: { type: 'sgd', learningRate: 0.5 } });
  const model = materialize(result.lowered!, { seed });
  const events: TrainEvent[] = [];
  const done = await trainModel(model, data, data.train, data.test, config, 'cpu', (e) => events.push(e), { shouldStop: () => false });
  model.dispose();
  return { done, events };
}

describe('training loop', () => {
  it('learns the synthetic dataset: loss falls and test accuracy beats chance', async () => {
    const { done, events } = await trainMlp(1, 3);
    const epochs = events.filter((e) => e.type === 'epoch');
    expect(epochs).toHaveLength(3);
    expect(epochs[2]!.trainLoss).toBeLessThan(epochs[0]!.trainLoss);
    expect(done.testAccuracy).toBeGreaterThan(0.3);
    expect(events.filter((e) => e.type === 'batch')).toHaveLength(3 * 12);
  });

  it('is deterministic for a seed on one backend and differs across seeds', async () => {
    const a = await trainMlp(7, 1);
    const b = await trainMlp(7, 1);
    const c = await trainMlp(8, 1);
    expect(a.done.trainLoss).toBe(b.done.trainLoss);
    expect(a.done.trainLoss).not.toBe(c.done.trainLoss);
  });

  it('is deterministic for a seed with dropout too (each dropout layer draws a seeded mask per batch)', async () => {
    const a = await trainMlp(7, 1, mlpDropoutDoc);
    const b = await trainMlp(7, 1, mlpDropoutDoc);
    const c = await trainMlp(8, 1, mlpDropoutDoc);
    expect(a.done.trainLoss).toBe(b.done.trainLoss);
    expect(a.done.trainLoss).not.toBe(c.done.trainLoss);
  });

  it('keeps the tensor count flat across epochs', async () => {
    const result = compile(mlpDoc);
    const config = resolveConfig(result.document!, { epochs: 1, batchSize: 100 });
    const model = materialize(result.lowered!, { seed: 1 });
    const run = () => trainModel(model, data, limitSplit(data.train, 200, 784), limitSplit(data.test, 100, 784), config, 'cpu', () => {}, { shouldStop: () => false });
    await run();
    const before = tf.memory().numTensors;
    await run();
    await run();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('stops within one batch when asked', async () => {
    const result = compile(mlpDoc);
    const config = resolveConfig(result.document!, { epochs: 5, batchSize: 50 });
    const model = materialize(result.lowered!);
    let batches = 0;
    const done = await trainModel(model, data, data.train, data.test, config, 'cpu', (e) => void (e.type === 'batch' && batches++), { shouldStop: () => batches >= 3 });
    expect(batches).toBe(3);
    expect(done.stopped).toBe(true);
    model.dispose();
  });

  it('warns that training diverged when the loss goes far above chance, naming the learning rate', async () => {
    const run = async (optimizer: { type: string; learningRate: number }) => {
      const events: TrainEvent[] = [];
      const doc = { ...mlpDoc, training: { ...mlpDoc.training, optimizer } };
      await runTraining({ document: doc, config: { dataset: 'synthetic-shapes', epochs: 2, batchSize: 50, backend: 'cpu', healthEvery: 4, limitTrain: 400, limitTest: 100 }, dataDir: '/nonexistent' }, (e) => events.push(e), { shouldStop: () => false });
      return events.flatMap((e) => (e.type === 'health' ? e.warnings : []));
    };
    // Adam at 5 (its default is 0.001) sends this MLP's loss to 1e3-1e5 without a NaN.
    const diverged = await run({ type: 'adam', learningRate: 5 });
    expect(diverged.some((w) => /^the loss \(.*\) is far above chance level \(ln 10 = 2\.30 for 10 classes\).*learning rate \(5\.00\) is probably too high for adam/.test(w))).toBe(true);
    expect((await run({ type: 'adam', learningRate: 0.001 })).filter((w) => w.includes('far above chance'))).toEqual([]);
  });

  it('leaves out the vanishing-gradient advice when the loss has diverged or the units are dead (its symptoms)', () => {
    const saturated = [{ id: 'fc1', gradNorm: 1e-9, weightNorm: 3, activationMean: 1, activationStd: 0, deadFraction: null }];
    expect(healthWarnings(saturated)).toEqual([expect.stringMatching(/^fc1: gradients are vanishing/)]);
    expect(healthWarnings(saturated, true)).toEqual([]);
    // A layer whose ReLU units are all dead gets the dead-unit warning, not the vanishing-gradient one.
    expect(healthWarnings([{ ...saturated[0]!, deadFraction: 1 }])).toEqual([expect.stringMatching(/^fc1: 100% of its ReLU units never activate/)]);
    expect(lossWarning('softmaxCrossEntropy', 10, 2.2, 0.9, 'adam')).toBeUndefined();
    expect(lossWarning('mse', 10, 50, 0.9, 'adam')).toBeUndefined();
    expect(lossWarning('binaryCrossEntropy', 2, 1.5, 0.1, 'sgd')).toMatch(/far above chance level \(ln 2 = 0\.69\).*\(0\.100\) is probably too high for sgd/);
  });

  it('stops on a NaN loss with a message about the learning rate', async () => {
    const events: TrainEvent[] = [];
    const doc = { ...mlpDoc, training: { ...mlpDoc.training, optimizer: { type: 'sgd', learningRate: 1e30 } } };
    const done = await runTraining({ document: doc, config: { dataset: 'synthetic-shapes', epochs: 1, batchSize: 50, backend: 'cpu' }, dataDir: '/nonexistent' }, (e) => events.push(e), { shouldStop: () => false });
    expect(done).toBeNull();
    const error = events.find((e) => e.type === 'error');
    expect(error?.type === 'error' && error.message).toMatch(/became (NaN|Infinity).*learning rate \(1(\.00)?e\+30\)/);
    expect(events.filter((e) => e.type === 'batch').length).toBeLessThanOrEqual(1);
  });
});

describe('data fit checks', () => {
  it('names the Input node and the fix when image sizes differ', () => {
    const doc = structuredClone(mlpDoc);
    doc.nodes[0].params.shape = [32, 32, 3];
    expect(() => checkFit(compile(doc), data)).toThrow(/Input node "input" expects 32×32×3 examples but synthetic-shapes has 28×28×1 images; set the Input shape to \[28, 28, 1\]/);
  });
  it('names the output node when its units do not match the classes', () => {
    const doc = structuredClone(mlpDoc);
    doc.nodes[3].params.units = 7;
    expect(() => checkFit(compile(doc), data)).toThrow(/"logits" produces \[7\] but synthetic-shapes has 10 classes/);
  });
  it('reports graph errors as an error event instead of throwing', async () => {
    const events: TrainEvent[] = [];
    const doc = { ...mlpDoc, edges: [] };
    await runTraining({ document: doc, config: { backend: 'cpu' }, dataDir: '/x' }, (e) => events.push(e), { shouldStop: () => false });
    expect(events.map((e) => e.type)).toEqual(['error']);
  });
});
