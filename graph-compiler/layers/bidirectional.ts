import { z } from 'zod';
import { defineLayer } from './defineLayer.js';
import { recurrentConfig, recurrentCount, recurrentFlops, recurrentParams, recurrentShape, recurrentTypes } from './recurrent.js';

const mergeMode = z.enum(['concat', 'sum', 'mul', 'ave']);

/** Lowers to the runtime's `LayerlabBidirectional`, which builds the wrapped RNN from plain config. */
export const Bidirectional = defineLayer({
  type: 'Bidirectional',
  category: 'recurrent',
  doc: 'Runs an RNN forwards and backwards over the sequence and merges both (d2l 10.4).',
  params: z.object({ layer: z.enum(recurrentTypes).default('LSTM'), ...recurrentParams, mergeMode: mergeMode.default('concat') }),
  ports: { min: 1, max: 1 },
  inferShape: ([x], p) => recurrentShape('Bidirectional', x, p, p.mergeMode === 'concat' ? 2 * p.units : p.units),
  paramCount: ([x], p) => ({ trainable: 2 * recurrentCount(p.layer, x!, p).trainable, nonTrainable: 0 }),
  flops: ([x], p) => 2 * recurrentFlops(p.layer, x!, p),
  lower: (p) => ({
    className: 'LayerlabBidirectional',
    config: { layer: { className: p.layer, config: recurrentConfig(p.layer, p) }, mergeMode: p.mergeMode },
  }),
});
