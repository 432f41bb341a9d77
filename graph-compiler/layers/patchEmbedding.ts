import { z } from 'zod';
import { err, fmt, ok } from '../result.js';
import { positiveInt, requireRank } from './common.js';
import { defineLayer } from './defineLayer.js';

/** A Conv2D with kernel = stride = patchSize, then a reshape to [patches, dim]; lowered to the runtime's custom layer. */
export const PatchEmbedding = defineLayer({
  type: 'PatchEmbedding',
  category: 'embedding',
  doc: 'Cuts an image into patchSize x patchSize patches and projects each to a `dim` vector: [h, w, c] to [patches, dim] (ViT).',
  params: z.object({ patchSize: positiveInt, dim: positiveInt }),
  ports: { min: 1, max: 1 },
  inferShape: ([x], p) => {
    const bad = requireRank('PatchEmbedding', x, 3, '[height, width, channels]');
    if (bad) return bad;
    const [h, w] = [x![0]!, x![1]!];
    if (h % p.patchSize || w % p.patchSize)
      return err('E_SHAPE', `PatchEmbedding: the ${fmt(x)} image does not divide into ${p.patchSize}x${p.patchSize} patches; pick a patchSize dividing ${h} and ${w}`, 0);
    return ok([(h / p.patchSize) * (w / p.patchSize), p.dim]);
  },
  paramCount: ([x], p) => ({ trainable: p.patchSize * p.patchSize * x![2]! * p.dim + p.dim, nonTrainable: 0 }),
  flops: ([x], p) => 2 * x![0]! * x![1]! * x![2]! * p.dim,
  lower: (p) => ({ className: 'PatchEmbedding', config: { patchSize: p.patchSize, dim: p.dim } }),
});
