/**
 * The geometry of one NHWC 2-D convolution in the flat form our loops use.
 * Built from tfjs's own `computeConv2DInfo`, so padding ('valid', 'same', explicit) and
 * rounding mean exactly what they mean on every other backend.
 */
import { backend_util } from '@tensorflow/tfjs-core';

/** Flat NHWC convolution geometry. */
export interface ConvGeometry {
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly inC: number;
  readonly outH: number;
  readonly outW: number;
  readonly outC: number;
  readonly kH: number;
  readonly kW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly padTop: number;
  readonly padLeft: number;
  /** Channel multiplier of a depthwise convolution (1 otherwise). */
  readonly multiplier: number;
}

/** Padding as tfjs kernels receive it. */
export type ConvPad = 'valid' | 'same' | number | backend_util.ExplicitPadding;

/** The attributes tfjs passes to every 2-D convolution kernel and its gradients. */
export interface ConvAttrs {
  strides: number | [number, number];
  pad: ConvPad;
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dataFormat?: 'NHWC' | 'NCHW';
}

/** The attributes of the 2-D pooling kernels and their gradients. */
export interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: ConvPad;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Geometry of a convolution of `xShape` (NHWC) with a filter of `filterShape` (HWIO, or HWCM when depthwise). */
export function convGeometry(
  xShape: readonly number[],
  filterShape: readonly number[],
  strides: number | [number, number],
  pad: ConvPad,
  dilations: number | [number, number],
  dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined,
  depthwise: boolean,
): ConvGeometry {
  const info = backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
    depthwise,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    kH: info.filterHeight,
    kW: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    dilationH: info.dilationHeight,
    dilationW: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
    multiplier: depthwise ? filterShape[3]! : 1,
  };
}

/** Unit stride and no dilation on both axes. */
export function unitStride(g: ConvGeometry): boolean {
  return g.strideH === 1 && g.strideW === 1 && g.dilationH === 1 && g.dilationW === 1;
}

/** Throws when `shape` is not the output shape `g` predicts (a caller bug, not a user mistake). */
export function assertOutShape(kernel: string, g: ConvGeometry, shape: readonly number[]): void {
  const want = [g.batch, g.outH, g.outW, g.outC];
  if (shape.length !== 4 || shape.some((d, i) => d !== want[i])) {
    throw new Error(`${kernel}: dy has shape [${shape.join(',')}] but the convolution produces [${want.join(',')}]`);
  }
}

/** The taps of a filter that touch the input: rows [h0, h1) and columns [w0, w1). */
export interface TapCrop {
  readonly h0: number;
  readonly h1: number;
  readonly w0: number;
  readonly w1: number;
  /** `g` with the filter cropped to these taps and the padding shifted to match; same output shape. */
  readonly geometry: ConvGeometry;
  /** Explicit NHWC padding of the cropped convolution, as tfjs kernels take it. */
  readonly pad: [[number, number], [number, number], [number, number], [number, number]];
}

/** [t0, t1): the taps along one axis that read an input row for some output row (empty: [0, 0)). */
function usedTaps(k: number, inSize: number, outSize: number, stride: number, dilation: number, padBefore: number): [number, number] {
  let t0 = -1;
  let t1 = -1;
  for (let t = 0; t < k; t++) {
    // Output rows o read input row o*stride + t*dilation - padBefore; is one of them in range?
    const first = t * dilation - padBefore;
    const oMin = first >= 0 ? 0 : Math.ceil(-first / stride);
    const used = oMin < outSize && oMin * stride + first < inSize;
    if (used) {
      if (t0 < 0) t0 = t;
      t1 = t + 1;
    }
  }
  return t0 < 0 ? [0, 0] : [t0, t1];
}

/**
 * When some filter taps only ever meet padding (a 3x3 'same' convolution over a 1x1 or
 * 1-wide input, as at the end of a ResNet on 32x32 images), the same convolution with the
 * filter cropped to the taps that meet the input: fewer multiplications (9x fewer at 1x1)
 * and the same outputs. Undefined when every tap is used or the crop would need negative
 * padding. Those taps' filter gradients are zero.
 */
export function cropTaps(g: ConvGeometry): TapCrop | undefined {
  const [h0, h1] = usedTaps(g.kH, g.inH, g.outH, g.strideH, g.dilationH, g.padTop);
  const [w0, w1] = usedTaps(g.kW, g.inW, g.outW, g.strideW, g.dilationW, g.padLeft);
  if (h1 <= h0 || w1 <= w0 || (h1 - h0 === g.kH && w1 - w0 === g.kW)) return undefined;
  const geometry = { ...g, kH: h1 - h0, kW: w1 - w0, padTop: g.padTop - h0 * g.dilationH, padLeft: g.padLeft - w0 * g.dilationW };
  if (geometry.padTop < 0 || geometry.padLeft < 0) return undefined;
  const pad = explicitPad(geometry);
  return pad === undefined ? undefined : { h0, h1, w0, w1, geometry, pad };
}

/**
 * `g`'s padding as explicit NHWC pads, which give the same output shape: undefined if none
 * do. The stock wasm Conv2D's 'same' lets XNNPACK recompute the padding, which it gets
 * wrong for some strided shapes (1x2 input, 2x1 filter, strides [1, 2]: 0 instead of
 * x·w); explicit pads avoid that.
 */
export function explicitPad(g: ConvGeometry): [[number, number], [number, number], [number, number], [number, number]] | undefined {
  const after = (out: number, stride: number, k: number, dilation: number, size: number, before: number) => Math.max(0, (out - 1) * stride + (k - 1) * dilation + 1 - size - before);
  const padBottom = after(g.outH, g.strideH, g.kH, g.dilationH, g.inH, g.padTop);
  const padRight = after(g.outW, g.strideW, g.kW, g.dilationW, g.inW, g.padLeft);
  const outSize = (size: number, before: number, afterPad: number, k: number, dilation: number, stride: number) => Math.floor((size + before + afterPad - ((k - 1) * dilation + 1)) / stride) + 1;
  if (outSize(g.inH, g.padTop, padBottom, g.kH, g.dilationH, g.strideH) !== g.outH) return undefined;
  if (outSize(g.inW, g.padLeft, padRight, g.kW, g.dilationW, g.strideW) !== g.outW) return undefined;
  return [[0, 0], [g.padTop, padBottom], [g.padLeft, padRight], [0, 0]];
}

/** Copies taps [h0, h1) x [w0, w1) of an HWIO filter (`inC·outC` floats per tap) into `dst`. */
export function copyCroppedFilter(src: Float32Array, kW: number, perTap: number, crop: TapCrop, dst: Float32Array): void {
  let o = 0;
  for (let h = crop.h0; h < crop.h1; h++) {
    const row = (h * kW + crop.w0) * perTap;
    const len = (crop.w1 - crop.w0) * perTap;
    dst.set(src.subarray(row, row + len), o);
    o += len;
  }
}

/** tfjs's pooling geometry for an NHWC input (dilation 1), as both pooling gradients need it. */
export function poolInfo(inputShape: readonly number[], attrs: PoolAttrs): backend_util.Conv2DInfo {
  return backend_util.computePool2DInfo(inputShape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
}
