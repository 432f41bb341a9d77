/** The optimizers a run can use, built from the config's plain data. */
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from '../../contracts/index.js';

export function makeOptimizer(c: OptimizerConfig): tf.Optimizer {
  switch (c.type) {
    case 'sgd':
      return tf.train.sgd(c.learningRate);
    case 'momentum':
      return tf.train.momentum(c.learningRate, c.momentum ?? 0.9);
    case 'adam':
    case 'adamw':
      return tf.train.adam(c.learningRate, 0.9, 0.999, 1e-8);
    case 'rmsprop':
      return tf.train.rmsprop(c.learningRate, 0.99, 0, 1e-8);
  }
}

/**
 * How weight decay applies: AdamW decays the weights directly (decoupled, Loshchilov & Hutter);
 * the others add `weightDecay * w` to the gradient (L2), as PyTorch's `weight_decay` does.
 */
export const decoupledDecay = (c: OptimizerConfig): boolean => c.type === 'adamw';
export const defaultWeightDecay = (c: OptimizerConfig): number => c.weightDecay ?? (c.type === 'adamw' ? 0.01 : 0);
