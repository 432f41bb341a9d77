/**
 * Thin, typed access to the internals of tfjs-backend-wasm that our kernels need: tensor
 * memory on the WASM heap and the backend's own (XNNPACK) BatchMatMul.
 *
 * Views returned by {@link heapF32} alias the WASM heap. Any allocation on the heap
 * (`makeOutput`, another kernel) may grow it and detach earlier views, so a kernel takes
 * its views only after its last allocation and never keeps them across calls.
 */
import { getKernel, util } from '@tensorflow/tfjs-core';
import type { DataType, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** The wasm backend as our kernels see it. */
export type WasmBackend = BackendWasm;

/** The backend's heap bytes and t's byte offset and element count there. */
function heapOf(backend: WasmBackend, t: TensorInfo): [ArrayBuffer, number, number] {
  const buffer = (backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer as ArrayBuffer;
  return [buffer, offsetOf(backend, t), util.sizeFromShape(t.shape)];
}

/** A float32 view of a tensor's memory on the WASM heap (no copy; see module note). */
export function heapF32(backend: WasmBackend, t: TensorInfo): Float32Array {
  return new Float32Array(...heapOf(backend, t));
}

/** An int32 view of a tensor's memory on the WASM heap (as {@link heapF32}). */
export function heapI32(backend: WasmBackend, t: TensorInfo): Int32Array {
  return new Int32Array(...heapOf(backend, t));
}

/** Byte offset of a tensor's memory on the WASM heap (for our SIMD kernels, simd/*.c). */
export function offsetOf(backend: WasmBackend, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId)!.memoryOffset;
}

/** Allocates an uninitialised tensor on the WASM heap. */
export function alloc(backend: WasmBackend, shape: number[], dtype: DataType = 'float32'): TensorInfo {
  return backend.makeOutput(shape, dtype);
}

/** Frees a tensor a kernel allocated for itself (intermediates must not outlive the kernel). */
export function free(backend: WasmBackend, t: TensorInfo): void {
  backend.disposeData(t.dataId);
}

const stock = new Map<string, KernelConfig>();

/**
 * Remembers the stock wasm kernel `name` (if any) before we replace it, so that our kernels
 * can still delegate to it. Returns it.
 */
export function rememberStock(name: string): KernelConfig | undefined {
  if (!stock.has(name)) {
    const k = getKernel(name, 'wasm');
    if (k !== undefined) stock.set(name, k);
  }
  return stock.get(name);
}

/** The stock tfjs-backend-wasm kernel `name`, even after we replaced it. */
export function stockKernel(name: string): KernelFunc {
  const k = stock.get(name) ?? getKernel(name, 'wasm');
  if (k === undefined) throw new Error(`The wasm backend has no ${name} kernel; load @tensorflow/tfjs-backend-wasm first.`);
  return k.kernelFunc;
}

/**
 * `a @ b` (rank 3, no transposes: those are slow on wasm) through the backend's stock
 * BatchMatMul, which is XNNPACK and far faster than anything we could write in JS.
 */
export function batchMatMul(backend: WasmBackend, a: TensorInfo, b: TensorInfo): TensorInfo {
  const attrs: NamedAttrMap = { transposeA: false, transposeB: false };
  return stockKernel('BatchMatMul')({ inputs: { a, b }, backend, attrs }) as TensorInfo;
}
