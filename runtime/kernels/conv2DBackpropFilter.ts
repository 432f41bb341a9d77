/**
 * Conv2DBackpropFilter for the wasm backend (tfjs-backend-wasm 4.22 has none, so no
 * convolution could train there). dW = im2col(x)^T · dy: with our SIMD module built, one call
 * of simd/conv.c (an implicit GEMM, no column matrix); otherwise the im2col runs in JS and
 * the product in the backend's XNNPACK BatchMatMul (or the forward-convolution form).
 *
 * Supports NHWC, strides, 'valid' / 'same' / explicit padding and, beyond what tfjs's
 * Conv2D gradient asks for, an optional `dilations` attribute.
 */
import { Conv2DBackpropFilter } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { batchMatMulConfig } from './batchMatMul';
import { assertOutShape, convGeometry, cropTaps } from './convGeometry';
import type { ConvAttrs, ConvGeometry } from './convGeometry';
import { im2colTransposed } from './im2col';
import { convArgs, convParts, SIMD_PAD_FLOATS, simdKernels, simdPool, slice } from './simdModule';
import { rows45FilterGrad, rows45Fits } from './rows45';
import { stridedFits, winogradFilterGrad, winogradGradientFits, winogradStridedFilterGrad } from './winograd';
import { alloc, batchMatMul, free, heapF32, offsetOf, stockKernel } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

/** Upper bound on one column matrix, in floats (16 MiB): bounds memory, keeps chunks warm in cache. */
export const tuning = {
  colChunkFloats: 1 << 22,
  /** 'auto': where measured faster (see {@link preferForwardConv}); tests force each path. */
  forwardConv: 'auto' as 'auto' | 'always' | 'never',
  /** Drop filter taps that only meet padding (see cropTaps); tests turn it off to check both. */
  cropTaps: true,
  /** Our SIMD kernel (simd/conv.c) when it is built; tests turn it off to check the others. */
  simd: true,
  /** Its per-tap form (no padded copy) where channels allow; tests turn it off to check the padded one. */
  taps: true,
};

/**
 * Where the forward-convolution form measured faster than im2col (ResNet-18 / LeNet shapes,
 * batch 128-256): enough output rows (inC·kH·kW ≥ 64; LeNet's first conv with 25 was slower)
 * and unit stride, or a kernel at least 3x the stride (ResNet's 7x7/2 stem; a 3x3/2 conv,
 * a 1x1/2 projection and a 4x4/4 patch embedding were slower).
 */
function preferForwardConv(g: ConvGeometry): boolean {
  if (g.inC * g.kH * g.kW < 64) return false;
  return (g.strideH === 1 && g.strideW === 1) || (g.kH >= 3 * g.strideH && g.kW >= 3 * g.strideW);
}

type Attrs = ConvAttrs & { filterShape: [number, number, number, number] };

/**
 * Undilated convolutions: dW as a forward XNNPACK convolution, no column matrix. With batch
 * and channels swapped, x' = [inC, H, W, N] convolved with dy' = [outH, outW, N, outC] as the
 * filter (taps `stride` apart, i.e. dilated by the stride) gives [inC, kH, kW, outC]: the same
 * sums as colT · dy. Building colT was ~2/3 of this kernel's time; x' and dy' are one cheap
 * pass each. Returns undefined when the geometry needs negative padding (the original
 * convolution left input rows unread), and the caller falls back to im2col.
 */
