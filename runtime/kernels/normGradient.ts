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
  /** The gradient kernel's inputs from the output gradients and the saved tensors ([x, gamma, statistic, statistic] by default). */
  gradInputs: (dys: (Tensor | null)[], saved: Tensor[]) => Record<string, Tensor>,
  gradAttrs: (attrs: NamedAttrMap) => NamedAttrMap = () => ({}),
  /** Which outputs the gradient reads (saved after the inputs): the statistics, or all three. */
  outputsToSave: boolean[] = [false, true, true],
  /** Which inputs it reads (saved first, in this order). */
  inputsToSave: string[] = ['x', 'gamma'],
): GradConfig {
  return {
    kernelName,
    inputsToSave,
    outputsToSave,
    gradFunc: (dys: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
      const [dx, dgamma, dbeta] = engine().runKernel(gradKernel, gradInputs(dys as (Tensor | null)[], saved), gradAttrs(attrs)) as unknown as Tensor[];
      return { x: () => dx!, gamma: () => dgamma!, beta: () => dbeta! };
    },
  };
}
