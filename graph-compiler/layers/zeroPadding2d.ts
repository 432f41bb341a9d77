import { z } from 'zod';
import { ok } from '../result.js';
import { requireRank } from './common.js';
import { defineLayer, noParams } from './defineLayer.js';

const nonNegInt = z.number().int().nonnegative();
/** Keras's forms: n (all sides), [rows, cols] (symmetric), or [[top, bottom], [left, right]]. */
const paddingSpec = z.union([
  nonNegInt,
  z.tuple([nonNegInt, nonNegInt]),
  z.tuple([z.tuple([nonNegInt, nonNegInt]), z.tuple([nonNegInt, nonNegInt])]),
]);
type PaddingSpec = z.infer<typeof paddingSpec>;

function toSides(p: PaddingSpec): [[number, number], [number, number]] {
  if (typeof p === 'number') return [[p, p], [p, p]];
  const [a, b] = p;
  if (typeof a === 'number' && typeof b === 'number') return [[a, a], [b, b]];
  return [a as [number, number], b as [number, number]];
}

export const ZeroPadding2D = defineLayer({
  type: 'ZeroPadding2D',
  category: 'reshape',
  doc: 'Adds rows and columns of zeros around each [height, width, channels] example.',
  params: z.object({ padding: paddingSpec.default(1) }),
  ports: { min: 1, max: 1 },
  inferShape: ([x], p) => {
    const bad = requireRank('ZeroPadding2D', x, 3, '[height, width, channels]');
    if (bad) return bad;
    const [[t, b], [l, r]] = toSides(p.padding);
    return ok([x![0]! + t + b, x![1]! + l + r, x![2]!]);
  },
  paramCount: () => noParams,
  lower: (p) => ({ className: 'ZeroPadding2D', config: { padding: toSides(p.padding) } }),
});
