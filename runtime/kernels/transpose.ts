/**
 * Transpose for the wasm backend where a permutation only swaps two adjacent middle axes of
 * [A, B, C, D] and keeps the last (rows of D floats, D a multiple of 4, moved whole by
 * simd/transpose.c): attention's head split and merge, 24 calls and ~5.6 ms of a ViT-tiny
 * step in the stock kernel's per-element loop. Every other permutation goes to the stock kernel.
 */
import { Transpose, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernels } from './simdModule';
import { alloc, offsetOf, stockKernel } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

/** [A, B, C, D] when `perm` swaps axes i and i + 1 (neither the last) of `shape`: the axes before, the two swapped, the rest. */
export function middleSwap(shape: readonly number[], perm: readonly number[]): [number, number, number, number] | undefined {
  const rank = shape.length;
  const i = perm.findIndex((p, k) => p !== k);
  if (i < 0 || i + 1 >= rank - 1 || perm[i] !== i + 1 || perm[i + 1] !== i || perm.some((p, k) => k !== i && k !== i + 1 && p !== k)) return undefined;
  const A = util.sizeFromShape(shape.slice(0, i));
  const D = util.sizeFromShape(shape.slice(i + 2));
  return [A, shape[i]!, shape[i + 1]!, D];
}

function transpose(args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: { perm: number[] } }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const dims = x.dtype === 'float32' || x.dtype === 'int32' ? middleSwap(x.shape, attrs.perm) : undefined;
  const simd = dims && dims[3] % 4 === 0 ? simdKernels(backend) : null;
  if (!simd || !dims) return stockKernel(Transpose)(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
  const out = alloc(backend, attrs.perm.map((p) => x.shape[p]!), x.dtype);
  // Moves bits, so int32 rows go the same way.
  simd.swap_middle_axes(offsetOf(backend, x), offsetOf(backend, out), ...dims);
  return out;
}

/** Transpose for backend 'wasm' (see module note). */
export const transposeConfig: KernelConfig = { kernelName: Transpose, backendName: 'wasm', kernelFunc: transpose as unknown as KernelFunc };
