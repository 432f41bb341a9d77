/**
 * Identity for the wasm backend without a copy: the output shares the input's memory, with
 * the reference count raised (as the stock Reshape does; tensors are immutable). The stock
 * Identity copies, and gradients call it often (290 times, 22 ms of a ViT-tiny step).
 */
import { Identity } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { stockKernel } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

/** Benchmarks turn sharing off to compare. */
export const tuning = { share: true };

/** x itself as a new tensor on the same memory, or undefined where sharing does not apply (strings, or turned off). */
export function shared(backend: WasmBackend, x: TensorInfo): TensorInfo | undefined {
  if (x.dtype === 'string' || !tuning.share) return undefined;
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

function identity(args: { inputs: { x: TensorInfo }; backend: WasmBackend }): TensorInfo {
  return shared(args.backend, args.inputs.x) ?? (stockKernel(Identity)(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo);
}

/** Identity for backend 'wasm' (shares memory; see module note). */
export const identityConfig: KernelConfig = { kernelName: Identity, backendName: 'wasm', kernelFunc: identity as unknown as KernelFunc };
