/** Losses over a batch of logits and integer labels; each returns a scalar mean. */
import * as tf from '@tensorflow/tfjs-core';
import type { LossName } from '../../contracts/index.js';
import { softmaxCrossEntropyLoss } from '../kernels/softmaxCrossEntropy.js';

export type LossFn = (labels: tf.Tensor1D, logits: tf.Tensor2D, classes: number) => tf.Scalar;

export const losses: Record<LossName, LossFn> = {
  softmaxCrossEntropy: (labels, logits, classes) => softmaxCrossEntropyLoss(tf.oneHot(labels, classes), logits),
  binaryCrossEntropy: (labels, logits, classes) => tf.losses.sigmoidCrossEntropy(tf.oneHot(labels, classes), logits),
  mse: (labels, logits, classes) => tf.losses.meanSquaredError(tf.oneHot(labels, classes), logits),
  huber: (labels, logits, classes) => tf.losses.huberLoss(tf.oneHot(labels, classes), logits),
};

/** Number of rows whose arg-max equals the label. */
export function correctCount(labels: tf.Tensor1D, logits: tf.Tensor2D): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(logits, -1), labels), 'int32'));
}
