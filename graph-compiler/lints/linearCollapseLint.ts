import { edgeIndex } from '../ir.js';
import { editable, insertBetween } from './fixes.js';
import { activationOf, passThrough, warn, type Lint } from './lint.js';

/** Dense → Dense with no nonlinearity between is one linear map with extra parameters (d2l 5.1.1). */
export const linearCollapseLint: Lint = {
  name: 'linearCollapse',
  run: ({ shaped, consumers }) =>
    shaped.nodes.flatMap((s) => {
      if (s.node.type !== 'Dense' || activationOf(s) !== 'linear') return [];
      const next = consumers.get(s.node.id) ?? [];
      if (next.length !== 1) return [];
      let cur = next[0]!;
      while (passThrough.has(shaped.byId.get(cur)?.node.type ?? '') && consumers.get(cur)?.length === 1) cur = consumers.get(cur)![0]!;
      if (shaped.byId.get(cur)?.node.type !== 'Dense') return [];
      const port = edgeIndex(shaped.graph).outgoing.get(s.node.id)![0]!.targetPort;
      const target = next[0]!;
      const fix = editable(shaped.graph, s.node.id, target)
        ? insertBetween(shaped.graph, `Insert a ReLU after ${s.node.id}`, s.node.id, target, port, {
            idBase: `${s.node.id}_relu`,
            type: 'Activation',
            params: { activation: 'relu' },
          })
        : undefined;
      return [
        warn(
          'W_LINEAR_COLLAPSE',
          `${s.node.id} → ${cur}: two Dense layers with no nonlinearity between them collapse into one linear layer (d2l 5.1.1); insert an activation such as ReLU between them, or delete one`,
          [s.node.id, cur],
          fix,
        ),
      ];
    }),
};
