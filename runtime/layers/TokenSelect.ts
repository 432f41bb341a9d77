import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { single } from './common.js';

type Kwargs = Record<string, unknown>;
export interface TokenSelectConfig {
  index?: number;
  name?: string;
}

/** Picks token `index` of each [n, d] sequence, giving [d]. */
export class TokenSelect extends tfl.layers.Layer {
  static readonly className = 'TokenSelect';
  readonly index: number;

  constructor(config: TokenSelectConfig = {}) {
    super(config);
    this.index = config.index ?? 0;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const s = inputShape as tfl.Shape;
    return [s[0] ?? null, s[2] ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      return tf.reshape(tf.slice(x, [0, this.index, 0], [-1, 1, -1]), [x.shape[0]!, x.shape[2]!]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), index: this.index };
  }
}
tf.serialization.registerClass(TokenSelect);
