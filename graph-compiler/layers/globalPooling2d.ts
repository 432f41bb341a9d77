/** Shared definition of the two global 2-D poolings; each has its own file that names it. */
import { z } from 'zod';
import { ok } from '../result.js';
import { requireRank } from './common.js';
import { defineLayer, noParams } from './defineLayer.js';

export function globalPooling2d(type: 'GlobalAveragePooling2D' | 'GlobalMaxPooling2D', doc: string) {
  return defineLayer({
    type,
    category: 'pooling',
    doc,
    params: z.object({}),
    ports: { min: 1, max: 1 },
    inferShape: ([x]) => requireRank(type, x, 3, '[height, width, channels]') ?? ok([x![2]!]),
    paramCount: () => noParams,
    flops: ([x]) => x![0]! * x![1]! * x![2]!,
    lower: () => ({ className: type, config: {} }),
  });
}
