import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import type { Bidirectional as BidirectionalType } from '@tensorflow/tfjs-layers/dist/layers/wrappers';

type RNNLayer = ReturnType<typeof tfl.layers.lstm>;

// The class is not exported by name; take the one TF.js registered, so there is one copy of it.
const Bidirectional = tf.serialization.SerializationMap.getMap().classNameMap['Bidirectional']![0] as unknown as typeof BidirectionalType;
export interface LayerlabBidirectionalConfig {
  layer: RNNLayer | { className: string; config: tf.serialization.ConfigDict };
  mergeMode?: 'concat' | 'sum' | 'mul' | 'ave';
  name?: string;
}

/**
 * TF.js's Bidirectional wants a built RNN layer object; the compiler's lowering is plain data.
 * This subclass accepts `{ className, config }` too, so `new LayerlabBidirectional(config)`
 * works like every other lowered layer, and saves and loads like Bidirectional does.
 */
export class LayerlabBidirectional extends Bidirectional {
  static override readonly className = 'LayerlabBidirectional';

  constructor(config: LayerlabBidirectionalConfig) {
    super({ ...config, layer: toLayer(config.layer) } as ConstructorParameters<typeof Bidirectional>[0]);
  }
}

function toLayer(layer: LayerlabBidirectionalConfig['layer']): RNNLayer {
  if (layer instanceof tfl.layers.Layer) return layer as RNNLayer;
  const spec = layer as { className: string; config: tf.serialization.ConfigDict };
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[spec.className];
  if (!entry) throw new Error(`LayerlabBidirectional: unknown recurrent layer "${spec.className}"`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, spec.config) as unknown as RNNLayer;
}
tf.serialization.registerClass(LayerlabBidirectional as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);
