import { z } from 'zod';
import { activationName, pair, padding, positiveInt, requireRank, tfjsActivation, toPair, window2d } from './common.js';
import { defineLayer } from './defineLayer.js';

export const Conv2D = defineLayer({
  type: 'Conv2D',
  category: 'convolution',
  doc: '2-D convolution over an [height, width, channels] input with `filters` learned kernels.',
  params: z.object({
    filters: positiveInt,
    kernelSize: pair,
    strides: pair.default(1),
    padding: padding.default('valid'),
    dilationRate: pair.default(1),
    activation: activationName.default('linear'),
    useBias: z.boolean().default(true),
  }),
  ports: { min: 1, max: 1 },
  inferShape: ([x], p) =>
    requireRank('Conv2D', x, 3, '[height, width, channels]') ??
    window2d('Conv2D', x!, toPair(p.kernelSize), toPair(p.strides), p.padding, p.filters, toPair(p.dilationRate)),
  paramCount: ([x], p) => {
    const [kh, kw] = toPair(p.kernelSize);
    return { trainable: kh * kw * x![2]! * p.filters + (p.useBias ? p.filters : 0), nonTrainable: 0 };
  },
  flops: ([x], p, out) => {
    const [kh, kw] = toPair(p.kernelSize);
    return 2 * kh * kw * x![2]! * out[0]! * out[1]! * p.filters;
  },
  lower: (p) => ({
    className: 'Conv2D',
    config: {
      filters: p.filters,
      kernelSize: toPair(p.kernelSize),
      strides: toPair(p.strides),
      padding: p.padding,
      dilationRate: toPair(p.dilationRate),
      activation: tfjsActivation[p.activation],
      useBias: p.useBias,
    },
  }),
});
