/** Learning-rate schedules: constant, step or cosine, each with an optional linear warm-up. */
import type * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from '../../contracts/index.js';

/** The rate for progress `t`, measured in epochs completed (0 at the start, `epochs` at the end). */
export function learningRateAt(config: TrainConfig, t: number): number {
  const base = config.optimizer.learningRate;
  const s = config.schedule;
  let lr = base;
  if (s.type === 'step') lr = base * s.gamma ** Math.floor(t / s.everyEpochs);
  else if (s.type === 'cosine') lr = s.minLearningRate + ((base - s.minLearningRate) * (1 + Math.cos((Math.PI * Math.min(t, config.epochs)) / config.epochs))) / 2;
  if (config.warmupEpochs > 0 && t < config.warmupEpochs) lr *= Math.max(t, 1e-3) / config.warmupEpochs;
  return lr;
}

/** TF.js optimizers keep their rate in different places; this sets it on any of ours. */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const o = optimizer as unknown as { setLearningRate?: (lr: number) => void; learningRate: number };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else o.learningRate = lr;
}
