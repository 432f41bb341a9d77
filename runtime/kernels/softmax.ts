/**
 * Softmax's gradient over the last axis on wasm as one pass per row (simd/softmax.c, threads
 * splitting the rows; the loop below without our SIMD module):  dx = y·(dy - Σ dy·y).
 * tfjs-core's is four full-size ops (Multiply, Sum, Sub, Multiply): ~7 ms of a ViT-tiny step
 * on attention's [128, 4, 65, 65] weights, against ~1.7 ms here. Other backends keep
 * tfjs-core's gradient. The forward stays the stock (XNNPACK) kernel, which beat ours.
 */
import { engine, Softmax, util } from '@tensorflow/tfjs-core';
import type { GradConfig, KernelConfig, KernelFunc, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import { wasmGradient } from './gradients';
import { runSliced, simdKernels } from './simdModule';
import { alloc, heapF32, offsetOf } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

export const SoftmaxGrad = 'LayerlabSoftmaxGrad';

function softmaxGrad(args: { inputs: { dy: TensorInfo; y: TensorInfo }; backend: WasmBackend }): TensorInfo {
  const { inputs, backend } = args;
  const d = inputs.y.shape.at(-1)!;
  const rows = d === 0 ? 0 : util.sizeFromShape(inputs.y.shape) / d;
  const out = alloc(backend, [...inputs.y.shape]);
  if (rows === 0) return out;
  if (simdKernels(backend)) {
    const [pdy, py, pdx] = [offsetOf(backend, inputs.dy), offsetOf(backend, inputs.y), offsetOf(backend, out)];
    runSliced(backend, 'softmax_grad_rows', rows, 1, (r0, r1) => [pdy + 4 * r0 * d, py + 4 * r0 * d, pdx + 4 * r0 * d, r1 - r0, d], d);
    return out;
  }
  const dy = heapF32(backend, inputs.dy);
  const y = heapF32(backend, inputs.y);
  const dx = heapF32(backend, out);
  for (let o = 0; o < rows * d; o += d) {
    let s = 0;
    for (let i = o; i < o + d; i++) s += dy[i]! * y[i]!;
    for (let i = o; i < o + d; i++) dx[i] = y[i]! * (dy[i]! - s);
  }
  return out;
}

/** The kernel behind {@link softmaxGradient}, wasm only. */
export const softmaxGradConfig: KernelConfig = { kernelName: SoftmaxGrad, backendName: 'wasm', kernelFunc: softmaxGrad as unknown as KernelFunc };

/** Softmax's gradient: one pass per row on wasm, tfjs-core's elsewhere. */
export const softmaxGradient: GradConfig = wasmGradient({ kernelName: Softmax, outputsToSave: [true] }, (dy, [y]) =>
  y!.dtype !== 'float32' || y!.rank === 0 ? undefined : { logits: () => engine().runKernel(SoftmaxGrad, { dy, y: y! }) as Tensor },
);
