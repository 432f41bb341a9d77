import { z } from 'zod';
import { conv2dBase, positiveInt, requireRank, tfjsActivation, toPair, window2d } from './common.js';
import { defineLayer } from './defineLayer.js';

export const DepthwiseConv2D = defineLayer({
  type: 'DepthwiseConv2D',
  category: 'convolution',
  doc: 'Convolves each input channel with its own `depthMultiplier` kernels; no mixing across channels.',
  params: z.object({ ...conv2dBase, depthMultiplier: positiveInt.default(1) }),
  ports: { min: 1, max: 1 },
  inferShape: ([x], p) =>
    requireRank('DepthwiseConv2D', x, 3, '[height, width, channels]') ??
    window2d('DepthwiseConv2D', x!, toPair(p.kernelSize), toPair(p.strides), p.padding, x![2]! * p.depthMultiplier),
  paramCount: ([x], p) => {
    const [kh, kw] = toPair(p.kernelSize);
    const out = x![2]! * p.depthMultiplier;
    return { trainable: kh * kw * out + (p.useBias ? out : 0), nonTrainable: 0 };
  },
  flops: (_in, p, out) => {
    const [kh, kw] = toPair(p.kernelSize);
    return 2 * kh * kw * out[0]! * out[1]! * out[2]!;
  },
  lower: (p) => ({
    className: 'DepthwiseConv2D',
    config: {
      kernelSize: toPair(p.kernelSize),
      strides: toPair(p.strides),
      padding: p.padding,
      depthMultiplier: p.depthMultiplier,
      activation: tfjsActivation[p.activation],
      useBias: p.useBias,
    },
  }),
});
