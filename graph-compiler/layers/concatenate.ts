import { z } from 'zod';
import { err, fmt, ok } from '../result.js';
import { resolveAxis } from './common.js';
import { defineLayer, noParams } from './defineLayer.js';
import { MAX_MERGE_INPUTS, mergePortNames } from './merge.js';

export const Concatenate = defineLayer({
  type: 'Concatenate',
  category: 'merge',
  doc: 'Joins its inputs along `axis` (default the channels); every other dimension must match (GoogLeNet, DenseNet).',
  params: z.object({ axis: z.number().int().default(-1) }),
  ports: { min: 2, max: MAX_MERGE_INPUTS, names: mergePortNames },
  inferShape: (inputs, p) => {
    const first = inputs[0]!;
    const axis = resolveAxis(p.axis, first.length);
    if (axis === null) return err('E_BAD_PARAMS', `Concatenate: axis ${p.axis} is outside input 0 ${fmt(first)}`, 0);
    let total = 0;
    for (let i = 0; i < inputs.length; i++) {
      const s = inputs[i]!;
      if (s.length !== first.length || s.some((d, j) => j !== axis && d !== first[j]))
        return err(
          'E_SHAPE_MISMATCH',
          `Concatenate: input ${i} has shape ${fmt(s)} but input 0 has ${fmt(first)}; all dimensions except axis ${p.axis} must match`,
          i,
        );
      total += s[axis]!;
    }
    return ok(first.map((d, j) => (j === axis ? total : d)));
  },
  paramCount: () => noParams,
  lower: (p) => ({ className: 'Concatenate', config: { axis: p.axis } }),
});
