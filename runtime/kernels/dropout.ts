/**
 * Dropout on wasm as one kernel: the output in one pass, from a counter-based hash.
 *
 * `tf.dropout` draws its uniforms with seedrandom's alea in JS and then runs Add, Floor,
 * RealDiv and Multiply: 26 ms for a ViT-tiny attention map ([128, 4, 65, 65]) per call,
 * the largest single cost outside matrix products in a ViT step. Here each pair of elements
 * takes one 32-bit hash (murmur3's finaliser of seed + counter): element i is kept when its
 * 16-bit half is below round(keep · 65536), and kept values are scaled by
 * 65536 / threshold, so the mask's mean is exactly 1 (the keep probability is `1 - rate`
 * to within 2^-16). The gradient is dy · mask, the same kernel run on dy.
 */
import { engine, util } from '@tensorflow/tfjs-core';
import type { GradConfig, KernelConfig, KernelFunc, NamedAttrMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import { runSliced, simdKernels } from './simdModule';
import { alloc, heapF32, offsetOf } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

export const Dropout = 'LayerlabDropout';

/** murmur3's 32-bit finaliser: a well-mixed hash of `h`. */
export function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The 16-bit threshold and the scale of kept elements for dropout `rate` (see module note). */
export function dropoutThreshold(rate: number): { threshold: number; scale: number } {
  const threshold = Math.max(1, Math.min(65536, Math.round((1 - rate) * 65536)));
  // As a float32, as simd/norm.c multiplies by it: same results in both.
  return { threshold, scale: Math.fround(65536 / threshold) };
}

function dropout(args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: { rate: number; seed: number } }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const n = util.sizeFromShape(inputs.x.shape);
  const y = alloc(backend, [...inputs.x.shape]);
  const { threshold, scale } = dropoutThreshold(attrs.rate);
  const base = fmix32(attrs.seed >>> 0);
  if (simdKernels(backend)) {
    // The same hash and mask, eight elements per step (simd/norm.c), split across the threads:
    // a slice from element i0 (even) starts its pair counter at i0 / 2.
    const [px, py] = [offsetOf(backend, inputs.x), offsetOf(backend, y)];
    runSliced(backend, 'dropout', n, 8, (i0, i1) => [px + 4 * i0, py + 4 * i0, i1 - i0, (base + Math.imul(i0 >>> 1, 0x9e3779b9)) >>> 0, threshold, scale]);
    return y;
  }
  const x = heapF32(backend, inputs.x);
  const out = heapF32(backend, y);
  for (let i = 0; i < n; i += 2) {
    let h = (base + Math.imul(i >>> 1, 0x9e3779b9)) | 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h ^= h >>> 16;
    // Branch-free (a kept/dropped branch mispredicts at random: 2x slower): 1 when below.
    const m0 = scale * (((h & 0xffff) - threshold) >>> 31);
    out[i] = x[i]! * m0;
    if (i + 1 < n) {
      const m1 = scale * (((h >>> 16) - threshold) >>> 31);
      out[i + 1] = x[i + 1]! * m1;
    }
  }
  return y;
}

export const dropoutConfig: KernelConfig = { kernelName: Dropout, backendName: 'wasm', kernelFunc: dropout as unknown as KernelFunc };

/**
 * dx = dy · mask: the same kernel on dy with the same seed draws the same mask, so no mask
 * is stored between the passes (an attention map's mask is 8.6 MB at ViT-tiny's batch 128,
 * written in the forward pass and read back from memory in the backward one).
 */
export const dropoutGradient: GradConfig = {
  kernelName: Dropout,
  gradFunc: (dy: Tensor | Tensor[], _saved: Tensor[], attrs: NamedAttrMap) => ({
    x: () => engine().runKernel(Dropout, { x: dy as Tensor }, attrs) as Tensor,
  }),
};

/** Dropout of `x` (wasm only; see runtime/layers/dropout.ts for the op every backend can use). */
export function dropoutKernelOp(x: Tensor, rate: number, seed: number): Tensor {
  return engine().runKernel(Dropout, { x }, { rate, seed } as unknown as NamedAttrMap) as Tensor;
}
