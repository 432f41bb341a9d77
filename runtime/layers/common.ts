/** Small helpers shared by the custom layers. */
import * as tf from '@tensorflow/tfjs-core';

/** x [..., d] · w [d, e] for any leading rank: TF.js matMul wants matching batch ranks, so flatten first. */
export function dense(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor | null): tf.Tensor {
  const lead = x.shape.slice(0, -1);
  const y = tf.matMul(tf.reshape(x, [-1, x.shape.at(-1)!]) as tf.Tensor2D, w as tf.Tensor2D);
  const out = b ? tf.add(y, b) : y;
  return tf.reshape(out, [...lead, w.shape[1]!]);
}

/** The single tensor of a one-input layer, whether TF.js passes it alone or in an array. */
export const single = (inputs: tf.Tensor | tf.Tensor[]): tf.Tensor => (Array.isArray(inputs) ? inputs[0]! : inputs);
