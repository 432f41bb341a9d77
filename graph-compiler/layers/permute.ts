import { z } from 'zod';
import { err, fmt, ok } from '../result.js';
import { defineLayer, noParams } from './defineLayer.js';

export const Permute = defineLayer({
  type: 'Permute',
  category: 'reshape',
  doc: 'Reorders the axes of each example; `dims` is 1-based as in Keras, e.g. [2, 1] swaps two axes.',
  params: z.object({ dims: z.array(z.number().int().positive()).min(1) }),
  ports: { min: 1, max: 1 },
  inferShape: ([x], p) => {
    if (!x) return err('E_MISSING_INPUT', 'Permute needs an input', 0);
    const sorted = [...p.dims].sort((a, b) => a - b);
    if (p.dims.length !== x.length || sorted.some((d, i) => d !== i + 1))
      return err('E_BAD_PARAMS', `Permute: dims ${fmt(p.dims)} must be a permutation of 1..${x.length} for the input ${fmt(x)}`, 0);
    return ok(p.dims.map((d) => x[d - 1]!));
  },
  paramCount: () => noParams,
  lower: (p) => ({ className: 'Permute', config: { dims: p.dims } }),
});
