/**
 * tfjs-layers' BatchNormalization, registered under its own class name, whose training step
 * on wasm is one fused kernel with one gradient (runtime/kernels/batchNormTrain.ts) instead
 * of `tf.moments` + `tf.batchNorm` and their gradients. With {@link fusedRelu} set (by
 * materialize, for a layer whose output only a ReLU layer reads) that kernel applies the
 * ReLU too, and marks its output so that the ReLU layer passes it through (Activation.ts).
 * Everything else (inference, other backends, channels not last, no scale or centre,
 * weights, config, saved files) is tfjs-layers' own: saved models name the stock classes
 * and load anywhere.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { BatchNormTrain, batchNormTrainOp, movingStatsOp } from '../kernels/batchNormTrain.js';
import { markRectified, onWasm, single, stockLayerClass } from './common.js';

type Kwargs = Record<string, unknown>;

/** The fields of tfjs-layers' BatchNormalization that the fused path reads (private in its typings). */
interface BatchNormFields {
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly gamma: tfl.LayerVariable | null;
  readonly beta: tfl.LayerVariable | null;
  readonly movingMean: tfl.LayerVariable;
  readonly movingVariance: tfl.LayerVariable;
}

const Stock = stockLayerClass(tfl.layers.batchNormalization, {});

export class BatchNormalization extends Stock {
  static readonly className = 'BatchNormalization';
  /** Apply the ReLU that follows in the fused training kernel (not saved with the model). */
  fusedRelu = false;

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const x = single(inputs);
    const self = this as unknown as BatchNormFields;
    const lastAxis = self.axis === -1 || self.axis === x.rank - 1;
    const fused = kwargs.training === true && lastAxis && self.gamma && self.beta && onWasm(x, BatchNormTrain);
    if (!fused) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const [y, mean, variance] = batchNormTrainOp(x, self.gamma!.read(), self.beta!.read(), self.epsilon, this.fusedRelu);
      if (this.fusedRelu) markRectified(y);
      // tfjs-layers' moving averages, v ← v - (v - batch)·(1 - momentum), in one kernel.
      const [movingMean, movingVariance] = movingStatsOp(self.movingMean.read(), self.movingVariance.read(), mean, variance, 1 - self.momentum);
      self.movingMean.write(movingMean);
      self.movingVariance.write(movingVariance);
      return y;
    });
  }
}
tf.serialization.registerClass(BatchNormalization);
