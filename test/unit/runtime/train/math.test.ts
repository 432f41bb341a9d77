/** Losses, optimizers, schedules, weight decay and clipping against values computed by hand. */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { trainConfig, type OptimizerConfig } from '../../../../contracts/index.js';
import { selectBackend } from '../../../../runtime/backend.js';
import { losses } from '../../../../runtime/train/losses.js';
import { makeOptimizer } from '../../../../runtime/train/optimizers.js';
import { learningRateAt } from '../../../../runtime/train/schedule.js';
import { trainStep } from '../../../../runtime/train/step.js';
import { precisionRecall } from '../../../../runtime/train/evaluate.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

const labels = () => tf.tensor1d([0, 2], 'int32');
const logits = () => tf.tensor2d([[2, 1, 0], [0, 0, 3]]);
const value = (t: tf.Tensor) => t.dataSync()[0]!;

describe('losses', () => {
  it('softmax cross-entropy from logits', () => {
    const l1 = -Math.log(Math.exp(2) / (Math.exp(2) + Math.exp(1) + 1));
    const l2 = -Math.log(Math.exp(3) / (2 + Math.exp(3)));
    expect(value(losses.softmaxCrossEntropy(labels(), logits(), 3))).toBeCloseTo((l1 + l2) / 2, 5);
  });
  it('binary cross-entropy on sigmoid of logits, averaged over all entries', () => {
    const s = (x: number) => 1 / (1 + Math.exp(-x));
    const y = [[1, 0, 0], [0, 0, 1]];
    const z = [[2, 1, 0], [0, 0, 3]];
    let sum = 0;
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) sum += -(y[i]![j]! * Math.log(s(z[i]![j]!)) + (1 - y[i]![j]!) * Math.log(1 - s(z[i]![j]!)));
    expect(value(losses.binaryCrossEntropy(labels(), logits(), 3))).toBeCloseTo(sum / 6, 5);
  });
  it('mean squared error against one-hot targets', () => {
    // (1 + 1 + 0 + 0 + 0 + 4) / 6
    expect(value(losses.mse(labels(), logits(), 3))).toBeCloseTo(6 / 6, 6);
  });
  it('Huber loss (delta 1) against one-hot targets', () => {
    // diffs: 1,1,0 / 0,0,2 → 0.5,0.5,0 / 0,0,1.5
    expect(value(losses.huber(labels(), logits(), 3))).toBeCloseTo(2.5 / 6, 6);
  });
});

/** Minimises f(w) = w² / 2 (gradient w) from w = 1 for two steps and returns w. */
function twoSteps(c: OptimizerConfig): number {
  const w = tf.variable(tf.scalar(1));
  const opt = makeOptimizer(c);
  for (let i = 0; i < 2; i++) opt.minimize(() => tf.mul(0.5, tf.square(w)) as tf.Scalar, false, [w]);
  const out = value(w);
  opt.dispose();
  w.dispose();
  return out;
}

describe('optimizers on f(w) = w²/2 from w = 1', () => {
  it('SGD: w ← w − lr·w', () => expect(twoSteps({ type: 'sgd', learningRate: 0.1 })).toBeCloseTo(0.81, 6));
  it('momentum 0.9: v ← 0.9v + g, w ← w − lr·v', () => {
    // v1 = 1, w1 = 0.9; v2 = 0.9 + 0.9 = 1.8, w2 = 0.9 - 0.18 = 0.72
    expect(twoSteps({ type: 'momentum', learningRate: 0.1, momentum: 0.9 })).toBeCloseTo(0.72, 6);
  });
  it('Adam (β 0.9/0.999): bias-corrected m̂/√v̂ steps', () => {
    let w = 1;
    let m = 0;
    let v = 0;
    for (let t = 1; t <= 2; t++) {
      const g = w;
      m = 0.9 * m + 0.1 * g;
      v = 0.999 * v + 0.001 * g * g;
      w -= (0.1 * (m / (1 - 0.9 ** t))) / (Math.sqrt(v / (1 - 0.999 ** t)) + 1e-8);
    }
    expect(twoSteps({ type: 'adam', learningRate: 0.1 })).toBeCloseTo(w, 5);
  });
  it('RMSProp: w ← w − lr·g/√(ρ·s + (1−ρ)g²)', () => {
    const s1 = 0.01 * 1;
    const w1 = 1 - (0.01 * 1) / Math.sqrt(s1 + 1e-8);
    const s2 = 0.99 * s1 + 0.01 * w1 * w1;
    const w2 = w1 - (0.01 * w1) / Math.sqrt(s2 + 1e-8);
    expect(twoSteps({ type: 'rmsprop', learningRate: 0.01 })).toBeCloseTo(w2, 4);
  });
});

