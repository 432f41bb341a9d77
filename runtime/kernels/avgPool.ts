/**
 * AvgPool on wasm where the windows tile the input (stride = window, no padding, nothing left
 * over: d2l's 2x2 pooling). simd/pool.c's `avg_pool_tiled` covers a pixel's channels with
 * whole vectors (the last overlapping when C % 4 != 0) and splits the images across the
 * threads. With four channels or more it beats XNNPACK's on one thread too (LeNet's first
 * pool over [256, 28, 28, 6]: 0.43 → 0.13 ms); with fewer it goes one channel at a time and
 * runs only where there are threads to split it. The stock kernel otherwise.
 */
import { AvgPool } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { poolInfo, type PoolAttrs } from './convGeometry';
import { oursWanted, poolChoice, type Choice } from './everyThread';
import { runSliced } from './simdModule';
import { alloc, offsetOf, stockKernel } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

/** Tests force our kernel on one thread for fewer than four channels too. */
export const tuning = { ours: 'threads' as Choice };

function avgPool(args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: PoolAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const info = oursWanted(backend, poolChoice(tuning.ours, x.shape)) && x.dtype === 'float32' && x.shape.length === 4 ? poolInfo(x.shape, attrs) : undefined;
  const tiled =
    info !== undefined &&
    info.strideHeight === info.filterHeight &&
    info.strideWidth === info.filterWidth &&
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    info.outHeight * info.filterHeight === info.inHeight &&
    info.outWidth * info.filterWidth === info.inWidth;
  if (!tiled) return stockKernel(AvgPool)(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: KH, filterWidth: KW } = info;
  const out = alloc(backend, [N, OH, OW, C]);
  const [px, py] = [offsetOf(backend, x), offsetOf(backend, out)];
  runSliced(backend, 'avg_pool_tiled', N, 1, (n0, n1) => [px + 4 * n0 * H * W * C, py + 4 * n0 * OH * OW * C, 1 / (KH * KW), n1 - n0, H, W, C, OH, OW, KH, KW], H * W * C);
  return out;
}

/** AvgPool for backend 'wasm' (ours on every thread for tiling windows; see module note). */
export const avgPoolConfig: KernelConfig = { kernelName: AvgPool, backendName: 'wasm', kernelFunc: avgPool as unknown as KernelFunc };
