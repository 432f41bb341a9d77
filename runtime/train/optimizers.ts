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
      return tf.train.adam(c.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(c.learningRate);
  }
}
