/** Parameter pieces and shape helpers shared by several layer kinds. */
import { z } from 'zod';
import type { Shape } from '../../contracts/index.js';
import { err, fmt, ok, type ShapeResult } from '../result.js';

export const activationName = z.enum([
  'linear',
  'relu',
  'sigmoid',
  'tanh',
  'gelu',
  'softmax',
  'leakyRelu',
  'elu',
  'selu',
  'swish',
]);
export type ActivationName = z.infer<typeof activationName>;

/** Our activation names to TF.js's; leakyRelu has no TF.js activation string and is lowered as a layer. */
export const tfjsActivation: Record<ActivationName, string> = {
  linear: 'linear',
  relu: 'relu',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  gelu: 'gelu',
  softmax: 'softmax',
  leakyRelu: 'leakyRelu',
  elu: 'elu',
  selu: 'selu',
  swish: 'swish',
};

export const positiveInt = z.number().int().positive();
/** A scalar means square; a pair is [height, width]. */
export const pair = z.union([positiveInt, z.tuple([positiveInt, positiveInt])]);
export const padding = z.enum(['valid', 'same']);

export const toPair = (v: number | readonly [number, number]): [number, number] =>
  typeof v === 'number' ? [v, v] : [v[0], v[1]];

/** TF.js's convOutputLength. */
export function convOutputLength(size: number, kernel: number, pad: 'valid' | 'same', stride: number, dilation = 1): number {
  const dilated = kernel + (kernel - 1) * (dilation - 1);
  const len = pad === 'same' ? size : size - dilated + 1;
  return Math.floor((len + stride - 1) / stride);
}

/** Requires an input of exactly `rank` dimensions (batch excluded). */
export function requireRank(layer: string, x: Shape | undefined, rank: number, what: string): ShapeResult | null {
  if (!x) return err('E_MISSING_INPUT', `${layer} needs an input`, 0);
  if (x.length !== rank)
    return err('E_RANK', `${layer} needs a ${rank}-D input (${what}) but got ${fmt(x)}; insert a Reshape or Flatten before it`, 0);
  return null;
}

/** Spatial output of a 2-D window (conv or pool) over an [h, w, c] input. */
export function window2d(
  layer: string,
  x: Shape,
  kernel: [number, number],
  strides: [number, number],
  pad: 'valid' | 'same',
  channels: number,
  dilation: [number, number] = [1, 1],
): ShapeResult {
  const h = convOutputLength(x[0]!, kernel[0], pad, strides[0], dilation[0]);
  const w = convOutputLength(x[1]!, kernel[1], pad, strides[1], dilation[1]);
  if (h <= 0 || w <= 0)
    return err(
      'E_SHAPE',
      `${layer}: a ${kernel[0]}x${kernel[1]} window does not fit the ${x[0]}x${x[1]} input with padding "valid"; set padding "same" or use a smaller kernel`,
      0,
      { title: 'Set padding to "same"', setParams: { padding: 'same' } },
    );
  return ok([h, w, channels]);
}

/** Requires an input of at least `rank` dimensions (batch excluded). */
export function requireMinRank(layer: string, x: Shape | undefined, rank: number, what: string): ShapeResult | null {
  if (!x) return err('E_MISSING_INPUT', `${layer} needs an input`, 0);
  if (x.length < rank) return err('E_RANK', `${layer} needs at least a ${rank}-D input (${what}) but got ${fmt(x)}`, 0);
  return null;
}

/**
 * Resolves a Keras axis against an example's rank (batch excluded): negative axes count from
 * the end, positive ones count the batch as axis 0, as TF.js does. Null when out of range.
 */
export function resolveAxis(axis: number, rank: number): number | null {
  const a = axis < 0 ? rank + axis : axis - 1;
  return a >= 0 && a < rank ? a : null;
}

export const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** Common params of the 2-D convolutions. */
export const conv2dBase = {
  kernelSize: pair,
  strides: pair.default(1),
  padding: padding.default('valid'),
  activation: activationName.default('linear'),
  useBias: z.boolean().default(true),
};
