/**
 * One-pass kernels that XNNPACK runs on the one thread we give it (see
 * runtime/wasmThreads.ts), run instead by our SIMD module on every thread: Sigmoid, Relu and
 * same-shape Add (sigmoid.ts, relu.ts, add.ts), MaxPool and AvgPool where its windows tile the
 * input (maxPool.ts, avgPool.ts). On one thread XNNPACK's stay, as they are as fast or faster
 * there, except the sigmoid (faster there too) and the pools over four channels or more
 * ({@link poolChoice}).
 */
import { util } from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { runSliced, simdKernels, simdPool } from './simdModule';
import { alloc, heapF32, offsetOf } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

/** When ours runs: with two or more threads (the product), or always / never (tests, benchmarks). */
export type Choice = 'threads' | 'always' | 'never';

/** Whether ours runs under `choice`: our module built and, for 'threads', two or more threads. */
export function oursWanted(backend: WasmBackend, choice: Choice): boolean {
  return (choice === 'always' || (choice === 'threads' && simdPool(backend).size > 1)) && simdKernels(backend) !== null;
}

/**
 * The pools' choice for an NHWC input of `shape`: from four channels ours covers a pixel by
 * whole vectors and beats XNNPACK on one thread too ('threads' becomes 'always'); below
 * that it goes a channel at a time and runs only where there are threads to split it.
 */
export function poolChoice(choice: Choice, shape: readonly number[]): Choice {
  return choice === 'threads' && shape.length === 4 && shape[3]! >= 4 ? 'always' : choice;
}

/** Whether our elementwise kernel runs for float32 `inputs` under `choice` (four elements at least). */
export function oursFor(backend: WasmBackend, choice: Choice, inputs: readonly TensorInfo[]): boolean {
  return oursWanted(backend, choice) && inputs.every((t) => t.dtype === 'float32') && util.sizeFromShape(inputs[0]!.shape) >= 4;
}

/**
 * A new tensor shaped as inputs[0] from SIMD export `fn` (its arguments: the inputs' offsets,
 * the output's, the count, a multiple of 4, then `extra`) split across the threads; the last
 * n % 4 elements by `tail` in JS, and all of them without our SIMD module.
 */
export function elementwise(backend: WasmBackend, fn: string, inputs: readonly TensorInfo[], tail: (...values: number[]) => number, extra: readonly number[] = []): TensorInfo {
  const n = util.sizeFromShape(inputs[0]!.shape);
  const out = alloc(backend, [...inputs[0]!.shape]);
  const done = simdKernels(backend) ? n - (n % 4) : 0;
  const at = [...inputs, out].map((t) => offsetOf(backend, t));
  if (done > 0) runSliced(backend, fn, done, 4, (i0, i1) => [...at.map((p) => p + 4 * i0), i1 - i0, ...extra]);
  const ins = inputs.map((t) => heapF32(backend, t));
  const dst = heapF32(backend, out);
  for (let i = done; i < n; i++) dst[i] = Math.fround(tail(...ins.map((a) => a[i]!)));
  return out;
}
