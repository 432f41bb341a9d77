import { z } from 'zod';
import { err, fmt, ok, product } from '../result.js';
import { resolveAxis } from './common.js';
import { defineLayer } from './defineLayer.js';

/**
 * gamma and beta are trainable; the moving mean and variance count as parameters but not
 * trainable ones (PyTorch keeps them as buffers). `momentum` is Keras's: the moving average
 * keeps `momentum` of its old value, so PyTorch's momentum 0.1 is 0.9 here.
 */
export const BatchNormalization = defineLayer({
  type: 'BatchNormalization',
  category: 'normalization',
  doc: 'Normalises each channel over the batch, then scales and shifts it (d2l 8.5).',
  params: z.object({
    axis: z.number().int().default(-1),
    momentum: z.number().min(0).max(1).default(0.99),
    epsilon: z.number().positive().default(0.001),
  }),
  ports: { min: 1, max: 1 },
  inferShape: ([x], p) => {
    if (!x) return err('E_MISSING_INPUT', 'BatchNormalization needs an input', 0);
    return resolveAxis(p.axis, x.length) === null
      ? err('E_BAD_PARAMS', `BatchNormalization: axis ${p.axis} is outside the input ${fmt(x)}`, 0)
      : ok(x);
  },
  paramCount: ([x], p) => {
    const c = x![resolveAxis(p.axis, x!.length)!]!;
    return { trainable: 2 * c, nonTrainable: 2 * c };
  },
  flops: (_in, _p, out) => 2 * product(out),
  lower: (p) => ({ className: 'BatchNormalization', config: { axis: p.axis, momentum: p.momentum, epsilon: p.epsilon } }),
});
