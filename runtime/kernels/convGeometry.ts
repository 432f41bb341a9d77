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

/** Throws when `shape` is not the output shape `g` predicts (a caller bug, not a user mistake). */
export function assertOutShape(kernel: string, g: ConvGeometry, shape: readonly number[]): void {
  const want = [g.batch, g.outH, g.outW, g.outC];
  if (shape.length !== 4 || shape.some((d, i) => d !== want[i])) {
    throw new Error(`${kernel}: dy has shape [${shape.join(',')}] but the convolution produces [${want.join(',')}]`);
  }
}
