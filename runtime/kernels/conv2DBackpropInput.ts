/**
 * Conv2DBackpropInput for the wasm backend: for unit strides a forward convolution (see
 * {@link viaForwardConv}; our Conv2D kernel, so SIMD or XNNPACK as conv2DCropped.ts picks),
 * otherwise gathered per input position by our SIMD kernel ({@link gathered}) or
 * dx = col2im(dy · Wᵀ), the product in the backend's XNNPACK BatchMatMul and the scatter in JS. The stock kernel is correct but a
 * direct loop; it took ~43% of a ResNet-18 training step (200 of 467 ms).
 *
 * Supports NHWC, strides, 'valid' / 'same' / explicit padding and an optional `dilations`
 * attribute (the stock kernel ignores dilations).
 */
import { Conv2DBackpropInput } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { assertOutShape, convGeometry, copyCroppedFilter, cropTaps, unitStride } from './convGeometry';
import type { ConvAttrs, ConvGeometry } from './convGeometry';
import { col2imAdd } from './im2col';
import { transpose2d } from './transpose2d';
import { inputGradientUnused } from './unusedInputGradient';
import { conv2DConfig } from './conv2DCropped';
import { fiveFits, stride2InputGradFits, winogradFits, winogradStride2InputGrad } from './winograd';
import { convArgs, convParts, simdKernels, simdPool, slice } from './simdModule';
import { alloc, batchMatMul, free, heapF32, offsetOf } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

/** Upper bound on one column matrix, in floats (16 MiB). */
export const tuning = {
  colChunkFloats: 1 << 22,
  /** Drop filter taps that only meet padding (see cropTaps); tests turn it off to check both. */
  cropTaps: true,
  /** Return zeros for a dx backprop discards (see unusedInputGradient.ts); tests turn it off. */
  skipUnused: true,
  /** Strided dx gathered by our SIMD kernel (see {@link gathered}); tests turn it off to check col2im. */
  gather: true,
  /** Unpadded unit-stride dx with ragged channels scattered along dx rows (see {@link scattered}); tests turn it off. */
  scatter: true,
  /** How many dx were skipped, and how many scattered (for tests). */
  skipped: 0,
  scattered: 0,
};

type Attrs = ConvAttrs & { inputShape: [number, number, number, number] };

/**
 * Unit stride, no dilation, no padding beyond the kernel: dx is the forward convolution of
 * dy with the spatially flipped, in/out-swapped filter, padded by k - 1 - p on each side.
 * That runs in the stock XNNPACK Conv2D, several times faster than matmul + col2im (LeNet's
 * 28x28 conv: 18 ms → ~4 ms), and needs no column matrix at all.
 */
function viaForwardConv(backend: WasmBackend, dy: TensorInfo, filter: TensorInfo, g: ConvGeometry): TensorInfo | undefined {
  if (g.strideH !== 1 || g.strideW !== 1 || g.dilationH !== 1 || g.dilationW !== 1) return undefined;
  const padBottom = g.outH - 1 + g.kH - g.inH - g.padTop;
  const padRight = g.outW - 1 + g.kW - g.inW - g.padLeft;
  const pads = [g.kH - 1 - g.padTop, g.kH - 1 - padBottom, g.kW - 1 - g.padLeft, g.kW - 1 - padRight];
  if (pads.some((p) => p < 0)) return undefined;
  const flipped = alloc(backend, [g.kH, g.kW, g.outC, g.inC]);
  const { kH, kW, inC, outC } = g;
  const simd = simdKernels(backend);
  if (simd) simd.flip_filter(offsetOf(backend, filter), offsetOf(backend, flipped), kH, kW, inC, outC);
  else {
    const w = heapF32(backend, filter);
    const f = heapF32(backend, flipped);
    for (let kh = 0; kh < kH; kh++) {
      for (let kw = 0; kw < kW; kw++) {
        const src = ((kH - 1 - kh) * kW + (kW - 1 - kw)) * inC * outC;
        const dst = (kh * kW + kw) * outC * inC;
        for (let c = 0; c < inC; c++) for (let o = 0; o < outC; o++) f[dst + o * inC + c] = w[src + c * outC + o]!;
      }
    }
  }
  const pad = [[0, 0], [pads[0]!, pads[1]!], [pads[2]!, pads[3]!], [0, 0]];
  const out = conv2DConfig.kernelFunc({
    inputs: { x: dy, filter: flipped },
    backend,
    attrs: { strides: 1, pad, dataFormat: 'NHWC', dilations: 1 } as unknown as NamedAttrMap,
  }) as TensorInfo;
  free(backend, flipped);
  return out;
}

