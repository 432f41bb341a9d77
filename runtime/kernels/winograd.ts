/**
 * 3x3 convolutions with unit stride and no dilation by Winograd's F(2x2, 3x3)
 * (simd/winograd.c): 16 multiplications per 2x2 outputs and channel pair instead of 36, for
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

/** Floats of transformed tiles a chunk keeps in cache, per thread. */
const CHUNK_FLOATS = 1 << 17;

/**
 * Where Winograd applies and measured faster than our direct kernels (ResNet-18 shapes,
 * batch 128): 3x3, unit stride, no dilation, channels in whole lanes, maps of at least 4x4
 * (over 2x2 maps a tile's 16 products make 4 outputs the direct kernel gets from 4 taps each).
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

/** Tiles of g, a chunk's tiles, and how many threads split them. */
function tiling(backend: WasmBackend, g: ConvGeometry) {
  const O8 = (g.outC + 7) & ~7;
  const tiles = g.batch * Math.ceil(g.outH / 2) * Math.ceil(g.outW / 2);
  const chunk = Math.max(4, Math.floor(CHUNK_FLOATS / (16 * (g.inC + O8)) / 4) * 4);
  const parts = tiles < 2 * chunk ? 1 : simdPool(backend).size;
  const geometry = [g.inH, g.inW, g.inC, g.outH, g.outW, g.outC, g.padTop, g.padLeft];
  return { O8, tiles, chunk, parts, geometry, split: (i: number) => slice(tiles, parts, i, 1) };
}

/** x convolved with the 3x3 filter (+ bias) over geometry g. */
export function winogradConv(backend: WasmBackend, simd: SimdKernels, x: TensorInfo, filter: TensorInfo, bias: TensorInfo | undefined, g: ConvGeometry): TensorInfo {
  const at = (t: TensorInfo) => offsetOf(backend, t);
  const { O8, chunk, parts, geometry, split } = tiling(backend, g);
  tuning.uses++;
  const perThread = simd.winograd_scratch_floats(chunk, g.inC, g.outC);
  const out = alloc(backend, [g.batch, g.outH, g.outW, g.outC]);
  const u = alloc(backend, [16 * g.inC * O8]);
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
  const { chunk, parts, geometry, split } = tiling(backend, g);
  tuning.uses++;
  const perThread = simd.winograd_grad_scratch_floats(chunk, g.inC, g.outC);
  const sums = simd.winograd_scratch_floats(chunk, g.inC, g.outC); // where a thread's P starts in its scratch
  const out = alloc(backend, [3, 3, g.inC, g.outC]);
  const scratch = alloc(backend, [parts * perThread]);
  simdPool(backend).run('winograd_filter_grad', Array.from({ length: parts }, (_, i) => [at(x), at(dy), at(scratch) + i * perThread * 4, ...split(i), chunk, ...geometry]));
  simd.winograd_filter_grad_finish(at(scratch) + sums * 4, parts, perThread, at(out), g.inC, g.outC);
  free(backend, scratch);
  return out;
}
