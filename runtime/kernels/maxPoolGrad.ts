/**
 * MaxPoolGrad for the wasm backend. The stock kernel (tfjs-backend-wasm 4.22) routes the
 * gradient wrongly whenever a pooling window holds only non-positive values, which after a
 * ReLU-free layer or BatchNorm is most windows. Semantics match the CPU backend: each
 * output's gradient goes to the first (row-major) maximum of its window; padding is never
 * a maximum.
 */
import { MaxPoolGrad } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { poolArgs, runSliced, simdKernels } from './simdModule';
import { alloc, heapF32, offsetOf } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';
import { poolInfo, type PoolAttrs } from './convGeometry';

function maxPoolGrad(args: { inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo }; backend: WasmBackend; attrs: PoolAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input } = inputs;
  const info = poolInfo(input.shape, attrs);
  const { batchSize, inHeight: inH, inWidth: inW, inChannels: C, outHeight: outH, outWidth: outW } = info;
  const { strideHeight: sH, strideWidth: sW, filterHeight: kH, filterWidth: kW } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;

  const out = alloc(backend, [...input.shape]);
  const simd = simdKernels(backend);
  if (simd) {
    // The same loops, four channels at a time (simd/pool.c), images split across the threads.
    const [, ...rest] = poolArgs(info);
    const [px, pdy, pdx] = [offsetOf(backend, input), offsetOf(backend, dy), offsetOf(backend, out)];
    const image = inH * inW * C;
    runSliced(backend, 'max_pool_grad', batchSize, 1, (n0, n1) => [px + 4 * n0 * image, pdy + 4 * n0 * outH * outW * C, pdx + 4 * n0 * image, n1 - n0, ...rest], image);
    return out;
  }
  const x = heapF32(backend, input);
  const g = heapF32(backend, dy);
  const dx = heapF32(backend, out);
  dx.fill(0);
  let o = 0;
  for (let n = 0; n < batchSize; n++) {
    const xn = n * inH * inW * C;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = Math.max(0, oh * sH - padTop);
      const h1 = Math.min(inH, oh * sH - padTop + kH);
      for (let ow = 0; ow < outW; ow++, o += C) {
        const w0 = Math.max(0, ow * sW - padLeft);
        const w1 = Math.min(inW, ow * sW - padLeft + kW);
        // Per channel, the window in row-major order; a strictly greater value wins, so ties
        // go to the first maximum as on the CPU backend. The window (a few rows of C floats)
        // stays in L1 across channels.
        for (let c = 0; c < C; c++) {
          let best = -Infinity;
          let at = -1;
          for (let h = h0; h < h1; h++) {
            let xi = xn + (h * inW + w0) * C + c;
            for (let w = w0; w < w1; w++, xi += C) {
              const v = x[xi]!;
              if (v > best) {
                best = v;
                at = xi;
              }
            }
          }
          if (at >= 0) dx[at] = dx[at]! + g[o + c]!;
        }
      }
    }
  }
  return out;
}

/** MaxPoolGrad for backend 'wasm' (replaces the stock kernel; see module note). */
export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};
