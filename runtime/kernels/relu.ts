/**
 * Relu on wasm, on every thread (everyThread.ts): simd/act.c's `relu`, max(x, 0) as the CPU
 * backend computes it (NaN stays, -0 becomes 0); the stock kernel otherwise.
 */
import { Relu } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { elementwise, oursFor, type Choice } from './everyThread';
import { stockKernel } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

/** Tests force our kernel on one thread too. */
export const tuning = { ours: 'threads' as Choice };

function relu(args: { inputs: { x: TensorInfo }; backend: WasmBackend }): TensorInfo {
  const { inputs, backend } = args;
  if (!oursFor(backend, tuning.ours, [inputs.x])) return stockKernel(Relu)(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
  return elementwise(backend, 'relu', [inputs.x], (x) => Math.max(x, 0));
}

export const reluConfig: KernelConfig = { kernelName: Relu, backendName: 'wasm', kernelFunc: relu as unknown as KernelFunc };
