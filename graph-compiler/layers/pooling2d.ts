/** Shared definition of the two 2-D pooling layers; each has its own file that names it. */
import { z } from 'zod';
import { pair, padding, requireRank, toPair, window2d } from './common.js';
import { defineLayer, noParams } from './defineLayer.js';

export function pooling2d(type: 'MaxPooling2D' | 'AveragePooling2D', doc: string) {
  return defineLayer({
    type,
    category: 'pooling',
    doc,
    params: z.object({
      poolSize: pair.default(2),
      strides: pair.optional(),
      padding: padding.default('valid'),
    }),
    ports: { min: 1, max: 1 },
    inferShape: ([x], p) =>
      requireRank(type, x, 3, '[height, width, channels]') ??
      window2d(type, x!, toPair(p.poolSize), toPair(p.strides ?? p.poolSize), p.padding, x![2]!),
    paramCount: () => noParams,
    flops: (_in, p, out) => {
      const [kh, kw] = toPair(p.poolSize);
      return kh * kw * out[0]! * out[1]! * out[2]!;
    },
    lower: (p) => ({
      className: type,
      config: { poolSize: toPair(p.poolSize), strides: toPair(p.strides ?? p.poolSize), padding: p.padding },
    }),
  });
}
