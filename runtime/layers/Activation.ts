/**
 * tfjs-layers' Activation, registered under its own class name: a ReLU whose input a fused
 * batch norm + ReLU or Add + ReLU kernel has already rectified (see BatchNormalization.ts,
 * Add.ts) returns it as it is, so the step runs no ReLU kernel and no ReLU gradient for it. Everything else is
 * tfjs-layers' own, and saved models name the stock class.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { isRectified, single, stockLayerClass } from './common.js';

type Kwargs = Record<string, unknown>;

const Stock = stockLayerClass(tfl.layers.activation, { activation: 'linear' });

export class Activation extends Stock {
  static readonly className = 'Activation';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const x = single(inputs);
    const relu = (this as unknown as { activation: { getClassName(): string } }).activation.getClassName() === 'relu';
    return relu && isRectified(x) ? x : super.call(inputs, kwargs);
  }
}
tf.serialization.registerClass(Activation);
