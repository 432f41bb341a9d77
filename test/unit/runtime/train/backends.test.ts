/** The training loop gives the same numbers on WASM (with our kernels) as on the CPU backend. */
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../../graph-compiler/index.js';
import { selectBackend } from '../../../../runtime/backend.js';
import { syntheticShapes } from '../../../../runtime/datasets/synthetic.js';
import { materialize } from '../../../../runtime/materialize.js';
import { makeBatch } from '../../../../runtime/train/batches.js';
import { losses } from '../../../../runtime/train/losses.js';
import { trainStep } from '../../../../runtime/train/step.js';
import { template } from '../../../helpers/paths.js';

const data = syntheticShapes(64, 10);

/** Three SGD steps of a template on one batch; returns each step's loss and correct count. */
async function steps(name: string, backend: 'cpu' | 'wasm'): Promise<number[]> {
  await selectBackend(backend);
  const model = materialize(compile(JSON.parse(readFileSync(template(name), 'utf8'))).lowered!, { seed: 3 });
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = tf.train.sgd(0.5);
  const batch = makeBatch(data.train, Array.from({ length: 64 }, (_, i) => i), 0, 32, data.inputShape, data.scale);
  const out: number[] = [];
  for (let i = 0; i < 3; i++) {
    const r = trainStep(model, vars, optimizer, batch.xs, batch.ys, { lossFn: losses.softmaxCrossEntropy, classes: 10, learningRate: 0.5, weightDecay: 0, decoupled: false, gradNorms: false });
    out.push(r.loss, r.correct);
  }
  tf.dispose([batch.xs, batch.ys]);
  optimizer.dispose();
  model.dispose();
  return out;
}

describe('WASM training matches the CPU backend', () => {
  it.each(['mlp', 'lenet'])('%s: the same losses over three steps', async (name) => {
    const cpu = await steps(name, 'cpu');
    const wasm = await steps(name, 'wasm');
    expect(cpu[0]).toBeGreaterThan(1.5);
    for (let i = 0; i < cpu.length; i++) expect(wasm[i]).toBeCloseTo(cpu[i]!, 3);
  });
});
