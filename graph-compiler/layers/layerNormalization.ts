import { z } from 'zod';
import { err, fmt, ok, product } from '../result.js';
import { resolveAxis } from './common.js';
import { defineLayer } from './defineLayer.js';

export const LayerNormalization = defineLayer({
  type: 'LayerNormalization',
  category: 'normalization',
  doc: 'Normalises each example over its last axis, then scales and shifts it (Transformers, d2l 11.7).',
  params: z.object({ axis: z.number().int().default(-1), epsilon: z.number().positive().default(0.001) }),
  ports: { min: 1, max: 1 },
  inferShape: ([x], p) => {
    if (!x) return err('E_MISSING_INPUT', 'LayerNormalization needs an input', 0);
    return resolveAxis(p.axis, x.length) === null
      ? err('E_BAD_PARAMS', `LayerNormalization: axis ${p.axis} is outside the input ${fmt(x)}`, 0)
      : ok(x);
  },
  paramCount: ([x], p) => ({ trainable: 2 * x![resolveAxis(p.axis, x!.length)!]!, nonTrainable: 0 }),
  flops: (_in, _p, out) => 5 * product(out),
  lower: (p) => ({ className: 'LayerNormalization', config: { axis: p.axis, epsilon: p.epsilon } }),
});
