/**
 * MaxPool on wasm, on every thread (everyThread.ts): XNNPACK's runs on the one thread it gets,
 * 0.37 ms of a two-thread ResNet-18 step for the stem's 3x3/2 pool over [128, 16, 16, 16].
 * simd/pool.c's `max_pool` runs sixteen channels as four independent chains of maxima and
 * splits the images across the threads; semantics are the CPU backend's (padding never a
 * maximum, NaN never wins, a 1x1 window that keeps the shape is x itself). That pool with
 * cold caches, as in a training step: XNNPACK 0.48-0.52 ms, ours 0.43 on one thread and 0.27
 * on two. With fewer than four channels (one at a time) ours runs only on two threads or more.
 */
import { MaxPool } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { poolInfo, type PoolAttrs } from './convGeometry';
import { oursWanted, poolChoice, type Choice } from './everyThread';
import { shared } from './identity';
import { poolArgs, runSliced } from './simdModule';
import { alloc, offsetOf, stockKernel } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

/** Tests force our kernel on one thread for fewer than four channels too. */
export const tuning = { ours: 'threads' as Choice };

function maxPool(args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: PoolAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  if (!oursWanted(backend, poolChoice(tuning.ours, x.shape)) || x.dtype !== 'float32' || x.shape.length !== 4) return stockKernel(MaxPool)(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
  const info = poolInfo(x.shape, attrs);
  // A 1x1 window that keeps the shape is x itself, as on the CPU backend (NaNs included).
  const same = info.filterHeight === 1 && info.filterWidth === 1 && info.outHeight === info.inHeight && info.outWidth === info.inWidth;
  if (same) return shared(backend, x) ?? (stockKernel(MaxPool)(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo);
  const [N, ...rest] = poolArgs(info);
  const out = alloc(backend, [N, info.outHeight, info.outWidth, info.inChannels]);
  const [px, py] = [offsetOf(backend, x), offsetOf(backend, out)];
  const [image, outImage] = [info.inHeight * info.inWidth * info.inChannels, info.outHeight * info.outWidth * info.inChannels];
  runSliced(backend, 'max_pool', N, 1, (n0, n1) => [px + 4 * n0 * image, py + 4 * n0 * outImage, n1 - n0, ...rest], image);
  return out;
}

/** MaxPool for backend 'wasm' (ours on every thread; see module note). */
export const maxPoolConfig: KernelConfig = { kernelName: MaxPool, backendName: 'wasm', kernelFunc: maxPool as unknown as KernelFunc };
