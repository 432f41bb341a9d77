import { editable } from './fixes.js';
import { warn, type Lint } from './lint.js';

/** Dropout on the output randomly zeroes the predictions themselves, not hidden units (d2l 5.6). */
export const dropoutAtEndLint: Lint = {
  name: 'dropoutAtEnd',
  run: ({ shaped, outputs }) =>
    outputs.flatMap((id) => {
      const s = shaped.byId.get(id as never);
      if (s?.node.type !== 'Dropout') return [];
      const fix = editable(shaped.graph, id) ? { title: `Remove ${id}`, patch: [{ op: 'removeNode' as const, nodeId: id, reconnect: true }] } : undefined;
      return [
        warn(
          'W_DROPOUT_AT_END',
          `${id}: Dropout after the final layer zeroes random outputs during training (d2l 5.6 applies it to hidden layers); remove it or move it before the last Dense`,
          [id],
          fix,
        ),
      ];
    }),
};
