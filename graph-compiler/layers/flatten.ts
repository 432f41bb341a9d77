import { z } from 'zod';
import { err, ok, product } from '../result.js';
import { defineLayer, noParams } from './defineLayer.js';

export const Flatten = defineLayer({
  type: 'Flatten',
  category: 'reshape',
  doc: 'Flattens each example to a vector, e.g. [5, 5, 16] to [400].',
  params: z.object({}),
  ports: { min: 1, max: 1 },
  inferShape: ([x]) => (!x ? err('E_MISSING_INPUT', 'Flatten needs an input', 0) : ok([product(x)])),
  paramCount: () => noParams,
  lower: () => ({ className: 'Flatten', config: {} }),
});
