/**
 * tfjs-layers' 'gelu' activation, registered under its own class name, computed on wasm by
 * one kernel with one gradient (runtime/kernels/gelu.ts); tfjs-layers' own elsewhere.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { Gelu as GeluKernel, geluOp } from '../kernels/gelu.js';
import { onWasm } from './common.js';

/** The activation tfjs-layers registers as 'gelu' (its class is not exported). */
const entry = tf.serialization.SerializationMap.getMap().classNameMap['gelu'];
if (!entry) throw new Error("tfjs-layers registers no 'gelu' activation; import @tensorflow/tfjs-layers first");
const Stock = entry[0] as unknown as new () => { apply(x: tf.Tensor): tf.Tensor };

export class Gelu extends Stock {
  static readonly className = 'gelu';

  override apply(x: tf.Tensor): tf.Tensor {
    if (onWasm(x, GeluKernel)) return geluOp(x);
    return super.apply(x);
  }
}
// (Typed loosely: tfjs-layers' activation base class is not exported either.)
tf.serialization.registerClass(Gelu as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);
