import { z } from 'zod';
import { err, ok } from '../result.js';
import { defineLayer, noParams } from './defineLayer.js';

export const Dropout = defineLayer({
  type: 'Dropout',
  category: 'core',
  doc: 'During training, zeroes each element with probability `rate` and scales the rest by 1/(1-rate).',
  params: z.object({ rate: z.number().min(0).lt(1).default(0.5) }),
  ports: { min: 1, max: 1 },
  inferShape: ([x]) => (!x ? err('E_MISSING_INPUT', 'Dropout needs an input', 0) : ok(x)),
  paramCount: () => noParams,
  lower: (p) => ({ className: 'Dropout', config: { rate: p.rate } }),
});
