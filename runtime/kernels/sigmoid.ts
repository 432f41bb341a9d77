/**
 * Sigmoid on wasm, on every thread (everyThread.ts): LeNet's first activation,
 * [256, 28, 28, 6], is ~1 ms of a step on XNNPACK's one thread. simd/act.c's `sigmoid` is
 * exp4, then one division; the stock kernel otherwise.
 */
import { Sigmoid } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { elementwise, oursFor, type Choice } from './everyThread';
import { stockKernel } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

/** Tests force our kernel on one thread too. */
export const tuning = { ours: 'threads' as Choice };

function sigmoid(args: { inputs: { x: TensorInfo }; backend: WasmBackend }): TensorInfo {
  const { inputs, backend } = args;
  if (!oursFor(backend, tuning.ours, [inputs.x])) return stockKernel(Sigmoid)(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
  return elementwise(backend, 'sigmoid', [inputs.x], (x) => 1 / (1 + Math.exp(-x)));
}

export const sigmoidConfig: KernelConfig = { kernelName: Sigmoid, backendName: 'wasm', kernelFunc: sigmoid as unknown as KernelFunc };
