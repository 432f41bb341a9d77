/**
 * Cast for the wasm backend:
 * - to the dtype a tensor already has, no copy (as Identity, identity.ts). tfjs-core's avgPool
 *   op casts its float32 result to float32, and the stock kernel copies it: 0.1-1.3 ms a LeNet
 *   or ResNet-18 step;
 * - to bool, x ≠ 0 (NaN is true), as the CPU backend computes. The stock kernel stores each
 *   value into a byte, so -0.5 and 0.3 became false and 256 wrapped to 0.
 * Other casts go to the stock kernel.
 */
import { Cast } from '@tensorflow/tfjs-core';
import type { DataType, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { shared } from './identity';
import { stockKernel } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

function cast(args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: { dtype: DataType } }): TensorInfo {
  const { inputs: { x }, backend, attrs: { dtype } } = args;
  const same = x.dtype === dtype ? shared(backend, x) : undefined;
  if (same) return same;
  if (dtype !== 'bool' || x.dtype === 'string') return stockKernel(Cast)(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
  const out = backend.makeOutput([...x.shape], 'bool');
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  for (let i = 0; i < src.length; i++) dst[i] = src[i] !== 0 ? 1 : 0;
  return out;
}

/** Cast for backend 'wasm' (same-dtype casts share memory, casts to bool test ≠ 0; see module note). */
export const castConfig: KernelConfig = { kernelName: Cast, backendName: 'wasm', kernelFunc: cast as unknown as KernelFunc };
