/** The optimizers a run can use, built from the config's plain data. */
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from '../../contracts/index.js';
import { OptimizerStep, optimizerStepOp } from '../kernels/optimizerStep.js';

/** What tfjs's optimizers take in applyGradients. */
type VariableGradients = Parameters<tf.SGDOptimizer['applyGradients']>[0] | Parameters<tf.MomentumOptimizer['applyGradients']>[0];

/** Variables and their gradients, as tfjs hands them to applyGradients (null gradients dropped). */
function named(variableGradients: VariableGradients): { index: number; variable: tf.Variable; gradient: tf.Tensor }[] {
  const items: (readonly [string, tf.Tensor | null | undefined])[] = Array.isArray(variableGradients) ? variableGradients.map((v) => [v.name, v.tensor] as const) : Object.entries(variableGradients);
  const registered = tf.engine().registeredVariables;
  return items.flatMap(([name, gradient], index) => (gradient == null ? [] : [{ index, variable: registered[name]!, gradient }]));
}

/** Whether the one-kernel step applies: our kernel on the active wasm backend, float32 throughout. */
const fused = (items: { variable: tf.Variable; gradient: tf.Tensor }[]) =>
  items.length > 0 &&
  tf.getBackend() === 'wasm' && tf.getKernel(OptimizerStep, 'wasm') !== undefined && items.every((it) => it.variable.dtype === 'float32' && it.gradient.dtype === 'float32');

/** tfjs's SGD, with the whole step as one kernel on wasm (same arithmetic). */
class SGD extends tf.SGDOptimizer {
  override applyGradients(variableGradients: Parameters<tf.SGDOptimizer['applyGradients']>[0]): void {
    const items = named(variableGradients);
    if (!fused(items)) return super.applyGradients(variableGradients);
    tf.tidy(() => {
      const next = optimizerStepOp(items.map((it) => it.variable), items.map((it) => it.gradient), null, this.learningRate, null);
      items.forEach((it, i) => it.variable.assign(next[i]!));
    });
    this.incrementIterations();
  }
}

/** tfjs's (non-Nesterov) momentum, with the whole step as one kernel on wasm (same arithmetic and state). */
class Momentum extends tf.MomentumOptimizer {
  constructor(
    learningRate: number,
    private readonly momentumValue: number,
  ) {
    super(learningRate, momentumValue);
  }

  override applyGradients(variableGradients: Parameters<tf.MomentumOptimizer['applyGradients']>[0]): void {
    const items = named(variableGradients);
    if (!fused(items)) return super.applyGradients(variableGradients);
    // tfjs's own accumulator slots (by position in the list), so that its getWeights/setWeights still apply.
    const slots = (this as unknown as { accumulations: { originalName: string; variable: tf.Variable }[] }).accumulations;
    for (const it of items) {
      slots[it.index] ??= { originalName: `${it.variable.name}/momentum`, variable: tf.tidy(() => tf.zerosLike(it.variable).variable(false)) };
    }
    tf.tidy(() => {
      const accumulators = items.map((it) => slots[it.index]!.variable);
      const next = optimizerStepOp(items.map((it) => it.variable), items.map((it) => it.gradient), accumulators, this.learningRate, this.momentumValue);
      items.forEach((it, i) => {
        accumulators[i]!.assign(next[items.length + i]!);
        it.variable.assign(next[i]!);
      });
    });
    this.incrementIterations();
  }
}

export function makeOptimizer(c: OptimizerConfig): tf.Optimizer {
  switch (c.type) {
    case 'sgd':
      return new SGD(c.learningRate);
    case 'momentum':
      return new Momentum(c.learningRate, c.momentum ?? 0.9);
    case 'adam':
    case 'adamw':
      return tf.train.adam(c.learningRate, 0.9, 0.999, 1e-8);
    case 'rmsprop':
      return tf.train.rmsprop(c.learningRate, 0.99, 0, 1e-8);
  }
}

/**
 * How weight decay applies: AdamW decays the weights directly (decoupled, Loshchilov & Hutter);
 * the others add `weightDecay * w` to the gradient (L2), as PyTorch's `weight_decay` does.
 */
export const decoupledDecay = (c: OptimizerConfig): boolean => c.type === 'adamw';
export const defaultWeightDecay = (c: OptimizerConfig): number => c.weightDecay ?? (c.type === 'adamw' ? 0.01 : 0);
