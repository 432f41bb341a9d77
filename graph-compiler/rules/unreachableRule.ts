import { warning, type Rule } from './rule.js';

/** Nodes that no Input reaches never compute anything. */
export const unreachableRule: Rule = {
  name: 'unreachable',
  run: (g) => {
    const reached = new Set(g.nodes.filter((n) => n.type === 'Input').map((n) => n.id as string));
    if (!reached.size) return [];
    let grew = true;
    while (grew) {
      grew = false;
      for (const e of g.edges)
        if (reached.has(e.source) && !reached.has(e.target)) {
          reached.add(e.target);
          grew = true;
        }
    }
    return g.nodes
      .filter((n) => !reached.has(n.id))
      .map((n) => warning('W_UNREACHABLE', `${n.id} is not connected to any Input, so it never runs; connect it or delete it`, [n.id]));
  },
};
