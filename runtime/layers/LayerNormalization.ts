/**
 * tfjs-layers' LayerNormalization, registered under its own class name, computed on wasm by
 * one kernel with one gradient (runtime/kernels/layerNorm.ts) when it normalises the last
 * axis with both γ and β, as Transformers do. Everything else (other axes or backends,
 * weights, config, saved files) is tfjs-layers' own.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { LayerNorm, layerNormOp } from '../kernels/layerNorm.js';
import { onWasm, single, stockLayerClass } from './common.js';

type Kwargs = Record<string, unknown>;

/** The fields of tfjs-layers' LayerNormalization that the fused path reads (private in its typings). */
interface LayerNormFields {
  readonly axis: number[];
  readonly epsilon: number;
  readonly gamma: tfl.LayerVariable | null;
  readonly beta: tfl.LayerVariable | null;
}

const Stock = stockLayerClass(tfl.layers.layerNormalization, {});

export class LayerNormalization extends Stock {
  static readonly className = 'LayerNormalization';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const x = single(inputs);
    const self = this as unknown as LayerNormFields;
    const lastAxis = self.axis.length === 1 && self.axis[0] === x.rank - 1;
    const fused = lastAxis && self.gamma && self.beta && onWasm(x, LayerNorm);
    if (!fused) return super.call(inputs, kwargs);
    return tf.tidy(() => layerNormOp(x, self.gamma!.read(), self.beta!.read(), self.epsilon));
  }
}
tf.serialization.registerClass(LayerNormalization);
