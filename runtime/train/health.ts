/**
 * Per-layer health while training: gradient and weight norms, activation mean/std and the
 * fraction of dead ReLU units, with warnings when gradients vanish or explode.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerHealth, LossName } from '../../contracts/index.js';

export interface HealthProbe {
  /** `diverged`: {@link lossWarning}'s message for this batch, if any (it replaces the vanishing-gradient warnings). */
  measure(xs: tf.Tensor, gradNorms: ReadonlyMap<string, number>, diverged?: string): { layers: LayerHealth[]; warnings: string[] };
  dispose(): void;
}

const isRelu = (layer: tfl.layers.Layer): boolean => {
  const c = layer.getConfig() as { activation?: string };
  return c.activation === 'relu' || layer.getClassName() === 'ReLU';
};

/** `idOf` maps a TF.js layer name back to the graph node id shown to the user. */
export function createHealthProbe(model: tfl.LayersModel, idOf: (layerName: string) => string): HealthProbe {
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const probe = tfl.model({ inputs: model.inputs, outputs: layers.map((l) => l.output as tfl.SymbolicTensor) });
  return {
    measure(xs, gradNorms, diverged) {
      const outs = tf.tidy(() => {
        const o = probe.predict(xs) as tf.Tensor | tf.Tensor[];
        return Array.isArray(o) ? o : [o];
      });
      const stats = outs.map((a, i) => {
        const packed = tf.tidy(() => {
          const { mean, variance } = tf.moments(a);
          const units = a.shape.at(-1)!;
          const dead = isRelu(layers[i]!) ? tf.mean(tf.cast(tf.lessEqual(tf.max(tf.reshape(a, [-1, units]), 0), 0), 'float32')) : tf.scalar(-1);
          return tf.stack([mean, variance, dead]);
        });
        const [mean, variance, dead] = packed.dataSync();
        packed.dispose();
        return { mean: mean!, std: Math.sqrt(variance!), dead: dead! < 0 ? null : dead! };
      });
      tf.dispose(outs);
      const result: LayerHealth[] = layers.map((layer, i) => {
        let g2 = 0;
        let w2 = 0;
        for (const w of layer.trainableWeights) {
          const v = w.read() as tf.Variable;
          g2 += (gradNorms.get(v.name) ?? 0) ** 2;
          w2 += tf.tidy(() => tf.sum(tf.square(v)).dataSync()[0]!);
        }
        return { id: idOf(layer.name), gradNorm: Math.sqrt(g2), weightNorm: Math.sqrt(w2), activationMean: stats[i]!.mean, activationStd: stats[i]!.std, deadFraction: stats[i]!.dead };
      });
      return { layers: result, warnings: diverged ? [diverged, ...healthWarnings(result, true)] : healthWarnings(result) };
    },
    dispose() {
      // The probe shares the model's layers and weights; it owns nothing of its own to free.
    },
  };
}

/**
 * Rules of thumb from d2l 5.4 (numerical stability) and 8.5 (batch norm). `diverged`: the loss
 * is far above chance (see {@link lossWarning}); vanishing gradients are then its symptom
 * (saturated units), and their advice is left out.
 */
export function healthWarnings(layers: readonly LayerHealth[], diverged = false): string[] {
  const out: string[] = [];
  for (const l of layers) {
    if (l.weightNorm > 0) {
      const ratio = l.gradNorm / l.weightNorm;
      if (!Number.isFinite(l.gradNorm) || ratio > 10)
        out.push(`${l.id}: gradients are exploding (|grad| / |weights| = ${ratio.toPrecision(2)}); lower the learning rate or set gradient clipping`);
      // Dead ReLU units (below) and a diverged loss explain vanishing gradients better than this advice.
      else if (ratio < 1e-6 && !diverged && !(l.deadFraction !== null && l.deadFraction > 0.5))
        out.push(`${l.id}: gradients are vanishing (|grad| / |weights| = ${ratio.toPrecision(2)}); in a deep sigmoid/tanh stack use ReLU or add BatchNormalization (d2l 5.4)`);
    }
    if (l.deadFraction !== null && l.deadFraction > 0.5)
      out.push(`${l.id}: ${Math.round(100 * l.deadFraction)}% of its ReLU units never activate on this batch; lower the learning rate or try LeakyReLU`);
  }
  return out;
}

/**
 * A cross-entropy loss far above what guessing gives (ln K for K classes, ln 2 for the binary
 * one) means training has diverged, usually from too high a learning rate: the saturated
 * units it leaves also trip the vanishing-gradient rule above, whose advice (ReLU, batch
 * norm) would not help, so that warning stands in for it.
 */
export function lossWarning(loss: LossName, classes: number, value: number, learningRate: number, optimizer: string): string | undefined {
  const chance = loss === 'softmaxCrossEntropy' ? Math.log(classes) : loss === 'binaryCrossEntropy' ? Math.log(2) : undefined;
  if (chance === undefined || !(value > 2 * chance)) return undefined;
  const level = loss === 'softmaxCrossEntropy' ? `ln ${classes} = ${chance.toFixed(2)} for ${classes} classes` : `ln 2 = ${chance.toFixed(2)}`;
  return `the loss (${value.toPrecision(3)}) is far above chance level (${level}): training has diverged; the learning rate (${learningRate.toPrecision(3)}) is probably too high for ${optimizer}, lower it (e.g. by 10x)`;
}
