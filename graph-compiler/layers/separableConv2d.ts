import { z } from 'zod';
import { conv2dBase, positiveInt, requireRank, tfjsActivation, toPair, window2d } from './common.js';
import { defineLayer } from './defineLayer.js';

/** Counted as PyTorch would build it: a bias-free depthwise conv then a 1x1 conv with the bias. */
export const SeparableConv2D = defineLayer({
  type: 'SeparableConv2D',
  category: 'convolution',
  doc: 'A depthwise convolution followed by a 1x1 pointwise convolution to `filters` channels.',
  params: z.object({ ...conv2dBase, filters: positiveInt, depthMultiplier: positiveInt.default(1) }),
  ports: { min: 1, max: 1 },
  inferShape: ([x], p) =>
    requireRank('SeparableConv2D', x, 3, '[height, width, channels]') ??
    window2d('SeparableConv2D', x!, toPair(p.kernelSize), toPair(p.strides), p.padding, p.filters),
  paramCount: ([x], p) => {
    const [kh, kw] = toPair(p.kernelSize);
    const mid = x![2]! * p.depthMultiplier;
    return { trainable: kh * kw * mid + mid * p.filters + (p.useBias ? p.filters : 0), nonTrainable: 0 };
  },
  flops: ([x], p, out) => {
    const [kh, kw] = toPair(p.kernelSize);
    const mid = x![2]! * p.depthMultiplier;
    return 2 * out[0]! * out[1]! * (kh * kw * mid + mid * p.filters);
  },
  lower: (p) => ({
    className: 'SeparableConv2D',
    config: {
      filters: p.filters,
      kernelSize: toPair(p.kernelSize),
      strides: toPair(p.strides),
      padding: p.padding,
      depthMultiplier: p.depthMultiplier,
      activation: tfjsActivation[p.activation],
      useBias: p.useBias,
    },
  }),
});
