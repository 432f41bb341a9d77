import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { single } from './common.js';

type Kwargs = Record<string, unknown>;

/** ViT's class token: a learned d-vector prepended to each [n, d] sequence, giving [n + 1, d]. */
export class ClassToken extends tfl.layers.Layer {
  static readonly className = 'ClassToken';
  private token: tfl.LayerVariable | null = null;

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = inputShape as tfl.Shape;
    this.token = this.addWeight('token', [1, 1, shape.at(-1)!], 'float32', tfl.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const [b, n, d] = inputShape as tfl.Shape;
    return [b ?? null, n === null || n === undefined ? null : n + 1, d ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const token = tf.tile(this.token!.read(), [x.shape[0]!, 1, 1]);
      return tf.concat([token, x], 1);
    });
  }
}
tf.serialization.registerClass(ClassToken);
