import { z } from 'zod';
import { err, ok } from '../result.js';
import { defineLayer, noParams } from './defineLayer.js';
import { positiveInt } from './common.js';

export const Input = defineLayer({
  type: 'Input',
  category: 'core',
  doc: 'The per-example input tensor, channels-last, batch dimension excluded (e.g. [28, 28, 1]).',
  params: z.object({ shape: z.array(positiveInt).min(1).max(4) }),
  ports: { min: 0, max: 0 },
  inferShape: (_inputs, p) => (p.shape.length ? ok(p.shape) : err('E_BAD_PARAMS', 'Input needs a shape')),
  paramCount: () => noParams,
  lower: (p) => ({ className: 'InputLayer', config: { batchInputShape: [null, ...p.shape] } }),
});
