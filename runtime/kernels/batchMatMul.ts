/**
 * BatchMatMul for the wasm backend that never takes the stock kernel's transposed paths.
 * Those run 10x slower than its plain XNNPACK path (measured: 1.4-3 GFLOP/s against
 * 18-46), and every matMul gradient uses them (dA = dY·Bᵀ, dB = Aᵀ·dY), so Dense layers
 * and attention trained slowly. We transpose the operand in JS and multiply plainly.
 */
import { BatchMatMul, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { transpose2d } from './transpose2d';
import { alloc, free, heapF32, stockKernel } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

/** A float32 copy of `t` with its last two axes swapped (per batch matrix). */
function transposeLastTwo(backend: WasmBackend, t: TensorInfo): TensorInfo {
  const rank = t.shape.length;
  const rows = t.shape[rank - 2]!;
  const cols = t.shape[rank - 1]!;
  const batch = util.sizeFromShape(t.shape.slice(0, -2));
  const out = alloc(backend, [...t.shape.slice(0, -2), cols, rows]);
  const src = heapF32(backend, t);
  const dst = heapF32(backend, out);
  for (let b = 0; b < batch; b++) transpose2d(src, b * rows * cols, rows, cols, dst, b * rows * cols);
  return out;
}

function batchMatMul(args: {
  inputs: { a: TensorInfo; b: TensorInfo };
  backend: WasmBackend;
  attrs: { transposeA: boolean; transposeB: boolean };
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const stock = stockKernel('BatchMatMul');
  if ((!attrs.transposeA && !attrs.transposeB) || inputs.a.dtype !== 'float32' || inputs.b.dtype !== 'float32') {
    return stock({ inputs, backend, attrs: { ...attrs } }) as TensorInfo;
  }
  const a = attrs.transposeA ? transposeLastTwo(backend, inputs.a) : inputs.a;
  const b = attrs.transposeB ? transposeLastTwo(backend, inputs.b) : inputs.b;
  const out = stock({ inputs: { a, b }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
  if (a !== inputs.a) free(backend, a);
  if (b !== inputs.b) free(backend, b);
  return out;
}

/** BatchMatMul for backend 'wasm' (replaces the stock kernel; see module note). */
export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMul as unknown as KernelFunc,
};
