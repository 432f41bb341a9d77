/**
 * Training kernels for tfjs's WASM backend. tfjs-backend-wasm 4.22 cannot train a
 * convolutional network: it lacks Conv2DBackpropFilter and both depthwise backprops, its
 * MaxPoolGrad is wrong for windows of non-positive values, and its transposed BatchMatMul
 * (used by every matMul gradient) is ~10x slower than its plain one. We also replace
 * tfjs-core's Tile gradient, whose cost is quadratic in the number of repetitions.
 *
 * Each kernel here is compared with the CPU backend in test/unit/runtime/kernels/.
 */
import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { activationGradConfig, reluGradient, sigmoidGradient, tanhGradient } from './activationGrad';
import { addConfig } from './add';
import { addReluConfig, addReluGradient } from './addRelu';
import { attentionConfig, attentionGradConfig, attentionGradient } from './attention';
import { avgPoolConfig } from './avgPool';
import { avgPoolGradConfig } from './avgPoolGrad';
import { batchMatMulConfig, fusedMatMulConfig } from './batchMatMul';
import { batchNormGradConfig, batchNormGradPartConfig } from './batchNormGrad';
import { batchNormReluTrainConfig, batchNormReluTrainGradient, batchNormTrainConfig, batchNormTrainGradConfig, batchNormTrainGradient, movingStatsConfig } from './batchNormTrain';
import { castConfig } from './cast';
import { conv2DBackpropFilterConfig } from './conv2DBackpropFilter';
import { conv2DBackpropInputConfig } from './conv2DBackpropInput';
import { conv2DConfig, fusedConv2DConfig } from './conv2DCropped';
import { dropoutConfig, dropoutGradient } from './dropout';
import { depthwiseConv2dNativeBackpropFilterConfig } from './depthwiseConv2dNativeBackpropFilter';
import { depthwiseConv2dNativeBackpropInputConfig } from './depthwiseConv2dNativeBackpropInput';
import { geluConfig, geluGradient, geluTrainConfig } from './gelu';
import { replaceGradient } from './gradients';
import { identityConfig } from './identity';
import { layerNormConfig, layerNormGradConfig, layerNormGradient } from './layerNorm';
import { maxPoolConfig } from './maxPool';
import { maxPoolGradConfig } from './maxPoolGrad';
import { meanConfig, meanGradient, sumConfig } from './reduceLeading';
import { optimizerStepConfig } from './optimizerStep';
import { reluConfig } from './relu';
import { installSharedSavedTensors } from './savedTensors';
import { sigmoidConfig } from './sigmoid';
import { sliceConfig, splitVConfig } from './slice';
import { softmaxGradConfig, softmaxGradient } from './softmax';
import { softmaxCrossEntropyConfig, softmaxCrossEntropyGradConfig, softmaxCrossEntropyGradient } from './softmaxCrossEntropy';
import { tileConfig } from './tile';
import { transposeConfig } from './transpose';
import { tileGradConfig } from './tileGrad';
import { installUnusedInputGradientSkip } from './unusedInputGradient';
import { installUnusedOutputGradients } from './unusedOutputGradients';
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
  maxPoolConfig,
  avgPoolConfig,
  avgPoolGradConfig,
  batchMatMulConfig,
  fusedMatMulConfig,
  tileConfig,
  batchNormGradPartConfig,
  batchNormTrainConfig,
  batchNormReluTrainConfig,
  batchNormTrainGradConfig,
  movingStatsConfig,
  optimizerStepConfig,
  attentionConfig,
  attentionGradConfig,
  dropoutConfig,
  layerNormConfig,
  layerNormGradConfig,
  geluConfig,
  geluTrainConfig,
  softmaxGradConfig,
  softmaxCrossEntropyConfig,
  softmaxCrossEntropyGradConfig,
  activationGradConfig,
  sigmoidConfig,
  reluConfig,
  addConfig,
  addReluConfig,
  sliceConfig,
  splitVConfig,
  transposeConfig,
  sumConfig,
  meanConfig,
  identityConfig,
  castConfig,
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
  // Gradients (tfjs-core's registry serves every backend; those that only help on wasm
  // hand the others the one they replaced): tfjs-core's Tile gradient is quadratic;
  // FusedBatchNorm's, Softmax's and the activations' are several full-size ops; the rest
  // are our kernels'.
  for (const g of [tileGradConfig, meanGradient, batchNormGradConfig, softmaxGradient, softmaxCrossEntropyGradient, sigmoidGradient, tanhGradient, reluGradient, batchNormTrainGradient, batchNormReluTrainGradient, addReluGradient, layerNormGradient, geluGradient, dropoutGradient, attentionGradient]) replaceGradient(g);
  // A fused conv's gradient computes dx eagerly even for the data batch: let our kernel skip it.
  installUnusedInputGradientSkip();
  installUnusedOutputGradients();
  // Our kernels' statistics and saved maps get null gradients, not zero tensors built in JS.
  // Tensors saved for backprop share memory instead of costing an Identity call each.
  installSharedSavedTensors();
}
