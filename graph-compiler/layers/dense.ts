import { z } from 'zod';
import { err, ok } from '../result.js';
import { activationName, positiveInt, tfjsActivation } from './common.js';
import { defineLayer } from './defineLayer.js';

export const Dense = defineLayer({
  type: 'Dense',
  category: 'core',
  doc: 'Fully connected layer: y = activation(x W + b), applied to the last axis.',
  params: z.object({
    units: positiveInt,
    activation: activationName.default('linear'),
    useBias: z.boolean().default(true),
  }),
  ports: { min: 1, max: 1 },
  inferShape: ([x], p) =>
    !x || x.length < 1 ? err('E_RANK', 'Dense needs at least a 1-D input', 0) : ok([...x.slice(0, -1), p.units]),
  paramCount: ([x], p) => ({ trainable: x!.at(-1)! * p.units + (p.useBias ? p.units : 0), nonTrainable: 0 }),
  flops: ([x], p) => 2 * x!.reduce((a, b) => a * b, 1) * p.units,
  lower: (p) => ({ className: 'Dense', config: { units: p.units, activation: tfjsActivation[p.activation], useBias: p.useBias } }),
});
