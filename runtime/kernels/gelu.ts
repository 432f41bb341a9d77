/**
 * GELU (tfjs-layers' 'gelu': the exact form x·Φ(x), Φ(x) = ½(1 + erf(x/√2))) as one kernel
 * with one gradient on wasm. tfjs-layers computes it as RealDiv, Erf, Add and two Multiplys,
 * and the gradient through Erf adds Square, Neg, Exp and more Multiplys: ~35 ms of a ViT-tiny
 * step. Here: y = x·Φ(x) and dx = dy·(Φ(x) + x·φ(x)), φ(x) = e^(-x²/2)/√(2π), with erf by
 * Abramowitz and Stegun 7.1.26 as tfjs's own Erf kernels compute it; four at a time in
 * simd/gelu.c when our SIMD module is built, in the loops below otherwise and for the tail.
 */
import { engine, util } from '@tensorflow/tfjs-core';
import type { GradConfig, KernelConfig, KernelFunc, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernels, simdPool, slice } from './simdModule';
import { alloc, heapF32, offsetOf } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

export const Gelu = 'LayerlabGelu';
export const GeluGrad = 'LayerlabGeluGrad';

/** Φ(x) with tfjs's erf (Abramowitz and Stegun 7.1.26). */
function cdf(x: number): number {
  const u = x * Math.SQRT1_2;
  const v = Math.abs(u);
  const t = 1 / (1 + 0.3275911 * v);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-v * v);
  return 0.5 * (1 + (u < 0 ? -erf : erf));
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Below this many elements one thread does it all. */
const PARALLEL_FROM = 1 << 16;

/**
 * Runs simd/gelu.c's `fn` over the first multiple of 4 of `n` elements, split across the
 * threads (`args(start, end)` gives one slice's call); returns how many it did (0 without
 * our SIMD module).
 */
function simdPart(backend: WasmBackend, n: number, fn: 'gelu' | 'gelu_grad', args: (i0: number, i1: number) => number[]): number {
  if (!simdKernels(backend)) return 0;
  const count = n - (n % 4);
  if (count === 0) return 0;
  const pool = simdPool(backend);
  const parts = count < PARALLEL_FROM ? 1 : pool.size;
  pool.run(fn, Array.from({ length: parts }, (_, i) => args(...slice(count, parts, i, 4))));
  return count;
}

function gelu(args: { inputs: { x: TensorInfo }; backend: WasmBackend }): TensorInfo {
  const { inputs, backend } = args;
  const n = util.sizeFromShape(inputs.x.shape);
  const out = alloc(backend, [...inputs.x.shape]);
  const [px, py] = [offsetOf(backend, inputs.x), offsetOf(backend, out)];
  const done = simdPart(backend, n, 'gelu', (i0, i1) => [px + 4 * i0, py + 4 * i0, i1 - i0]);
  const x = heapF32(backend, inputs.x);
  const y = heapF32(backend, out);
  for (let i = done; i < n; i++) y[i] = x[i]! * cdf(x[i]!);
  return out;
}

function geluGrad(args: { inputs: { dy: TensorInfo; x: TensorInfo }; backend: WasmBackend }): TensorInfo {
  const { inputs, backend } = args;
  const n = util.sizeFromShape(inputs.x.shape);
  const out = alloc(backend, [...inputs.x.shape]);
  const [pdy, px, pdx] = [offsetOf(backend, inputs.dy), offsetOf(backend, inputs.x), offsetOf(backend, out)];
  const done = simdPart(backend, n, 'gelu_grad', (i0, i1) => [pdy + 4 * i0, px + 4 * i0, pdx + 4 * i0, i1 - i0]);
  const dy = heapF32(backend, inputs.dy);
  const x = heapF32(backend, inputs.x);
  const dx = heapF32(backend, out);
  for (let i = done; i < n; i++) {
    const v = x[i]!;
    dx[i] = dy[i]! * (cdf(v) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v));
  }
  return out;
}

export const geluConfig: KernelConfig = { kernelName: Gelu, backendName: 'wasm', kernelFunc: gelu as unknown as KernelFunc };
export const geluGradConfig: KernelConfig = { kernelName: GeluGrad, backendName: 'wasm', kernelFunc: geluGrad as unknown as KernelFunc };

export const geluGradient: GradConfig = {
  kernelName: Gelu,
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    const [x] = saved as [Tensor];
    return { x: () => engine().runKernel(GeluGrad, { dy: dy as Tensor, x }) as Tensor };
  },
};

/** GELU of `x` (wasm only). */
export function geluOp(x: Tensor): Tensor {
  return engine().runKernel(Gelu, { x }) as Tensor;
}
