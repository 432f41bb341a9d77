/**
 * tfjs-layers' Activation, registered under its own class name: a ReLU whose input a fused
 * batch norm + ReLU or Add + ReLU kernel has already rectified (see BatchNormalization.ts,
 * Add.ts) returns it as it is, so the step runs no ReLU kernel and no ReLU gradient for it.
 * It does so in `apply`, before tfjs-layers' Layer.apply, which would copy an output that is
 * one of the inputs (an Identity call, a tape node and a Cast in the backward pass: 17 of each
 * per ResNet-18 step). Everything else is tfjs-layers' own, and saved models name the stock class.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { isRectified, single, stockLayerClass } from './common.js';

type Kwargs = Record<string, unknown>;

const Stock = stockLayerClass(tfl.layers.activation, { activation: 'linear' });

export class Activation extends Stock {
  static readonly className = 'Activation';

  private passesThrough(x: unknown): x is tf.Tensor {
    return x instanceof tf.Tensor && isRectified(x) && (this as unknown as { activation: { getClassName(): string } }).activation.getClassName() === 'relu';
  }

  override apply(inputs: Parameters<tfl.layers.Layer['apply']>[0], kwargs?: Kwargs): ReturnType<tfl.layers.Layer['apply']> {
    const x = Array.isArray(inputs) && inputs.length === 1 ? inputs[0] : inputs;
    return this.passesThrough(x) ? x : super.apply(inputs, kwargs);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const x = single(inputs);
    return this.passesThrough(x) ? x : super.call(inputs, kwargs);
  }
}
tf.serialization.registerClass(Activation);
