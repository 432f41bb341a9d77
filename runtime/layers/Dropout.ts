/**
 * tfjs-layers' Dropout, registered under its own class name, with two changes in training:
 * the mask comes from the one-pass kernel on wasm (runtime/kernels/dropout.ts), and a `seed`
 * is a base for a new mask on every call (tfjs-layers reuses one mask for every batch when
 * given a seed). Inference, `noiseShape`, config and saved files are tfjs-layers' own.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { DropoutSeeds, dropout, single, stockLayerClass } from './common.js';

type Kwargs = Record<string, unknown>;
type DropoutArgs = Parameters<typeof tfl.layers.dropout>[0];

const Stock = stockLayerClass(tfl.layers.dropout, { rate: 0 });

export class Dropout extends Stock {
  static readonly className = 'Dropout';
  private readonly seeds: DropoutSeeds;

  constructor(args: DropoutArgs) {
    super(args);
    this.seeds = new DropoutSeeds(args.seed);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const { rate, noiseShape } = this as unknown as { rate: number; noiseShape?: unknown };
    if (kwargs.training !== true || noiseShape != null || !(rate > 0 && rate < 1)) return super.call(inputs, kwargs);
    return tf.tidy(() => dropout(single(inputs), rate, this.seeds.next()));
  }
}
tf.serialization.registerClass(Dropout);
