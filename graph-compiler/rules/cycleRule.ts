import { topoOrder } from '../ir.js';
import { error, type Rule } from './rule.js';

/** Reports one cycle by its nodes, in order, found by walking back from a node Kahn could not place. */
export const cycleRule: Rule = {
  name: 'cycle',
  run: (g) => {
    const { order, complete } = topoOrder(g);
    if (complete) return [];
    const placed = new Set<string>(order);
    const preds = new Map<string, string>();
    for (const e of g.edges) if (!placed.has(e.source) && !placed.has(e.target)) preds.set(e.target, e.source);
    let cur: string | undefined = g.nodes.find((n) => !placed.has(n.id) && preds.has(n.id))?.id;
    const path: string[] = [];
    const at = new Map<string, number>();
    while (cur !== undefined && !at.has(cur)) {
      at.set(cur, path.length);
      path.push(cur);
      cur = preds.get(cur);
    }
    const found = cur === undefined ? path : path.slice(at.get(cur)).reverse();
    // Start at the cycle's node that comes first in the document, so the report is stable.
    const rank = new Map(g.nodes.map((n, i) => [n.id as string, i]));
    const first = found.reduce((best, id, i) => (rank.get(id)! < rank.get(found[best]!)! ? i : best), 0);
    const cycle = [...found.slice(first), ...found.slice(0, first)];
    return [error('E_CYCLE', `These nodes form a cycle: ${[...cycle, cycle[0]].join(' → ')}; a network must be acyclic, so remove one of these edges`, cycle)];
  },
};
