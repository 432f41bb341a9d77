import { z } from 'zod';
import { err, fmt, ok } from '../result.js';
import { positiveInt, requireRank } from './common.js';
import { defineLayer } from './defineLayer.js';

type MhaParams = { numHeads: number; keyDim: number; valueDim?: number | undefined; useBias: boolean; outputShape?: number | undefined };
const dims = (inputs: readonly (readonly number[])[], p: MhaParams) => {
  const [q, v] = [inputs[0]!, inputs[1]!];
  const k = inputs[2] ?? v;
  return { tq: q[0]!, dq: q[1]!, tv: v[0]!, dv: v[1]!, dk: k[1]!, vd: p.valueDim ?? p.keyDim, out: p.outputShape ?? q[1]! };
};

/**
 * Keras's MultiHeadAttention on [steps, features] sequences. Port 0 is the query, 1 the value,
 * 2 the key (the value when unconnected). Lowered to the runtime's custom layer of the same name.
 */
export const MultiHeadAttention = defineLayer({
  type: 'MultiHeadAttention',
  category: 'attention',
  doc: 'Scaled dot-product attention with `numHeads` heads; the output has the query\'s shape (d2l 11.5).',
  params: z.object({
    numHeads: positiveInt,
    keyDim: positiveInt,
    valueDim: positiveInt.optional(),
    dropout: z.number().min(0).lt(1).default(0),
    useBias: z.boolean().default(true),
    outputShape: positiveInt.optional(),
    causal: z.boolean().default(false),
  }),
  ports: { min: 2, max: 3, names: ['query', 'value', 'key'] },
  inferShape: (inputs, p) => {
    const names = ['query', 'value', 'key'];
    for (let i = 0; i < inputs.length; i++) {
      const s = inputs[i]!;
      if (s.length !== 2)
        return err('E_RANK', `MultiHeadAttention: the ${names[i]} must be [steps, features] but got ${fmt(s)}; insert a Reshape before it`, i);
    }
    const [q, v, k] = inputs;
    if (k && k[0] !== v![0])
      return err('E_SHAPE_MISMATCH', `MultiHeadAttention: key has shape ${fmt(k)} but value has ${fmt(v)}; key and value need the same number of steps`, 2);
    if (p.causal && q![0] !== v![0])
      return err('E_SHAPE_MISMATCH', `MultiHeadAttention: a causal mask needs as many query steps as value steps, but query has ${fmt(q)} and value ${fmt(v)}`, 1);
    return requireRank('MultiHeadAttention', q, 2, '[steps, features]') ?? ok([q![0]!, p.outputShape ?? q![1]!]);
  },
  paramCount: (inputs, p) => {
    const d = dims(inputs, p);
    const h = p.numHeads;
    const weights = d.dq * h * p.keyDim + d.dk * h * p.keyDim + d.dv * h * d.vd + h * d.vd * d.out;
    const biases = p.useBias ? 2 * h * p.keyDim + h * d.vd + d.out : 0;
    return { trainable: weights + biases, nonTrainable: 0 };
  },
  flops: (inputs, p) => {
    const d = dims(inputs, p);
    const h = p.numHeads;
    const proj = d.tq * d.dq * h * p.keyDim + d.tv * d.dk * h * p.keyDim + d.tv * d.dv * h * d.vd;
    const attend = h * d.tq * d.tv * (p.keyDim + d.vd);
    return 2 * (proj + attend + d.tq * h * d.vd * d.out);
  },
  lower: (p, inputs) => ({
    className: 'MultiHeadAttention',
    config: {
      numHeads: p.numHeads,
      keyDim: p.keyDim,
      valueDim: p.valueDim ?? p.keyDim,
      dropout: p.dropout,
      useBias: p.useBias,
      outputShape: p.outputShape ?? inputs[0]![1]!,
      causal: p.causal,
    },
  }),
});
