import { z } from 'zod';
import { ok } from '../result.js';
import { requireRank } from './common.js';
import { defineLayer } from './defineLayer.js';

export const ClassToken = defineLayer({
  type: 'ClassToken',
  category: 'embedding',
  doc: 'Prepends a learned d-vector to a [n, d] token sequence, giving [n + 1, d] (ViT, d2l 11.8).',
  params: z.object({}),
  ports: { min: 1, max: 1 },
  inferShape: ([x]) => requireRank('ClassToken', x, 2, '[tokens, features]') ?? ok([x![0]! + 1, x![1]!]),
  paramCount: ([x]) => ({ trainable: x![1]!, nonTrainable: 0 }),
  lower: () => ({ className: 'ClassToken', config: {} }),
});