describe('one training step', () => {
  /** A 1-unit linear model y = w·x with w = 1, loss MSE against one-hot of label 0 (target 1). */
  function linear() {
    const input = tfl.input({ shape: [1] });
    const dense = tfl.layers.dense({ units: 1, useBias: false, kernelInitializer: 'ones' });
    const model = tfl.model({ inputs: input, outputs: dense.apply(input) as tfl.SymbolicTensor });
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    return { model, vars };
  }
  const x = () => tf.tensor2d([[3]]);
  const y = () => tf.tensor1d([0], 'int32');
  // loss = (3w − 1)², dloss/dw = 6(3w − 1) = 12 at w = 1
  const towardsOne = (_labels: tf.Tensor1D, out: tf.Tensor2D) => tf.mean(tf.square(tf.sub(out, 1))) as tf.Scalar;
  const base = { lossFn: towardsOne, classes: 1, learningRate: 0.01, gradNorms: true } as const;

  it('applies the gradient and reports its norm', () => {
    const { model, vars } = linear();
    const r = trainStep(model, vars, tf.train.sgd(0.01), x(), y(), { ...base, weightDecay: 0, decoupled: false });
    expect(r.loss).toBeCloseTo(4, 5);
    expect([...r.gradNorms!.values()][0]).toBeCloseTo(12, 4);
    expect(value(vars[0]!)).toBeCloseTo(1 - 0.12, 5);
  });
  it('L2 weight decay adds wd·w to the gradient', () => {
    const { model, vars } = linear();
    trainStep(model, vars, tf.train.sgd(0.01), x(), y(), { ...base, weightDecay: 0.5, decoupled: false });
    expect(value(vars[0]!)).toBeCloseTo(1 - 0.01 * 12.5, 5);
  });
  it('decoupled weight decay (AdamW) shrinks the weights after the update', () => {
    const { model, vars } = linear();
    trainStep(model, vars, tf.train.sgd(0.01), x(), y(), { ...base, weightDecay: 0.5, decoupled: true });
    expect(value(vars[0]!)).toBeCloseTo((1 - 0.12) * (1 - 0.01 * 0.5), 5);
  });
  it('clips the gradient to the global norm', () => {
    const { model, vars } = linear();
    trainStep(model, vars, tf.train.sgd(0.01), x(), y(), { ...base, weightDecay: 0, decoupled: false, clipNorm: 3 });
    expect(value(vars[0]!)).toBeCloseTo(1 - 0.03, 5);
  });
});

describe('learning-rate schedules', () => {
  const cfg = (extra: object) => trainConfig.parse({ epochs: 10, optimizer: { type: 'sgd', learningRate: 1 }, ...extra });
  it('constant', () => expect(learningRateAt(cfg({}), 7.5)).toBe(1));
  it('step', () => {
    const c = cfg({ schedule: { type: 'step', everyEpochs: 3, gamma: 0.5 } });
    expect([0, 2.9, 3, 6.5, 9].map((t) => learningRateAt(c, t))).toEqual([1, 1, 0.5, 0.25, 0.125]);
  });
  it('cosine from the base rate to the minimum', () => {
    const c = cfg({ schedule: { type: 'cosine', minLearningRate: 0.1 } });
    expect(learningRateAt(c, 0)).toBeCloseTo(1);
    expect(learningRateAt(c, 5)).toBeCloseTo(0.55);
    expect(learningRateAt(c, 10)).toBeCloseTo(0.1);
  });
  it('linear warm-up', () => {
    const c = cfg({ warmupEpochs: 2 });
    expect(learningRateAt(c, 0.5)).toBeCloseTo(0.25);
    expect(learningRateAt(c, 2)).toBe(1);
  });
});

describe('precision and recall', () => {
  it('per class from a confusion matrix', () => {
    const { precision, recall } = precisionRecall([
      [8, 2],
      [1, 9],
    ]);
    expect(precision).toEqual([8 / 9, 9 / 11]);
    expect(recall).toEqual([0.8, 0.9]);
  });
});
