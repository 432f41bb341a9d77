/**
 * Sigmoid on wasm, on every thread (everyThread.ts): LeNet's first activation,
 * [256, 28, 28, 6], is ~1 ms of a step on XNNPACK's one thread. simd/act.c's `sigmoid`
 * (a degree-5 exponential by Estrin's scheme, one division) is 15-17% faster than XNNPACK's
 * on one thread too (0.95 → 0.80 ms there), so it runs always; the stock kernel without our
 * SIMD module.
 */
import { Sigmoid } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { elementwise, oursFor, type Choice } from './everyThread';
import { stockKernel } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

/** Ours wherever our SIMD module is built; tests and benchmarks turn it off to compare. */
export const tuning = { ours: 'always' as Choice };

function sigmoid(args: { inputs: { x: TensorInfo }; backend: WasmBackend }): TensorInfo {
  const { inputs, backend } = args;
  if (!oursFor(backend, tuning.ours, [inputs.x])) return stockKernel(Sigmoid)(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
  return elementwise(backend, 'sigmoid', [inputs.x], (x) => 1 / (1 + Math.exp(-x)));
}

export const sigmoidConfig: KernelConfig = { kernelName: Sigmoid, backendName: 'wasm', kernelFunc: sigmoid as unknown as KernelFunc };
