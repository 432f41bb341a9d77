import { z } from 'zod';
import { err, ok } from '../result.js';
import { activationName, convOutputLength, padding, positiveInt, requireRank, tfjsActivation } from './common.js';
import { defineLayer } from './defineLayer.js';

export const Conv1D = defineLayer({
  type: 'Conv1D',
  category: 'convolution',
  doc: '1-D convolution over a [steps, channels] sequence with `filters` learned kernels.',
  params: z.object({
    filters: positiveInt,
    kernelSize: positiveInt,
    strides: positiveInt.default(1),
    padding: padding.default('valid'),
    dilationRate: positiveInt.default(1),
    activation: activationName.default('linear'),
    useBias: z.boolean().default(true),
  }),
  ports: { min: 1, max: 1 },
  inferShape: ([x], p) => {
    const bad = requireRank('Conv1D', x, 2, '[steps, channels]');
    if (bad) return bad;
    const len = convOutputLength(x![0]!, p.kernelSize, p.padding, p.strides, p.dilationRate);
    if (len <= 0)
      return err('E_SHAPE', `Conv1D: a kernel of ${p.kernelSize} does not fit ${x![0]} steps with padding "valid"; set padding "same" or use a smaller kernel`, 0);
    return ok([len, p.filters]);
  },
  paramCount: ([x], p) => ({ trainable: p.kernelSize * x![1]! * p.filters + (p.useBias ? p.filters : 0), nonTrainable: 0 }),
  flops: ([x], p, out) => 2 * p.kernelSize * x![1]! * out[0]! * p.filters,
  lower: (p) => ({
    className: 'Conv1D',
    config: {
      filters: p.filters,
      kernelSize: p.kernelSize,
      strides: p.strides,
      padding: p.padding,
      dilationRate: p.dilationRate,
      activation: tfjsActivation[p.activation],
      useBias: p.useBias,
    },
  }),
});
