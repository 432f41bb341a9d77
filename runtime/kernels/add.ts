/**
 * Add on wasm for two float32 tensors of one shape (residual connections, and the tape
 * adding up the gradients of a tensor used twice), on every thread (everyThread.ts):
 * simd/act.c's `add`. Broadcasting adds and other dtypes go to the stock kernel.
 */
import { Add, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { elementwise, oursFor, type Choice } from './everyThread';
import { stockKernel } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

/** Tests force our kernel on one thread too. */
export const tuning = { ours: 'threads' as Choice };

function add(args: { inputs: { a: TensorInfo; b: TensorInfo }; backend: WasmBackend }): TensorInfo {
  const { inputs, backend } = args;
  const { a, b } = inputs;
  if (!util.arraysEqual(a.shape, b.shape) || !oursFor(backend, tuning.ours, [a, b])) return stockKernel(Add)(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
  return elementwise(backend, 'add', [a, b], (x, y) => x! + y!);
}

export const addConfig: KernelConfig = { kernelName: Add, backendName: 'wasm', kernelFunc: add as unknown as KernelFunc };
