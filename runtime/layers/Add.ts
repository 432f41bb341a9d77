/**
 * tfjs-layers' Add, registered under its own class name. With {@link fusedRelu} set (by
 * materialize, for an Add whose output only a ReLU layer reads: graph-compiler's fuse pass)
 * it adds two same-shape inputs and applies that ReLU in one kernel while training on wasm
 * (runtime/kernels/addRelu.ts), and marks its output so that the ReLU layer passes it
 * through (Activation.ts). Everything else is tfjs-layers' own, and saved models name the
 * stock class.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { AddRelu, addReluOp } from '../kernels/addRelu.js';
import { markRectified, onWasm, stockLayerClass } from './common.js';

type Kwargs = Record<string, unknown>;

const Stock = stockLayerClass(tfl.layers.add, {});

export class Add extends Stock {
  static readonly className = 'Add';
  /** Apply the ReLU that follows in the fused training kernel (not saved with the model). */
  fusedRelu = false;

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const [a, b, ...rest] = Array.isArray(inputs) ? inputs : [inputs];
    const fused = this.fusedRelu && kwargs.training === true && a && b && rest.length === 0 && tf.util.arraysEqual(a.shape, b.shape) && onWasm(a, AddRelu) && b.dtype === 'float32';
    if (!fused) return super.call(inputs, kwargs);
    const y = addReluOp(a, b);
    markRectified(y);
    return y;
  }
}
tf.serialization.registerClass(Add);
