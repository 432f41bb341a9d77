import { z } from 'zod';
import { err, fmt, ok, product } from '../result.js';
import { defineLayer, noParams } from './defineLayer.js';

export const Reshape = defineLayer({
  type: 'Reshape',
  category: 'reshape',
  doc: 'Reshapes each example to `targetShape` (one entry may be -1 to infer it); the element count must match.',
  params: z.object({
    targetShape: z
      .array(z.number().int().refine((d) => d > 0 || d === -1, 'each dimension is a positive integer or -1'))
      .min(1)
      .refine((s) => s.filter((d) => d === -1).length <= 1, 'at most one dimension may be -1'),
  }),
  ports: { min: 1, max: 1 },
  inferShape: ([x], p) => {
    if (!x) return err('E_MISSING_INPUT', 'Reshape needs an input', 0);
    const total = product(x);
    const known = product(p.targetShape.filter((d) => d !== -1));
    const free = p.targetShape.indexOf(-1);
    if (free >= 0) {
      if (total % known !== 0)
        return err('E_SHAPE', `Reshape: ${fmt(x)} has ${total} elements, not a multiple of ${known}; change targetShape`, 0);
      return ok(p.targetShape.map((d) => (d === -1 ? total / known : d)));
    }
    if (known !== total)
      return err('E_SHAPE', `Reshape: ${fmt(x)} has ${total} elements but targetShape ${fmt(p.targetShape)} has ${known}; make the products equal`, 0);
    return ok(p.targetShape);
  },
  paramCount: () => noParams,
  lower: (p) => ({ className: 'Reshape', config: { targetShape: p.targetShape } }),
});
