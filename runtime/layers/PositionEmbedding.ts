import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { single } from './common.js';

type Kwargs = Record<string, unknown>;

/** Adds a learned [n, d] table to each [n, d] sequence (ViT's position embedding). */
export class PositionEmbedding extends tfl.layers.Layer {
  static readonly className = 'PositionEmbedding';
  private table: tfl.LayerVariable | null = null;

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const [, n, d] = inputShape as tfl.Shape;
    this.table = this.addWeight('embeddings', [n!, d!], 'float32', tfl.initializers.randomNormal({ stddev: 0.02 }));
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return inputShape as tfl.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => tf.add(single(inputs), this.table!.read()));
  }
}
tf.serialization.registerClass(PositionEmbedding);
