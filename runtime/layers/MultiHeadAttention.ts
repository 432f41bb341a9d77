import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { attentionAvailable, attentionOp } from '../kernels/attention.js';
import { DropoutSeeds, dense, dropout } from './common.js';

/** Tests turn the fused wasm kernel off to compare it with the op-by-op path. */
export const tuning = { fused: true };

type Kwargs = Record<string, unknown>;
export interface MultiHeadAttentionConfig {
  numHeads: number;
  keyDim: number;
  valueDim?: number;
  dropout?: number;
  useBias?: boolean;
  outputShape?: number;
  causal?: boolean;
  /** Seeds the kernel initialisers and the attention-dropout masks (random when absent). */
  seed?: number;
  name?: string;
}

/**
 * Keras's MultiHeadAttention for [batch, steps, features] inputs, which TF.js lacks.
 * Inputs: [query, value] or [query, value, key]. Projections are stored as 2-D kernels
 * [features, heads · dim] so the weights read like PyTorch's in_proj/out_proj.
 */
export class MultiHeadAttention extends tfl.layers.Layer {
  static readonly className = 'MultiHeadAttention';
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly dropout: number;
  readonly useBias: boolean;
  readonly outputDim: number | undefined;
  readonly causal: boolean;
  readonly seed: number | undefined;
  private readonly seeds: DropoutSeeds;
  private w: Record<string, tfl.LayerVariable | null> = {};

  constructor(config: MultiHeadAttentionConfig) {
    super(config);
    this.numHeads = config.numHeads;
    this.keyDim = config.keyDim;
    this.valueDim = config.valueDim ?? config.keyDim;
    this.dropout = config.dropout ?? 0;
    this.useBias = config.useBias ?? true;
    this.outputDim = config.outputShape;
    this.causal = config.causal ?? false;
    this.seed = config.seed;
    this.seeds = new DropoutSeeds(config.seed);
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shapes = inputShape as tfl.Shape[];
    const [q, v] = [shapes[0]!, shapes[1]!];
    const k = shapes[2] ?? v;
    const h = this.numHeads;
    const out = this.outputDim ?? q[2]!;
    let kernels = 0;
    const add = (name: string, shape: number[], bias: boolean) => {
      this.w[name] = bias
        ? this.useBias
          ? this.addWeight(name, shape, 'float32', tfl.initializers.zeros())
          : null
        : this.addWeight(name, shape, 'float32', tfl.initializers.glorotUniform(this.seed === undefined ? {} : { seed: this.seed * 7 + kernels++ }));
    };
    add('query/kernel', [q[2]!, h * this.keyDim], false);
    add('query/bias', [h * this.keyDim], true);
    add('key/kernel', [k[2]!, h * this.keyDim], false);
    add('key/bias', [h * this.keyDim], true);
    add('value/kernel', [v[2]!, h * this.valueDim], false);
    add('value/bias', [h * this.valueDim], true);
    add('output/kernel', [h * this.valueDim, out], false);
    add('output/bias', [out], true);
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const q = (inputShape as tfl.Shape[])[0]!;
    return [q[0] ?? null, q[1] ?? null, this.outputDim ?? q[2]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const xs = inputs as tf.Tensor[];
      const [query, value] = [xs[0]!, xs[1]!];
      const key = xs[2] ?? value;
      const training = kwargs['training'] === true && this.dropout > 0;
      // The projections, [b, t, h·dim] viewed as [b, t, h, dim].
      const heads = (x: tf.Tensor, name: string, dim: number) =>
        tf.reshape(dense(x, this.w[`${name}/kernel`]!.read(), this.w[`${name}/bias`]?.read() ?? null), [x.shape[0]!, x.shape[1]!, this.numHeads, dim]);
      let attended: tf.Tensor; // [b, tq, h, dv]
      if (tuning.fused && query.dtype === 'float32' && attentionAvailable()) {
        // One kernel on wasm (kernels/attention.ts): heads stay in the [b, t, h, dim] layout,
        // the same dropout mask as below for the same seed.
        attended = attentionOp(heads(query, 'query', this.keyDim), heads(key, 'key', this.keyDim), heads(value, 'value', this.valueDim), {
          scale: 1 / Math.sqrt(this.keyDim),
          causal: this.causal,
          rate: training ? this.dropout : 0,
          seed: training ? this.seeds.next() : 0,
        });
      } else {
        // [b, t, h, dim] → [b, h, t, dim]
        const proj = (x: tf.Tensor, name: string, dim: number) => tf.transpose(heads(x, name, dim), [0, 2, 1, 3]);
        // Scaling q by 1/√d rather than the scores: the same product, on t·d values instead of t·t.
        const q = tf.mul(proj(query, 'query', this.keyDim), 1 / Math.sqrt(this.keyDim));
        const k = proj(key, 'key', this.keyDim);
        const v = proj(value, 'value', this.valueDim);
        let scores = tf.matMul(q, k, false, true);
        if (this.causal) {
          const [tq, tk] = [query.shape[1]!, key.shape[1]!];
          const allowed = tf.linalg.bandPart(tf.ones([tq, tk]), -1, 0);
          scores = tf.add(scores, tf.mul(tf.sub(1, allowed), -1e9));
        }
        let weights = tf.softmax(scores);
        if (training) weights = dropout(weights, this.dropout, this.seeds.next());
        attended = tf.transpose(tf.matMul(weights, v), [0, 2, 1, 3]);
      }
      attended = tf.reshape(attended, [query.shape[0]!, query.shape[1]!, this.numHeads * this.valueDim]);
      return dense(attended, this.w['output/kernel']!.read(), this.w['output/bias']?.read() ?? null);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      ...super.getConfig(),
      numHeads: this.numHeads,
      keyDim: this.keyDim,
      valueDim: this.valueDim,
      dropout: this.dropout,
      useBias: this.useBias,
      causal: this.causal,
    };
    if (this.seed !== undefined) config['seed'] = this.seed;
    if (this.outputDim !== undefined) config['outputShape'] = this.outputDim;
    return config;
  }
}
tf.serialization.registerClass(MultiHeadAttention);
