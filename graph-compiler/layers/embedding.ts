import { z } from 'zod';
import { err, ok } from '../result.js';
import { positiveInt } from './common.js';
import { defineLayer } from './defineLayer.js';

export const Embedding = defineLayer({
  type: 'Embedding',
  category: 'embedding',
  doc: 'Looks up a learned `outputDim` vector for each integer token id in [0, inputDim).',
  params: z.object({ inputDim: positiveInt, outputDim: positiveInt }),
  ports: { min: 1, max: 1 },
  inferShape: ([x], p) => (!x ? err('E_MISSING_INPUT', 'Embedding needs an input', 0) : ok([...x, p.outputDim])),
  paramCount: (_in, p) => ({ trainable: p.inputDim * p.outputDim, nonTrainable: 0 }),
  lower: (p) => ({ className: 'Embedding', config: { inputDim: p.inputDim, outputDim: p.outputDim } }),
});
