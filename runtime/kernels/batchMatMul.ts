/**
 * BatchMatMul and _FusedMatMul for the wasm backend. With our SIMD module, every float
 * product runs on simd/bmm.c (one call per batch, transposes read in place, GEMM-packed,
 * 41-57 GFLOP/s on ViT shapes, faster than XNNPACK even on plain Dense shapes). Without it
 * we keep off the stock kernel's transposed paths, which run 10x slower than its plain
 * XNNPACK path (1.4-3 against 18-46 GFLOP/s; every matMul gradient uses them): we transpose
 * the operand first (see {@link transposeLastTwo}) and multiply plainly, and split batched
 * products into single ones (see {@link perMatrix}).
 */
import { _FusedMatMul, BatchMatMul, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernels, simdPool, slice } from './simdModule';
import type { SimdKernels } from './simdModule';
import { transpose2d } from './transpose2d';
import { alloc, free, heapF32, offsetOf, stockKernel } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

/** From this many elements on, transposes go to the stock Transpose; tests move it to run both paths. */
export const tuning = {
  stockTransposeFrom: 1 << 16,
  /** Products smaller than this (multiply-adds) stay on one thread; tests set 0 to split every product. */
  parallelFromMacs: 1 << 18,
};

/**
 * A float32 copy of `t` with its last two axes swapped (per batch matrix). Large tensors go
 * to the stock Transpose (measured 0.2-0.4 ms for 8320x64, a ViT dense layer's input, against
 * ~0.9 ms for our JS loop); small ones stay in JS (no kernel-call overhead).
 */
function transposeLastTwo(backend: WasmBackend, t: TensorInfo): TensorInfo {
  const rank = t.shape.length;
  const rows = t.shape[rank - 2]!;
  const cols = t.shape[rank - 1]!;
  if (util.sizeFromShape(t.shape) >= tuning.stockTransposeFrom) {
    const perm = t.shape.map((_, i) => (i === rank - 2 ? rank - 1 : i === rank - 1 ? rank - 2 : i));
    return stockKernel('Transpose')({ inputs: { x: t }, backend, attrs: { perm } }) as TensorInfo;
  }
  const batch = util.sizeFromShape(t.shape.slice(0, -2));
  const out = alloc(backend, [...t.shape.slice(0, -2), cols, rows]);
  const src = heapF32(backend, t);
  const dst = heapF32(backend, out);
  for (let b = 0; b < batch; b++) transpose2d(src, b * rows * cols, rows, cols, dst, b * rows * cols);
  return out;
}

/**
 * `a @ b` for rank >= 3 float32 operands with more than one batch matrix, as one stock call
 * per matrix. The stock kernel sends batched products to a naive loop (~2.8 GFLOP/s on
 * ViT attention shapes) and only single products to XNNPACK; per-matrix calls, each on
 * fresh copies, were 1.5x faster even at 65x65x16. Fresh tensors matter: the stock kernel
 * caches XNNPACK operators (with packed weights) by tensor id.
 */
