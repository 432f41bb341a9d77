/**
 * Sigmoid on wasm, on every thread: XNNPACK's runs on the one thread we give it (see
 * runtime/wasmThreads.ts), and LeNet's first activation, [256, 28, 28, 6], is ~1 ms of a
 * step. With our SIMD module on more than one thread, simd/act.c's `sigmoid` (exp4, then one
 * division) splits the elements across them; otherwise, and for the last n % 4 elements or
 * other dtypes, the stock kernel and JS.
 */
import { Sigmoid, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { runSliced, simdKernels, simdPool } from './simdModule';
import { alloc, heapF32, offsetOf, stockKernel } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

/** Tests force our kernel on one thread too. */
export const tuning = { ours: 'threads' as 'threads' | 'always' | 'never' };

function sigmoid(args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: Record<string, never> }): TensorInfo {
  const { inputs, backend } = args;
  const { x } = inputs;
  const n = util.sizeFromShape(x.shape);
  const wanted = tuning.ours === 'always' || (tuning.ours === 'threads' && simdPool(backend).size > 1);
  if (!wanted || !simdKernels(backend) || x.dtype !== 'float32' || n < 4) return stockKernel(Sigmoid)(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
  const out = alloc(backend, [...x.shape]);
  const done = n - (n % 4);
  const [px, py] = [offsetOf(backend, x), offsetOf(backend, out)];
  runSliced(backend, 'sigmoid', done, 4, (i0, i1) => [px + 4 * i0, py + 4 * i0, i1 - i0]);
  const xs = heapF32(backend, x);
  const ys = heapF32(backend, out);
  for (let i = done; i < n; i++) ys[i] = Math.fround(1 / (1 + Math.exp(-xs[i]!)));
  return out;
}

export const sigmoidConfig: KernelConfig = { kernelName: Sigmoid, backendName: 'wasm', kernelFunc: sigmoid as unknown as KernelFunc };
