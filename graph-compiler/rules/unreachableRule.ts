import { edgeIndex } from '../ir.js';
import { warning, type Rule } from './rule.js';

/** Nodes that no Input reaches never compute anything. */
export const unreachableRule: Rule = {
  name: 'unreachable',
  run: (g) => {
    const queue = g.nodes.filter((n) => n.type === 'Input').map((n) => n.id);
    if (!queue.length) return [];
    const reached = new Set<string>(queue);
    const { outgoing } = edgeIndex(g);
    for (let i = 0; i < queue.length; i++)
      for (const e of outgoing.get(queue[i]!) ?? [])
        if (!reached.has(e.target)) {
          reached.add(e.target);
          queue.push(e.target);
        }
    return g.nodes
      .filter((n) => !reached.has(n.id))
      .map((n) => warning('W_UNREACHABLE', `${n.id} is not connected to any Input, so it never runs; connect it or delete it`, [n.id]));
  },
};
