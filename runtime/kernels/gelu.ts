/**
 * GELU (tfjs-layers' 'gelu': the exact form x·Φ(x), Φ(x) = ½(1 + erf(x/√2))) as one kernel
 * on wasm. tfjs-layers computes it as RealDiv, Erf, Add and two Multiplys, and the gradient
 * through Erf adds Square, Neg, Exp and more Multiplys: ~35 ms of a ViT-tiny step. Here
 * y = x·Φ(x), with erf by Abramowitz and Stegun 7.1.26 as tfjs's own Erf kernels compute it.
 * While a gradient is being recorded the same pass also writes d = Φ(x) + x·φ(x) (= dy/dx,
 * φ(x) = e^(-x²/2)/√(2π), from the same exponential), so the backward pass is dy·d, one
 * multiplication, instead of the exponential, division and polynomial again. Four at a
 * time in simd/gelu.c when our SIMD module is built, in the loops below otherwise and for the tail.
 */
import { engine, util } from '@tensorflow/tfjs-core';
import type { GradConfig, KernelConfig, KernelFunc, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import { runSliced, simdKernels } from './simdModule';
import { alloc, heapF32, offsetOf } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

export const Gelu = 'LayerlabGelu';
export const GeluTrain = 'LayerlabGeluTrain';

/** Φ(x) with tfjs's erf (Abramowitz and Stegun 7.1.26). */
function cdf(x: number): number {
  const u = x * Math.SQRT1_2;
  const v = Math.abs(u);
  const t = 1 / (1 + 0.3275911 * v);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-v * v);
  return 0.5 * (1 + (u < 0 ? -erf : erf));
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * Runs simd/gelu.c's `fn` over the first multiple of 4 of `n` elements, split across the
 * threads (`args(start, end)` gives one slice's call); returns how many it did (0 without
 * our SIMD module).
 */
function simdPart(backend: WasmBackend, n: number, fn: 'gelu' | 'gelu_train', args: (i0: number, i1: number) => number[]): number {
  if (!simdKernels(backend)) return 0;
  const count = n - (n % 4);
  if (count > 0) runSliced(backend, fn, count, 4, args);
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

function geluTrain(args: { inputs: { x: TensorInfo }; backend: WasmBackend }): TensorInfo[] {
  const { inputs, backend } = args;
  const n = util.sizeFromShape(inputs.x.shape);
  const yOut = alloc(backend, [...inputs.x.shape]);
  const dOut = alloc(backend, [...inputs.x.shape]);
  const [px, py, pd] = [offsetOf(backend, inputs.x), offsetOf(backend, yOut), offsetOf(backend, dOut)];
  const done = simdPart(backend, n, 'gelu_train', (i0, i1) => [px + 4 * i0, py + 4 * i0, pd + 4 * i0, i1 - i0]);
  const x = heapF32(backend, inputs.x);
  const y = heapF32(backend, yOut);
  const d = heapF32(backend, dOut);
  for (let i = done; i < n; i++) {
    const v = x[i]!;
    const phi = cdf(v);
    y[i] = v * phi;
    d[i] = phi + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v);
  }
  return [yOut, dOut];
}

export const geluConfig: KernelConfig = { kernelName: Gelu, backendName: 'wasm', kernelFunc: gelu as unknown as KernelFunc };
export const geluTrainConfig: KernelConfig = { kernelName: GeluTrain, backendName: 'wasm', kernelFunc: geluTrain as unknown as KernelFunc };

/** dx = dy·d, d the derivative the forward pass saved (its own gradient is not needed). */
export const geluGradient: GradConfig = {
  kernelName: GeluTrain,
  outputsToSave: [false, true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    const [d] = saved as [Tensor];
    const g = (dy as (Tensor | null)[])[0]!;
    return { x: () => engine().runKernel('Multiply', { a: g, b: d }) as Tensor };
  },
};

/** GELU of `x` (wasm only): with its derivative saved for backprop while a gradient is recorded. */
export function geluOp(x: Tensor): Tensor {
  if (!(engine() as unknown as { isTapeOn(): boolean }).isTapeOn()) return engine().runKernel(Gelu, { x }) as Tensor;
  const [y, d] = engine().runKernel(GeluTrain, { x }) as unknown as [Tensor, Tensor];
  d.dispose();
  return y;
}