/**
 * dx gathered per input position from the taps that read it (simd/conv.c), four images per
 * register block: for strided convolutions, where a 3x3 stride-2 filter meets each input
 * with 2.25 taps on average and col2im computes all 9. Undefined without our SIMD module or
 * with too few images to fill the blocks.
 */
function gathered(backend: WasmBackend, dy: TensorInfo, filter: TensorInfo, g: ConvGeometry): TensorInfo | undefined {
  const simd = tuning.gather ? simdKernels(backend) : null;
  if (!simd || !(g.batch % 4 === 0 || g.batch >= 32)) return undefined;
  const taps = g.kH * g.kW;
  const wt = alloc(backend, [taps * g.outC * ((g.inC + 7) & ~7)]);
  const out = alloc(backend, [g.batch, g.inH, g.inW, g.inC]);
  simd.pack_filter_transposed(offsetOf(backend, filter), offsetOf(backend, wt), taps, g.inC, g.outC);
  const parts = convParts(backend, g);
  const at = [offsetOf(backend, dy), offsetOf(backend, wt), offsetOf(backend, out)] as const;
  simdPool(backend).run('conv_input_grad_images', Array.from({ length: parts }, (_, i) => [...at, ...slice(g.batch, parts, i, 4), ...convArgs(g)]));
  free(backend, wt);
  return out;
}

/**
 * Whether a filter row's kW·C floats fill 8-lane blocks better than C alone does: 5·6 = 30 of
 * 32 lanes against 6 of 8 (LeNet's second layer: 2.72 → 2.43 ms), 3·3 = 9 of 16 against 3 of 8
 * (1.00 → 0.73 ms). At equal fill the scatter's longer rows lose (3x3 over 6 channels: 18 of
 * 24, 1.00 vs 1.07 ms).
 */
function fillsMoreLanes(g: ConvGeometry): boolean {
  const row = g.kW * g.inC;
  return row >= 8 && row * ((g.inC + 7) & ~7) > g.inC * ((row + 7) & ~7);
}

/**
 * dx scattered along its rows by simd/conv.c's conv_input_grad_scatter: unit stride, no
 * dilation, no padding, where a filter row fills more lanes than its channels do (see
 * {@link fillsMoreLanes}; LeNet's second layer: along a row's 5·6 floats, 30 of 32 lanes,
 * where the gathered form uses 6 of 8) and Winograd does not take the flipped convolution.
 * Undefined elsewhere.
 */
function scattered(backend: WasmBackend, dy: TensorInfo, filter: TensorInfo, g: ConvGeometry): TensorInfo | undefined {
  const simd = tuning.scatter ? simdKernels(backend) : null;
  const unpadded = g.padTop === 0 && g.padLeft === 0 && g.outH === g.inH - g.kH + 1 && g.outW === g.inW - g.kW + 1;
  if (!simd || !unpadded || !unitStride(g) || !fillsMoreLanes(g) || !(g.batch % 4 === 0 || g.batch >= 32)) return undefined;
  // Where F(4x4, 3x3) takes the flipped forward convolution, it is faster (3x3, 4 → 16 channels: 0.63 vs 0.74 ms; 12 → 32: 1.8 vs 3.4);
  // F(4x4, 5x5) where dx has 8 channels or more (5x5 over 14x14, 16 → 12 channels: 2.02 vs 2.31 ms; into 4, half its 8-wide blocks idle, 1.28 vs 0.89).
  const flipped = { ...g, inH: g.outH, inW: g.outW, outH: g.inH, outW: g.inW, inC: g.outC, outC: g.inC, padTop: g.kH - 1, padLeft: g.kW - 1 };
  if (winogradFits(flipped) || (fiveFits(flipped) && g.inC >= 8)) return undefined;
  const seg8 = (g.kW * g.inC + 7) & ~7;
  tuning.scattered++;
  const wt = alloc(backend, [g.kH * g.outC * seg8]);
  // [kh][o][kw·C + c]: the transposed packing with a row of the filter as one tap.
  simd.pack_filter_transposed(offsetOf(backend, filter), offsetOf(backend, wt), g.kH, g.kW * g.inC, g.outC);
  const out = alloc(backend, [g.batch, g.inH, g.inW, g.inC]);
  const parts = convParts(backend, g);
  const at = [offsetOf(backend, dy), offsetOf(backend, wt), offsetOf(backend, out)] as const;
  simdPool(backend).run('conv_input_grad_scatter', Array.from({ length: parts }, (_, i) => [...at, ...slice(g.batch, parts, i, 4), ...convArgs(g)]));
  free(backend, wt);
  return out;
}

