/** Shared definition of the element-wise merges (Add, Multiply); each has its own file that names it. */
import { z } from 'zod';
import { err, fmt, ok, product } from '../result.js';
import { sameShape } from './common.js';
import { defineLayer, noParams } from './defineLayer.js';

export const MAX_MERGE_INPUTS = 8;
export const mergePortNames: readonly string[] = Array.from({ length: MAX_MERGE_INPUTS }, (_, i) => `input ${i}`);

export function elementwiseMerge(type: 'Add' | 'Multiply', doc: string, fix: string) {
  return defineLayer({
    type,
    category: 'merge',
    doc,
    params: z.object({}),
    ports: { min: 2, max: MAX_MERGE_INPUTS, names: mergePortNames },
    inferShape: (inputs) => {
      const first = inputs[0]!;
      for (let i = 1; i < inputs.length; i++)
        if (!sameShape(inputs[i]!, first))
          return err('E_SHAPE_MISMATCH', `${type}: input ${i} has shape ${fmt(inputs[i])} but input 0 has ${fmt(first)}; ${fix}`, i);
      return ok(first);
    },
    paramCount: () => noParams,
    flops: (inputs, _p, out) => (inputs.length - 1) * product(out),
    lower: () => ({ className: type, config: {} }),
  });
}
