import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { single } from './common.js';

type Kwargs = Record<string, unknown>;
export interface PatchEmbeddingConfig {
  patchSize: number;
  dim: number;
  name?: string;
}

/** ViT's patch embedding: a Conv2D with kernel = stride = patchSize, reshaped to [patches, dim]. */
export class PatchEmbedding extends tfl.layers.Layer {
  static readonly className = 'PatchEmbedding';
  readonly patchSize: number;
  readonly dim: number;
  private kernel: tfl.LayerVariable | null = null;
  private bias: tfl.LayerVariable | null = null;

  constructor(config: PatchEmbeddingConfig) {
    super(config);
    this.patchSize = config.patchSize;
    this.dim = config.dim;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const c = (inputShape as tfl.Shape)[3]!;
    this.kernel = this.addWeight('kernel', [this.patchSize, this.patchSize, c, this.dim], 'float32', tfl.initializers.glorotUniform({}));
    this.bias = this.addWeight('bias', [this.dim], 'float32', tfl.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const [b, h, w] = inputShape as tfl.Shape;
    return [b ?? null, (h! / this.patchSize) * (w! / this.patchSize), this.dim];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs) as tf.Tensor4D;
      const y = tf.add(tf.conv2d(x, this.kernel!.read() as tf.Tensor4D, this.patchSize, 'valid'), this.bias!.read());
      return tf.reshape(y, [x.shape[0], -1, this.dim]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), patchSize: this.patchSize, dim: this.dim };
  }
}
tf.serialization.registerClass(PatchEmbedding);
