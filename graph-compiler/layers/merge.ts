/** Shared definition of the element-wise merges (Add, Multiply); each has its own file that names it. */
import { z } from 'zod';
import type { Shape } from '../../contracts/index.js';
import { err, fmt, ok, product, type ShapeFix } from '../result.js';
import { sameShape } from './common.js';
import { defineLayer, noParams } from './defineLayer.js';

export const MAX_MERGE_INPUTS = 8;
export const mergePortNames: readonly string[] = Array.from({ length: MAX_MERGE_INPUTS }, (_, i) => `input ${i}`);

/**
 * The usual residual mistake: the shortcut keeps the block's input shape while the main path
 * changed channels and maybe halved height and width. A 1x1 Conv2D with the main path's
 * channels and stride = the size ratio on the shortcut (the larger input) repairs it (d2l 8.6).
 */
function projection(inputs: readonly Shape[], i: number): ShapeFix | undefined {
  const [a, b] = [inputs[0]!, inputs[i]!];
  if (a.length !== 3 || b.length !== 3) return undefined;
  // The shortcut is the input with more positions; on a tie, the later port (d2l writes Y + X).
  const aLarger = a[0]! * a[1]! > b[0]! * b[1]!;
  const [short, main, port] = aLarger ? [a, b, 0] : [b, a, i];
  if (short[0]! < main[0]! || short[1]! < main[1]!) return undefined;
  if (short[0]! % main[0]! || short[1]! % main[1]!) return undefined;
  const strides = [short[0]! / main[0]!, short[1]! / main[1]!];
  return {
    title: `Insert a 1x1 Conv2D projection (${main[2]} filters, stride ${strides[0] === strides[1] ? strides[0] : `[${strides.join(', ')}]`}) on the shortcut`,
    insertBefore: { port, type: 'Conv2D', params: { filters: main[2]!, kernelSize: 1, strides: strides[0] === strides[1] ? strides[0]! : strides } },
  };
}

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
          return err('E_SHAPE_MISMATCH', `${type}: input ${i} has shape ${fmt(inputs[i])} but input 0 has ${fmt(first)}; ${fix}`, i, projection(inputs, i));
      return ok(first);
    },
    paramCount: () => noParams,
    flops: (inputs, _p, out) => (inputs.length - 1) * product(out),
    lower: () => ({ className: type, config: {} }),
  });
}