function conv2DBackpropInput(args: { inputs: { dy: TensorInfo; filter: TensorInfo }; backend: WasmBackend; attrs: Attrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC') throw new Error('Conv2DBackpropInput (wasm): only NHWC is supported');
  const full = convGeometry(attrs.inputShape, filter.shape, attrs.strides, attrs.pad, attrs.dilations ?? 1, attrs.dimRoundingMode, false);
  assertOutShape('Conv2DBackpropInput', full, dy.shape);
  if (tuning.skipUnused && inputGradientUnused()) {
    // Backprop discards this dx (the data batch's gradient; see unusedInputGradient.ts).
    tuning.skipped++;
    const zeros = alloc(backend, [...attrs.inputShape]);
    heapF32(backend, zeros).fill(0);
    return zeros;
  }
  const crop = tuning.cropTaps ? cropTaps(full) : undefined;
  if (crop === undefined) return inputGradient(backend, dy, filter, full);
  // Taps that only meet padding contribute nothing to dx: drop them from the filter.
  const g = crop.geometry;
  const cropped = alloc(backend, [g.kH, g.kW, g.inC, g.outC]);
  copyCroppedFilter(heapF32(backend, filter), full.kW, full.inC * full.outC, crop, heapF32(backend, cropped));
  const out = inputGradient(backend, dy, cropped, g);
  free(backend, cropped);
  return out;
}

/** dx of shape [g.batch, g.inH, g.inW, g.inC] for a filter of shape [g.kH, g.kW, g.inC, g.outC]. */
function inputGradient(backend: WasmBackend, dy: TensorInfo, filter: TensorInfo, g: ConvGeometry): TensorInfo {
  const simd = simdKernels(backend);
  if (simd && stride2InputGradFits(g)) return winogradStride2InputGrad(backend, simd, dy, filter, g);
  const direct = scattered(backend, dy, filter, g) ?? viaForwardConv(backend, dy, filter, g) ?? gathered(backend, dy, filter, g);
  if (direct !== undefined) return direct;
  const K = g.kH * g.kW * g.inC;
  const perImage = g.outH * g.outW;
  const imagesPerChunk = Math.max(1, Math.min(g.batch, Math.floor(tuning.colChunkFloats / Math.max(1, perImage * K))));

  // Wᵀ: [outC, K] so that the product needs no transposed path (slow on wasm).
  const wT = alloc(backend, [1, g.outC, K]);
  transpose2d(heapF32(backend, filter), 0, K, g.outC, heapF32(backend, wT), 0);
  const out = alloc(backend, [g.batch, g.inH, g.inW, g.inC]);
  heapF32(backend, out).fill(0);
  for (let n0 = 0; n0 < g.batch; n0 += imagesPerChunk) {
    const n1 = Math.min(g.batch, n0 + imagesPerChunk);
    const rows = (n1 - n0) * perImage;
    let dyChunk: TensorInfo;
    if (n0 === 0 && n1 === g.batch) {
      dyChunk = { dataId: dy.dataId, shape: [1, rows, g.outC], dtype: 'float32' };
    } else {
      dyChunk = alloc(backend, [1, rows, g.outC]);
      heapF32(backend, dyChunk).set(heapF32(backend, dy).subarray(n0 * perImage * g.outC, n1 * perImage * g.outC));
    }
    const col = batchMatMul(backend, dyChunk, wT);
    col2imAdd(g, heapF32(backend, col), n0, n1, heapF32(backend, out));
    free(backend, col);
    if (dyChunk.dataId !== dy.dataId) free(backend, dyChunk);
  }
  free(backend, wT);
  return out;
}

/** Conv2DBackpropInput for backend 'wasm' (replaces the stock kernel; see module note). */
export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as KernelFunc,
};
