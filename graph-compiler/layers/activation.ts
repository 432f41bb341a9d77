import { z } from 'zod';
import { err, ok, product } from '../result.js';
import { activationName, tfjsActivation } from './common.js';
import { defineLayer, noParams } from './defineLayer.js';

export const Activation = defineLayer({
  type: 'Activation',
  category: 'activation',
  doc: 'Applies a nonlinearity element-wise; the shape is unchanged.',
  params: z.object({ activation: activationName.default('relu') }),
  ports: { min: 1, max: 1 },
  inferShape: ([x]) => (!x ? err('E_MISSING_INPUT', 'Activation needs an input', 0) : ok(x)),
  paramCount: () => noParams,
  flops: (_in, _p, out) => product(out),
  lower: (p) =>
    p.activation === 'leakyRelu'
      ? { className: 'LeakyReLU', config: { alpha: 0.01 } }
      : { className: 'Activation', config: { activation: tfjsActivation[p.activation] } },
});