function perMatrix(backend: WasmBackend, a: TensorInfo, b: TensorInfo): TensorInfo {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const [m, k] = [a.shape[ra - 2]!, a.shape[ra - 1]!];
  const n = b.shape[rb - 1]!;
  const batchA = util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = util.sizeFromShape(b.shape.slice(0, -2));
  const batch = Math.max(batchA, batchB);
  const outShape = [...(batchA >= batchB ? a.shape : b.shape).slice(0, -2), m, n];
  const out = alloc(backend, outShape);
  const stock = stockKernel('BatchMatMul');
  for (let i = 0; i < batch; i++) {
    const ai = alloc(backend, [1, m, k]);
    const bi = alloc(backend, [1, k, n]);
    const ia = batchA === 1 ? 0 : i;
    const ib = batchB === 1 ? 0 : i;
    heapF32(backend, ai).set(heapF32(backend, a).subarray(ia * m * k, (ia + 1) * m * k));
    heapF32(backend, bi).set(heapF32(backend, b).subarray(ib * k * n, (ib + 1) * k * n));
    const r = stock({ inputs: { a: ai, b: bi }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
    heapF32(backend, out).set(heapF32(backend, r), i * m * n);
    free(backend, r);
    free(backend, ai);
    free(backend, bi);
  }
  return out;
}

/**
 * Every product of a batch in one call of our SIMD kernel (simd/bmm.c), transposes included
 * (read through strides, or packed per matrix), plus an optional per-column bias: no
 * transpose pass, no per-matrix operator.
 */
function viaSimd(simd: SimdKernels, backend: WasmBackend, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, bias?: TensorInfo): TensorInfo {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const k = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  const batchA = util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = util.sizeFromShape(b.shape.slice(0, -2));
  const batch = Math.max(batchA, batchB);
  const out = alloc(backend, [...(batchA >= batchB ? a.shape : b.shape).slice(0, -2), m, n]);
  // Element strides, as simd/bmm.c takes them.
  const [aBatch, aRow, aCol, bBatch] = [batchA === 1 ? 0 : m * k, transposeA ? 1 : k, transposeA ? m : 1, batchB === 1 ? 0 : k * n];
  const [pa, pb, pc] = [offsetOf(backend, a), offsetOf(backend, b), offsetOf(backend, out)];
  const pbias = bias ? offsetOf(backend, bias) : 0;
  // Split the batch across threads, or a single product's rows; small products stay on one.
  const pool = simdPool(backend);
  const parts = batch * m * k * n < tuning.parallelFromMacs ? 1 : batch >= pool.size || batch === 1 ? pool.size : 1;
  const scratchFloats = simd.bmm_scratch_floats(m, k, n);
  const scratch = alloc(backend, [scratchFloats * parts]);
  const ps = offsetOf(backend, scratch);
  const calls = Array.from({ length: parts }, (_, i) => {
    const s = ps + i * scratchFloats * 4;
    if (batch > 1) {
      const [b0, b1] = slice(batch, parts, i);
      return [pa + b0 * aBatch * 4, pb + b0 * bBatch * 4, pbias, pc + b0 * m * n * 4, s, b1 - b0, m, k, n, aBatch, aRow, aCol, bBatch, transposeB ? 1 : 0];
    }
    const [i0, i1] = slice(m, parts, i, 4);
    return [pa + i0 * aRow * 4, pb, pbias, pc + i0 * n * 4, s, 1, i1 - i0, k, n, aBatch, aRow, aCol, bBatch, transposeB ? 1 : 0];
  });
  if (parts === 1) simd.bmm(...(calls[0] as Parameters<SimdKernels['bmm']>));
  else pool.run('bmm', calls);
  free(backend, scratch);
  return out;
}

/** Batch sizes that broadcast the way {@link perMatrix} handles: equal, or one side 1. */
function simpleBatch(a: TensorInfo, b: TensorInfo): boolean {
  const sa = a.shape.slice(0, -2);
  const sb = b.shape.slice(0, -2);
  const na = util.sizeFromShape(sa);
  const nb = util.sizeFromShape(sb);
  if (na === 1 || nb === 1) return true;
  return sa.length === sb.length && sa.every((d, i) => d === sb[i]);
}

function batchMatMul(args: {
  inputs: { a: TensorInfo; b: TensorInfo };
  backend: WasmBackend;
  attrs: { transposeA: boolean; transposeB: boolean };
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const stock = stockKernel('BatchMatMul');
  const batched = Math.max(util.sizeFromShape(inputs.a.shape.slice(0, -2)), util.sizeFromShape(inputs.b.shape.slice(0, -2))) > 1;
  const plain = !attrs.transposeA && !attrs.transposeB;
  if (inputs.a.dtype !== 'float32' || inputs.b.dtype !== 'float32' || !simpleBatch(inputs.a, inputs.b)) {
    return stock({ inputs, backend, attrs: { ...attrs } }) as TensorInfo;
  }
  // Ours for every float product: one call per batch, transposes read in place, long
  // contractions in cache-sized slices (faster than XNNPACK even on plain Dense shapes).
  const simd = simdKernels(backend);
  if (simd) return viaSimd(simd, backend, inputs.a, inputs.b, attrs.transposeA, attrs.transposeB);
  if (plain && !batched) return stock({ inputs, backend, attrs: { ...attrs } }) as TensorInfo;
  const a = attrs.transposeA ? transposeLastTwo(backend, inputs.a) : inputs.a;
  const b = attrs.transposeB ? transposeLastTwo(backend, inputs.b) : inputs.b;
  const out = batched ? perMatrix(backend, a, b) : (stock({ inputs: { a, b }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo);
  if (a !== inputs.a) free(backend, a);
  if (b !== inputs.b) free(backend, b);
  return out;
}

/** The stock elementwise kernel that applies each fused activation tfjs knows. */
const ACTIVATION_KERNELS: Record<string, string> = { relu: 'Relu', relu6: 'Relu6', elu: 'Elu', sigmoid: 'Sigmoid', leakyrelu: 'LeakyRelu', prelu: 'Prelu' };

/**
 * _FusedMatMul (tfjs-layers' Dense): our product, with a per-column bias as the accumulators'
 * start, then the activation by its stock elementwise kernel. The stock fused kernel adds
 * the bias to the wrong columns when an operand is transposed (tfjs 4.22: [[1,-2],[3,4]] ·
 * Bᵀ + [0.1,-0.2] puts -0.2 on row 2's first column) and takes only rank-1 biases, so
 * only the plain, rank-1 case without our SIMD module goes to it.
 */
function fusedMatMul(args: {
  inputs: { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
  backend: WasmBackend;
  attrs: { transposeA: boolean; transposeB: boolean; activation?: string; leakyreluAlpha?: number };
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { a, b, bias } = inputs;
  const activation = attrs.activation ?? 'linear';
  const n = attrs.transposeB ? b.shape[b.shape.length - 2]! : b.shape[b.shape.length - 1]!;
  const simd = simdKernels(backend);
  const floats = a.dtype === 'float32' && b.dtype === 'float32' && (bias === undefined || bias.dtype === 'float32');
  const plain = !attrs.transposeA && !attrs.transposeB && (bias === undefined || bias.shape.length === 1);
  if (!floats || !simpleBatch(a, b) || (activation !== 'linear' && ACTIVATION_KERNELS[activation] === undefined) || (!simd && plain)) {
    return stockKernel(_FusedMatMul)(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
  }
  const columnBias = bias !== undefined && util.sizeFromShape(bias.shape) === n && bias.shape[bias.shape.length - 1] === n;
  let out = simd
    ? viaSimd(simd, backend, a, b, attrs.transposeA, attrs.transposeB, columnBias ? bias : undefined)
    : batchMatMul({ inputs: { a, b }, backend, attrs: { transposeA: attrs.transposeA, transposeB: attrs.transposeB } });
  const then = (kernel: string, extra: Record<string, TensorInfo>, kernelAttrs: NamedAttrMap = {}) => {
    const next = stockKernel(kernel)({ inputs: { x: out, ...extra }, backend, attrs: kernelAttrs }) as TensorInfo;
    free(backend, out);
    out = next;
  };
  if (bias !== undefined && !(simd && columnBias)) {
    const next = stockKernel('Add')({ inputs: { a: out, b: bias }, backend, attrs: {} }) as TensorInfo;
    free(backend, out);
    out = next;
  }
  if (activation === 'prelu') then('Prelu', { alpha: inputs.preluActivationWeights! });
  else if (activation === 'leakyrelu') then('LeakyRelu', {}, { alpha: attrs.leakyreluAlpha ?? 0.2 });
  else if (activation !== 'linear') then(ACTIVATION_KERNELS[activation]!, {});
  return out;
}

/** BatchMatMul for backend 'wasm' (replaces the stock kernel; see module note). */
export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMul as unknown as KernelFunc,
};

/** _FusedMatMul for backend 'wasm' (our product; see {@link fusedMatMul}). */
export const fusedMatMulConfig: KernelConfig = {
  kernelName: _FusedMatMul,
  backendName: 'wasm',
  kernelFunc: fusedMatMul as unknown as KernelFunc,
};
