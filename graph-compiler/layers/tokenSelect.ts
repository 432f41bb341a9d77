import { z } from 'zod';
import { err, fmt, ok } from '../result.js';
import { requireRank } from './common.js';
import { defineLayer, noParams } from './defineLayer.js';

export const TokenSelect = defineLayer({
  type: 'TokenSelect',
  category: 'reshape',
  doc: 'Picks token `index` from a [n, d] sequence, giving [d] (e.g. the class token for the ViT head).',
  params: z.object({ index: z.number().int().nonnegative().default(0) }),
  ports: { min: 1, max: 1 },
  inferShape: ([x], p) => {
    const bad = requireRank('TokenSelect', x, 2, '[tokens, features]');
    if (bad) return bad;
    if (p.index >= x![0]!) return err('E_BAD_PARAMS', `TokenSelect: index ${p.index} is past the last token of ${fmt(x)}; use 0..${x![0]! - 1}`, 0);
    return ok([x![1]!]);
  },
  paramCount: () => noParams,
  lower: (p) => ({ className: 'TokenSelect', config: { index: p.index } }),
});
