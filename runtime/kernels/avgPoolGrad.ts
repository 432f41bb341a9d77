/**
 * AvgPoolGrad for the wasm backend. The stock kernel is correct but slow (LeNet: ~10 ms of
 * a ~115 ms step for two 2x2 pools); this scatters each output's gradient over its window,
 * channels innermost, images split across the threads (LeNet's first pool 0.60 → 0.35 ms on
 * two). Semantics are tfjs's on every backend: each window's gradient is
 * dy / (filterHeight · filterWidth), even where a 'same' window overlaps the padding (the
 * forward pool divides by the count of real inputs there, so at such borders tfjs's
 * gradient is not the exact derivative; we keep it identical to the CPU backend).
 */
import { AvgPoolGrad } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { poolArgs, runSliced, simdKernels } from './simdModule';
import { alloc, heapF32, offsetOf } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';
import { poolInfo, type PoolAttrs } from './convGeometry';

function avgPoolGrad(args: { inputs: { dy: TensorInfo; input: TensorInfo }; backend: WasmBackend; attrs: PoolAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input } = inputs;
  const info = poolInfo(input.shape, attrs);
  const { batchSize, inHeight: inH, inWidth: inW, inChannels: C, outHeight: outH, outWidth: outW } = info;
  const { strideHeight: sH, strideWidth: sW, filterHeight: kH, filterWidth: kW } = info;
  const scale = 1 / (kH * kW);
  const out = alloc(backend, [...input.shape]);
  const simd = simdKernels(backend);
  if (simd) {
    // The same loops, four channels at a time (simd/pool.c), images split across the threads.
    const [, ...rest] = poolArgs(info);
    const [pdy, pdx] = [offsetOf(backend, dy), offsetOf(backend, out)];
    runSliced(backend, 'avg_pool_grad', batchSize, 1, (n0, n1) => [pdy + 4 * n0 * outH * outW * C, pdx + 4 * n0 * inH * inW * C, scale, n1 - n0, ...rest], inH * inW * C);
    return out;
  }
  const g = heapF32(backend, dy);
  const dx = heapF32(backend, out);
  dx.fill(0);
  let o = 0;
  for (let n = 0; n < batchSize; n++) {
    const xn = n * inH * inW * C;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = Math.max(0, oh * sH - info.padInfo.top);
      const h1 = Math.min(inH, oh * sH - info.padInfo.top + kH);
      for (let ow = 0; ow < outW; ow++, o += C) {
        const w0 = Math.max(0, ow * sW - info.padInfo.left);
        const w1 = Math.min(inW, ow * sW - info.padInfo.left + kW);
        for (let h = h0; h < h1; h++) {
          for (let w = w0; w < w1; w++) {
            const xi = xn + (h * inW + w) * C;
            for (let c = 0; c < C; c++) dx[xi + c] = dx[xi + c]! + g[o + c]! * scale;
          }
        }
      }
    }
  }
  return out;
}

/** AvgPoolGrad for backend 'wasm' (replaces the stock kernel; see module note). */
export const avgPoolGradConfig: KernelConfig = {
  kernelName: AvgPoolGrad,
  backendName: 'wasm',
  kernelFunc: avgPoolGrad as unknown as KernelFunc,
};
