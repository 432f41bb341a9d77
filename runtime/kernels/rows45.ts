/**
 * 5x5 unit-stride convolutions by Winograd's F(4, 5) along rows (simd/rows45.h): 8 products
 * per filter row and 4-output segment where the direct form takes 20.
 * - One input channel into 4 to 8 (LeNet's first layer on grayscale images; simd/rows45.c):
 *   the forward pass transforms each padded input row's segments once and sums their products
 *   with the transformed filter rows; the filter gradient sums (A δ) ⊙ (Bᵀ d) over every
 *   segment, row and image and applies Gᵀ once (the finish adds the threads' sums first).
 * - 4 to 7 input channels into multiples of 8, forward only (LeNet's second layer;
 *   simd/rows45c.c): one matrix product per point over the tiles.
 * Images split across the threads, each with its own scratch.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { unitStride, type ConvGeometry } from './convGeometry';
import { convParts, simdPool, slice, type SimdKernels } from './simdModule';
import { alloc, free, offsetOf } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

/** Tests turn it off to compare with the direct kernels, and count its uses to see it ran. */
export const tuning = { enabled: true, uses: 0 };

/** One input channel, 5x5, unit stride, no dilation, 4 to 8 output channels (two vectors). */
export function rows45Fits(g: ConvGeometry): boolean {
  return (
    tuning.enabled && g.inC === 1 && g.kH === 5 && g.kW === 5 && unitStride(g) && g.outC >= 4 && g.outC <= 8
  );
}

/** x convolved with the 5x5 filter (+ bias) over geometry g (see {@link rows45Fits}). */
export function rows45Conv(backend: WasmBackend, simd: SimdKernels, x: TensorInfo, filter: TensorInfo, bias: TensorInfo | undefined, g: ConvGeometry): TensorInfo {
  tuning.uses++;
  const at = (t: TensorInfo) => offsetOf(backend, t);
  const parts = convParts(backend, g);
  const perThread = simd.rows45_scratch_floats(g.outH, g.outW);
  const scratch = alloc(backend, [parts * perThread]);
  const out = alloc(backend, [g.batch, g.outH, g.outW, g.outC]);
  const geometry = [g.inH, g.inW, g.outH, g.outW, g.outC, g.padTop, g.padLeft];
  simdPool(backend).run('rows45_forward', Array.from({ length: parts }, (_, i) => [at(x), at(filter), bias ? at(bias) : 0, at(out), at(scratch) + 4 * i * perThread, ...slice(g.batch, parts, i), ...geometry]));
  free(backend, scratch);
  return out;
}

/**
 * The forward pass over 4 to 7 input channels (simd/rows45c.c): 5x5, unit stride, output
 * channels in whole 8-wide blocks, rows of 4+ outputs (a segment computes 4). From 8 channels
 * F(4x4, 5x5) (winograd.ts) does fewer products over contractions long enough to pay for its
 * 2-D transforms; below, its contractions are too short (one thread, into 16 channels over
 * 14x14 maps: 4 channels 1.74 ms here against 2.01, 6 2.40 against 2.46, 8 2.95 against 2.65).
 */
export function rows45ChannelsFits(g: ConvGeometry): boolean {
  return tuning.enabled && g.inC >= 4 && g.inC < 8 && g.kH === 5 && g.kW === 5 && unitStride(g) && g.outC % 8 === 0 && g.outW >= 4;
}

/** Images a thread transforms at a time: X and M of 8 LeNet images (~190 KB) stay in L2 (4 to 32 measured alike). */
const CHANNELS_CHUNK = 8;

/** x convolved with the 5x5 filter (+ bias) over geometry g (see {@link rows45ChannelsFits}). */
export function rows45ChannelsConv(backend: WasmBackend, simd: SimdKernels, x: TensorInfo, filter: TensorInfo, bias: TensorInfo | undefined, g: ConvGeometry): TensorInfo {
  tuning.uses++;
  const at = (t: TensorInfo) => offsetOf(backend, t);
  const parts = convParts(backend, g);
  const chunk = Math.min(CHANNELS_CHUNK, Math.ceil(g.batch / parts));
  const perThread = simd.rows45c_scratch_floats(chunk, g.inC, g.outH, g.outW, g.outC);
  const u = alloc(backend, [8 * 5 * g.inC * g.outC]);
  const scratch = alloc(backend, [parts * perThread]);
  const out = alloc(backend, [g.batch, g.outH, g.outW, g.outC]);
  simd.rows45c_filter(at(filter), at(u), g.inC, g.outC);
  const geometry = [g.inH, g.inW, g.inC, g.outH, g.outW, g.outC, g.padTop, g.padLeft];
  simdPool(backend).run('rows45c_forward', Array.from({ length: parts }, (_, i) => [at(x), at(u), bias ? at(bias) : 0, at(out), at(scratch) + 4 * i * perThread, ...slice(g.batch, parts, i), chunk, ...geometry]));
  free(backend, scratch);
  free(backend, u);
  return out;
}

/** dW [5, 5, 1, outC] of the convolution of x over geometry g (see {@link rows45Fits}), from its output gradient dy. */
export function rows45FilterGrad(backend: WasmBackend, simd: SimdKernels, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  tuning.uses++;
  const at = (t: TensorInfo) => offsetOf(backend, t);
  const parts = convParts(backend, g);
  const perThread = simd.rows45_scratch_floats(g.outH, g.outW);
  const scratch = alloc(backend, [parts * perThread]);
  const geometry = [g.inH, g.inW, g.outH, g.outW, g.outC, g.padTop, g.padLeft];
  simdPool(backend).run('rows45_filter_grad', Array.from({ length: parts }, (_, i) => [at(x), at(dy), at(scratch) + 4 * i * perThread, ...slice(g.batch, parts, i), ...geometry]));
  const out = alloc(backend, [5, 5, 1, g.outC]);
  simd.rows45_filter_grad_finish(at(scratch), parts, perThread, at(out), g.outC);
  free(backend, scratch);
  return out;
}
