/**
 * The gradient config shared by our normalisation kernels (batchNormTrain.ts, layerNorm.ts):
 * a kernel with inputs x, gamma, beta and outputs [y, statistic, statistic], whose gradient
 * kernel gives [dx, dgamma, dbeta] in one call. That call runs in gradFunc itself rather than
 * in the per-input closures: the tape runs each closure in its own tidy, which would free the
 * other two results.
 */
import { engine } from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';

export function normGradient(
  kernelName: string,
  gradKernel: string,
  /** The gradient kernel's inputs from the output gradients and [x, gamma, statistic, statistic]. */
  gradInputs: (dys: (Tensor | null)[], saved: Tensor[]) => Record<string, Tensor>,
  gradAttrs: (attrs: NamedAttrMap) => NamedAttrMap = () => ({}),
  /** Which outputs the gradient reads (saved after x and gamma): the statistics, or all three. */
  outputsToSave: boolean[] = [false, true, true],
): GradConfig {
  return {
    kernelName,
    inputsToSave: ['x', 'gamma'],
    outputsToSave,
    gradFunc: (dys: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
      const [dx, dgamma, dbeta] = engine().runKernel(gradKernel, gradInputs(dys as (Tensor | null)[], saved), gradAttrs(attrs)) as unknown as Tensor[];
      return { x: () => dx!, gamma: () => dgamma!, beta: () => dbeta! };
    },
  };
}
