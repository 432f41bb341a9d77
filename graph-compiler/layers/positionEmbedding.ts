import { z } from 'zod';
import { ok, product } from '../result.js';
import { requireRank } from './common.js';
import { defineLayer } from './defineLayer.js';

export const PositionEmbedding = defineLayer({
  type: 'PositionEmbedding',
  category: 'embedding',
  doc: 'Adds a learned [n, d] table to a [n, d] token sequence so attention can tell positions apart.',
  params: z.object({}),
  ports: { min: 1, max: 1 },
  inferShape: ([x]) => requireRank('PositionEmbedding', x, 2, '[tokens, features]') ?? ok(x!),
  paramCount: ([x]) => ({ trainable: product(x!), nonTrainable: 0 }),
  flops: ([x]) => product(x!),
  lower: () => ({ className: 'PositionEmbedding', config: {} }),
});