function viaForwardConv(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo | undefined {
  if (g.dilationH !== 1 || g.dilationW !== 1) return undefined;
  const { batch: N, inH: H, inW: W, inC: C, outH, outW, outC, kH, kW } = g;
  const padBottom = kH - 1 + (outH - 1) * g.strideH + 1 - H - g.padTop;
  const padRight = kW - 1 + (outW - 1) * g.strideW + 1 - W - g.padLeft;
  if (padBottom < 0 || padRight < 0) return undefined;
  const xT = alloc(backend, [C, H, W, N]);
  const dyT = alloc(backend, [outH, outW, N, outC]);
  {
    const src = heapF32(backend, x);
    const dst = heapF32(backend, xT);
    const HW = H * W;
    for (let n = 0; n < N; n++) {
      let i = n * HW * C;
      for (let p = 0; p < HW; p++) for (let c = 0; c < C; c++) dst[(c * HW + p) * N + n] = src[i++]!;
    }
    const dys = heapF32(backend, dy);
    const dyd = heapF32(backend, dyT);
    const P = outH * outW;
    for (let n = 0; n < N; n++) for (let p = 0; p < P; p++) dyd.set(dys.subarray((n * P + p) * outC, (n * P + p + 1) * outC), (p * N + n) * outC);
  }
  const pad = [[0, 0], [g.padTop, padBottom], [g.padLeft, padRight], [0, 0]];
  const r = stockKernel('Conv2D')({
    inputs: { x: xT, filter: dyT },
    backend,
    attrs: { strides: 1, pad, dataFormat: 'NHWC', dilations: [g.strideH, g.strideW] } as unknown as NamedAttrMap,
  }) as TensorInfo;
  free(backend, xT);
  free(backend, dyT);
  // [C, kH, kW, outC] → [kH, kW, C, outC]
  const out = alloc(backend, [kH, kW, C, outC]);
  const rs = heapF32(backend, r);
  const os = heapF32(backend, out);
  for (let c = 0; c < C; c++) for (let t = 0; t < kH * kW; t++) os.set(rs.subarray((c * kH * kW + t) * outC, (c * kH * kW + t + 1) * outC), (t * C + c) * outC);
  free(backend, r);
  return out;
}

function conv2DBackpropFilter(args: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: WasmBackend; attrs: Attrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC') throw new Error('Conv2DBackpropFilter (wasm): only NHWC is supported');
  const g = convGeometry(x.shape, attrs.filterShape, attrs.strides, attrs.pad, attrs.dilations ?? 1, attrs.dimRoundingMode, false);
  assertOutShape('Conv2DBackpropFilter', g, dy.shape);
  const crop = tuning.cropTaps ? cropTaps(g) : undefined;
  if (crop === undefined) return filterGradient(backend, x, dy, g);
  // Taps that only meet padding get zero gradient; the others come from the cropped convolution.
  const part = filterGradient(backend, x, dy, crop.geometry);
  const out = alloc(backend, [...attrs.filterShape]);
  const src = heapF32(backend, part);
  const dst = heapF32(backend, out);
  dst.fill(0);
  const perTap = g.inC * g.outC;
  const len = (crop.w1 - crop.w0) * perTap;
  for (let h = crop.h0; h < crop.h1; h++) dst.set(src.subarray((h - crop.h0) * len, (h - crop.h0 + 1) * len), (h * g.kW + crop.w0) * perTap);
  free(backend, part);
  return out;
}

/** dW of shape [g.kH, g.kW, g.inC, g.outC]. */
function filterGradient(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const filterShape = [g.kH, g.kW, g.inC, g.outC];
  const simd = tuning.simd ? simdKernels(backend) : null;
  // An implicit GEMM over a padded copy of x (simd/conv.c), filter rows split across the
  // threads, unless that copy is huge (the paths below work in bounded chunks).
  const geometry = convArgs(g);
  const K = g.kH * g.kW * g.inC;
  if (simd && g.kH === 1 && g.kW === 1 && g.strideH === 1 && g.strideW === 1 && g.padTop === 0 && g.padLeft === 0 && g.outH === g.inH && g.outW === g.inW) {
    // A 1x1 convolution (or a 3x3 one over 1x1 maps, cropped to its centre): dW = xᵀ · dy,
    // one product over all positions on our BatchMatMul.
    const P = g.batch * g.inH * g.inW;
    const product = batchMatMulConfig.kernelFunc({
      inputs: { a: { ...x, shape: [1, P, g.inC] }, b: { ...dy, shape: [1, P, g.outC] } },
      backend,
      attrs: { transposeA: true, transposeB: false },
    }) as TensorInfo;
    return { ...product, shape: filterShape };
  }
  if (simd && rows45Fits(g)) return rows45FilterGrad(backend, simd, x, dy, g);
  if (simd && winogradGradientFits(g)) return winogradFilterGrad(backend, simd, x, dy, g);
  if (simd && stridedFits(g)) return winogradStridedFilterGrad(backend, simd, x, dy, g);
  if (simd && tuning.taps && g.inC % 4 === 0 && g.outC % 8 === 0) {
    // Four channels of one tap per block, over the outputs where that tap meets the input
    // (a 3x3 'same' conv over 2x2 maps meets it with 4 of 9 taps), x and dy read in place.
    const parts = convParts(backend, g);
    const out = alloc(backend, filterShape);
    const at = [offsetOf(backend, x), offsetOf(backend, dy), offsetOf(backend, out)] as const;
    simdPool(backend).run('conv_filter_grad_taps', Array.from({ length: parts }, (_, i) => [...at, ...slice(K, parts, i, 4), ...geometry]));
    return out;
  }
  const padFloats = simd?.conv_pad_floats(...geometry) ?? Infinity;
  if (simd && padFloats <= SIMD_PAD_FLOATS) {
    const parts = convParts(backend, g);
    // Rows split evenly (a block of fewer than four rows costs only its rows): LeNet's first
    // layer's 25 as 13 and 12, where blocks of four made 16 and 9.
    const slices = Array.from({ length: parts }, (_, i) => slice(K, parts, i));
    const workFloats = simd.conv_work_floats(slices[0]![1] - slices[0]![0], g.outC);
    const out = alloc(backend, filterShape);
    const xp = alloc(backend, [padFloats]);
    const work = alloc(backend, [workFloats * parts]);
    simd.conv_pad_input(offsetOf(backend, x), offsetOf(backend, xp), ...geometry);
    const at = [offsetOf(backend, xp), offsetOf(backend, dy), offsetOf(backend, out)] as const;
    simdPool(backend).run(
      'conv_filter_grad_rows',
      slices.map(([r0, r1], i) => [...at, offsetOf(backend, work) + i * workFloats * 4, r0, r1, ...geometry]),
    );
    free(backend, work);
    free(backend, xp);
    return out;
  }
  if (tuning.forwardConv === 'always' || (tuning.forwardConv === 'auto' && preferForwardConv(g))) {
    const direct = viaForwardConv(backend, x, dy, g);
    if (direct !== undefined) return direct;
  }
  const perImage = g.outH * g.outW;
  const imagesPerChunk = Math.max(1, Math.min(g.batch, Math.floor(tuning.colChunkFloats / Math.max(1, perImage * K))));

  if (imagesPerChunk >= g.batch) {
    // One product: dW[K, outC] = colT[K, M] · dy[M, outC]; dy is used in place.
    const colT = alloc(backend, [1, K, g.batch * perImage]);
    im2colTransposed(g, heapF32(backend, x), 0, g.batch, heapF32(backend, colT));
    const dy3: TensorInfo = { dataId: dy.dataId, shape: [1, g.batch * perImage, g.outC], dtype: 'float32' };
    const out = batchMatMul(backend, colT, dy3);
    free(backend, colT);
    return { ...out, shape: filterShape };
  }
  // Chunks of images, summed: bounds the column matrix and keeps it in cache.
  const dW = new Float32Array(K * g.outC);
  for (let n0 = 0; n0 < g.batch; n0 += imagesPerChunk) {
    const n1 = Math.min(g.batch, n0 + imagesPerChunk);
    const rows = (n1 - n0) * perImage;
    const colT = alloc(backend, [1, K, rows]);
    const dyChunk = alloc(backend, [1, rows, g.outC]);
    im2colTransposed(g, heapF32(backend, x), n0, n1, heapF32(backend, colT));
    heapF32(backend, dyChunk).set(heapF32(backend, dy).subarray(n0 * perImage * g.outC, n1 * perImage * g.outC));
    const part = batchMatMul(backend, colT, dyChunk);
    const p = heapF32(backend, part);
    for (let i = 0; i < p.length; i++) dW[i] = dW[i]! + p[i]!;
    free(backend, part);
    free(backend, colT);
    free(backend, dyChunk);
  }
  const out = alloc(backend, filterShape);
  heapF32(backend, out).set(dW);
  return out;
}

/** Conv2DBackpropFilter for backend 'wasm'. */
export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
