import { z } from 'zod';
import { ok } from '../result.js';
import { conv2dBase, positiveInt, requireRank, tfjsActivation, toPair } from './common.js';
import { defineLayer } from './defineLayer.js';

/** TF.js's deconvLength: the inverse of a strided convolution's output size. */
const deconvLength = (size: number, stride: number, kernel: number, pad: 'valid' | 'same') =>
  pad === 'valid' ? size * stride + Math.max(kernel - stride, 0) : size * stride;

export const Conv2DTranspose = defineLayer({
  type: 'Conv2DTranspose',
  category: 'convolution',
  doc: 'Transposed ("up-") convolution: grows height and width by `strides`, e.g. in decoders.',
  params: z.object({ ...conv2dBase, filters: positiveInt }),
  ports: { min: 1, max: 1 },
  inferShape: ([x], p) => {
    const bad = requireRank('Conv2DTranspose', x, 3, '[height, width, channels]');
    if (bad) return bad;
    const [kh, kw] = toPair(p.kernelSize);
    const [sh, sw] = toPair(p.strides);
    return ok([deconvLength(x![0]!, sh, kh, p.padding), deconvLength(x![1]!, sw, kw, p.padding), p.filters]);
  },
  paramCount: ([x], p) => {
    const [kh, kw] = toPair(p.kernelSize);
    return { trainable: kh * kw * x![2]! * p.filters + (p.useBias ? p.filters : 0), nonTrainable: 0 };
  },
  flops: ([x], p) => {
    const [kh, kw] = toPair(p.kernelSize);
    return 2 * kh * kw * x![0]! * x![1]! * x![2]! * p.filters;
  },
  lower: (p) => ({
    className: 'Conv2DTranspose',
    config: {
      filters: p.filters,
      kernelSize: toPair(p.kernelSize),
      strides: toPair(p.strides),
      padding: p.padding,
      activation: tfjsActivation[p.activation],
      useBias: p.useBias,
    },
  }),
});
