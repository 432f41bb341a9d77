/**
 * 3x3 convolutions with unit stride and no dilation by Winograd's F(4x4, 3x3)
 * (simd/winograd.c): 36 multiplications per 4x4 outputs and channel pair instead of 144, for
 * the forward convolution (conv2DCropped.ts; the unit-stride input gradient is one too) and
 * the filter gradient (conv2DBackpropFilter.ts). Tiles split across the threads, each with
 * its own scratch.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { ConvGeometry } from './convGeometry';
import { simdPool, slice, type SimdKernels } from './simdModule';
import { alloc, free, offsetOf } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

/** Tests turn it off to compare with the direct kernels, and count its uses to see it ran. */
export const tuning = { enabled: true, uses: 0 };

/**
 * Tiles a thread transforms at a time: the forward pass keeps a chunk's transformed inputs and
 * products in cache (8-32 tiles measured alike); the filter gradient reloads its sums P
 * ([36][C][O8]) for each chunk, so it takes chunks as large as 2^17 floats of V and E allow
 * (2^15 made 128-channel gradients 1.4x slower). Batch 128, 16-128 channels.
 */
const FORWARD_CHUNK = 16;
const GRADIENT_CHUNK_FLOATS = 1 << 17;

/**
 * Where Winograd applies and measured faster than our direct kernels (ResNet-18 shapes,
 * batch 128: 1.7-3.3x, forward and filter gradient): 3x3, unit stride, no dilation, channels
 * in whole lanes, outputs of at least 4x4 (over a 2x2 map a tile's 36 products make 4
 * outputs, which the direct kernel gets from the 4 taps each meets).
 */
export function winogradFits(g: ConvGeometry): boolean {
  return (
    tuning.enabled &&
    g.kH === 3 &&
    g.kW === 3 &&
    g.strideH === 1 &&
    g.strideW === 1 &&
    g.dilationH === 1 &&
    g.dilationW === 1 &&
    g.inC % 4 === 0 &&
    g.outC % 4 === 0 &&
    g.outH >= 4 &&
    g.outW >= 4
  );
}

/** Tiles of g (4x4 outputs each), a chunk's tiles, and how many threads split them. */
function tiling(backend: WasmBackend, g: ConvGeometry, gradient: boolean) {
  const O8 = (g.outC + 7) & ~7;
  const tiles = g.batch * Math.ceil(g.outH / 4) * Math.ceil(g.outW / 4);
  const chunk = gradient ? Math.max(4, Math.floor(GRADIENT_CHUNK_FLOATS / (36 * (g.inC + O8)) / 4) * 4) : FORWARD_CHUNK;
  const parts = tiles < 2 * chunk ? 1 : simdPool(backend).size;
  const geometry = [g.inH, g.inW, g.inC, g.outH, g.outW, g.outC, g.padTop, g.padLeft];
  return { O8, chunk, parts, geometry, split: (i: number) => slice(tiles, parts, i, 1) };
}

/** x convolved with the 3x3 filter (+ bias) over geometry g. */
export function winogradConv(backend: WasmBackend, simd: SimdKernels, x: TensorInfo, filter: TensorInfo, bias: TensorInfo | undefined, g: ConvGeometry): TensorInfo {
  const at = (t: TensorInfo) => offsetOf(backend, t);
  const { O8, chunk, parts, geometry, split } = tiling(backend, g, false);
  tuning.uses++;
  const perThread = simd.winograd_scratch_floats(chunk, g.inC, g.outC);
  const out = alloc(backend, [g.batch, g.outH, g.outW, g.outC]);
  const u = alloc(backend, [36 * (g.inC * O8 + 16)]); // 36 matrices u_stride() apart (simd/winograd.c)
  const scratch = alloc(backend, [parts * perThread]);
  simd.winograd_filter(at(filter), at(u), g.inC, g.outC);
  simdPool(backend).run('winograd_forward', Array.from({ length: parts }, (_, i) => [at(x), at(u), bias ? at(bias) : 0, at(out), at(scratch) + i * perThread * 4, ...split(i), chunk, ...geometry]));
  free(backend, u);
  free(backend, scratch);
  return out;
}

/** dW [3, 3, inC, outC] of the convolution of x over geometry g, from its output gradient dy. */
export function winogradFilterGrad(backend: WasmBackend, simd: SimdKernels, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const at = (t: TensorInfo) => offsetOf(backend, t);
  const { chunk, parts, geometry, split } = tiling(backend, g, true);
  tuning.uses++;
  const perThread = simd.winograd_grad_scratch_floats(chunk, g.inC, g.outC);
  const sums = simd.winograd_scratch_floats(chunk, g.inC, g.outC); // where a thread's P starts in its scratch
  const out = alloc(backend, [3, 3, g.inC, g.outC]);
  const scratch = alloc(backend, [parts * perThread + 18 * 4]); // and 18 vectors for the finish
  simdPool(backend).run('winograd_filter_grad', Array.from({ length: parts }, (_, i) => [at(x), at(dy), at(scratch) + i * perThread * 4, ...split(i), chunk, ...geometry]));
  simd.winograd_filter_grad_finish(at(scratch) + sums * 4, parts, perThread, at(out), at(scratch) + parts * perThread * 4, g.inC, g.outC);
  free(backend, scratch);
  return out;
}
