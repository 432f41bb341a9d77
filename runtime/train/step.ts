/** One optimizer step: gradients, L2 or decoupled weight decay, global-norm clipping, update. */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { LossFn } from './losses.js';
import { correctCount } from './losses.js';

export interface StepOptions {
  readonly lossFn: LossFn;
  readonly classes: number;
  readonly learningRate: number;
  readonly weightDecay: number;
  readonly decoupled: boolean;
  readonly clipNorm?: number;
  /** Also return each variable's gradient L2 norm (costs a read-back). */
  readonly gradNorms: boolean;
}

export interface StepResult {
  readonly loss: number;
  readonly correct: number;
  readonly gradNorms?: ReadonlyMap<string, number>;
}

export function trainStep(model: tfl.LayersModel, vars: readonly tf.Variable[], optimizer: tf.Optimizer, xs: tf.Tensor, ys: tf.Tensor1D, o: StepOptions): StepResult {
  let correct: tf.Scalar | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const logits = model.apply(xs, { training: true }) as tf.Tensor2D;
    correct = tf.keep(correctCount(ys, logits));
    return o.lossFn(ys, logits, o.classes);
  }, vars as tf.Variable[]);
  const names = Object.keys(grads);
  let norms: Map<string, number> | undefined;
  tf.tidy(() => {
    const byName = new Map(vars.map((v) => [v.name, v]));
    let g = grads;
    if (o.weightDecay > 0 && !o.decoupled) g = Object.fromEntries(names.map((n) => [n, tf.add(g[n]!, tf.mul(byName.get(n)!, o.weightDecay))]));
    if (o.clipNorm !== undefined || o.gradNorms) {
      const squares = names.map((n) => tf.sum(tf.square(g[n]!)));
      if (o.gradNorms) norms = new Map(names.map((n, i) => [n, Math.sqrt(squares[i]!.dataSync()[0]!)]));
      if (o.clipNorm !== undefined) {
        const total = tf.sqrt(tf.addN(squares));
        const scale = tf.minimum(1, tf.div(o.clipNorm, tf.add(total, 1e-12)));
        g = Object.fromEntries(names.map((n) => [n, tf.mul(g[n]!, scale)]));
      }
    }
    optimizer.applyGradients(g);
    if (o.weightDecay > 0 && o.decoupled) for (const v of vars) v.assign(tf.mul(v, 1 - o.learningRate * o.weightDecay));
  });
  const loss = value.dataSync()[0]!;
  const c = correct!.dataSync()[0]!;
  tf.dispose([value, correct!, ...Object.values(grads)]);
  return norms ? { loss, correct: c, gradNorms: norms } : { loss, correct: c };
}
