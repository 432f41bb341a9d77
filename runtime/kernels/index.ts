/**
 * Training kernels for tfjs's WASM backend. tfjs-backend-wasm 4.22 cannot train a
 * convolutional network: it lacks Conv2DBackpropFilter and both depthwise backprops, its
 * MaxPoolGrad is wrong for windows of non-positive values, and its transposed BatchMatMul
 * (used by every matMul gradient) is ~10x slower than its plain one. We also replace
 * tfjs-core's Tile gradient, whose cost is quadratic in the number of repetitions.
 *
 * Each kernel here is compared with the CPU backend in test/unit/runtime/kernels/.
 */
import { getGradient, getKernel, registerGradient, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { avgPoolGradConfig } from './avgPoolGrad';
import { batchMatMulConfig } from './batchMatMul';
import { batchNormGradConfig, batchNormGradPartConfig, rememberStockBatchNormGrad } from './batchNormGrad';
import { batchNormTrainConfig, batchNormTrainGradConfig, batchNormTrainGradient } from './batchNormTrain';
import { conv2DBackpropFilterConfig } from './conv2DBackpropFilter';
import { conv2DBackpropInputConfig } from './conv2DBackpropInput';
import { conv2DConfig, fusedConv2DConfig } from './conv2DCropped';
import { dropoutConfig, dropoutGradient } from './dropout';
import { depthwiseConv2dNativeBackpropFilterConfig } from './depthwiseConv2dNativeBackpropFilter';
import { depthwiseConv2dNativeBackpropInputConfig } from './depthwiseConv2dNativeBackpropInput';
import { geluConfig, geluGradConfig, geluGradient } from './gelu';
import { identityConfig } from './identity';
import { layerNormConfig, layerNormGradConfig, layerNormGradient } from './layerNorm';
import { maxPoolGradConfig } from './maxPoolGrad';
import { meanConfig, sumConfig } from './reduceLeading';
import { tileConfig } from './tile';
import { tileGradConfig } from './tileGrad';
import { installUnusedInputGradientSkip } from './unusedInputGradient';
import { rememberStock } from './wasmBackend';

/** Our kernels, in registration order. */
export const wasmTrainingKernels: readonly KernelConfig[] = [
  conv2DConfig,
  fusedConv2DConfig,
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  maxPoolGradConfig,
  avgPoolGradConfig,
  batchMatMulConfig,
  tileConfig,
  batchNormGradPartConfig,
  batchNormTrainConfig,
  batchNormTrainGradConfig,
  dropoutConfig,
  layerNormConfig,
  layerNormGradConfig,
  geluConfig,
  geluGradConfig,
  sumConfig,
  meanConfig,
  identityConfig,
];

/**
 * Registers our training kernels for backend 'wasm', replacing stock ones of the same name.
 * Idempotent. Call it after importing '@tensorflow/tfjs-backend-wasm' (before or after
 * `setBackend('wasm')`): a replaced kernel keeps the stock one's setup so that our kernels
 * can still delegate to it.
 */
export function registerWasmTrainingKernels(): void {
  for (const config of wasmTrainingKernels) {
    const current = getKernel(config.kernelName, 'wasm');
    if (current?.kernelFunc === config.kernelFunc) continue;
    const stock = rememberStock(config.kernelName);
    if (current !== undefined) unregisterKernel(config.kernelName, 'wasm');
    registerKernel(stock?.setupFunc === undefined ? config : { ...config, setupFunc: stock.setupFunc });
  }
  // Not a kernel but a gradient (for every backend): tfjs-core's Tile gradient is quadratic.
  if (getGradient(tileGradConfig.kernelName)?.gradFunc !== tileGradConfig.gradFunc) registerGradient(tileGradConfig);
  // FusedBatchNorm's gradient: one pass per derivative on wasm, tfjs-core's elsewhere.
  rememberStockBatchNormGrad();
  if (getGradient(batchNormGradConfig.kernelName)?.gradFunc !== batchNormGradConfig.gradFunc) registerGradient(batchNormGradConfig);
  // Our fused training batch norm (runtime/layers/BatchNormalization.ts uses it on wasm).
  if (getGradient(batchNormTrainGradient.kernelName)?.gradFunc !== batchNormTrainGradient.gradFunc) registerGradient(batchNormTrainGradient);
  if (getGradient(layerNormGradient.kernelName)?.gradFunc !== layerNormGradient.gradFunc) registerGradient(layerNormGradient);
  if (getGradient(geluGradient.kernelName)?.gradFunc !== geluGradient.gradFunc) registerGradient(geluGradient);
  if (getGradient(dropoutGradient.kernelName)?.gradFunc !== dropoutGradient.gradFunc) registerGradient(dropoutGradient);
  // A fused conv's gradient computes dx eagerly even for the data batch: let our kernel skip it.
  installUnusedInputGradientSkip();
}
