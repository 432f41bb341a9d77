import { edgeIndex } from '../ir.js';
import { layers } from '../layers/registry.js';
import { error, type Rule } from './rule.js';

/** Each layer takes between ports.min and ports.max inputs, on ports 0..max-1 with no gaps. */
export const inputArityRule: Rule = {
  name: 'inputArity',
  run: (g) => {
    const { incoming } = edgeIndex(g);
    return g.nodes.flatMap((n) => {
      const def = layers.get(n.type);
      if (!def) return [];
      const edges = incoming.get(n.id) ?? [];
      const { min, max, names } = def.ports;
      // Common case: ports 0..k-1 each used once (incoming is sorted by port), with min <= k <= max.
      if (edges.length >= min && edges.length <= max && edges.every((e, i) => e.targetPort === i)) return [];
      const used = edges.map((e) => e.targetPort);
      const name = (p: number) => names?.[p] ?? `input ${p}`;
      const out = [];
      const tooHigh = used.filter((p) => p >= max);
      if (tooHigh.length)
        out.push(
          error(
            'E_TOO_MANY_INPUTS',
            max === 0
              ? `${n.id}: ${n.type} takes no inputs; remove the edge into it`
              : `${n.id}: ${n.type} takes at most ${max} input${max > 1 ? 's' : ''}; remove the extra edge or merge the inputs with Add or Concatenate first`,
            [n.id],
            tooHigh[0],
          ),
        );
      const seen = new Set<number>();
      for (const p of used) {
        if (seen.has(p) && p < max) out.push(error('E_TOO_MANY_INPUTS', `${n.id}: two edges go into ${name(p)}; remove one`, [n.id], p));
        seen.add(p);
      }
      const top = Math.max(min, ...used.filter((p) => p < max).map((p) => p + 1));
      for (let p = 0; p < top; p++)
        if (!seen.has(p))
          out.push(
            error(
              'E_MISSING_INPUT',
              p < min ? `${n.id}: ${n.type} needs ${name(p)}; connect a node to it` : `${n.id}: ${name(p)} is empty but a later port is connected; connect ${name(p)}`,
              [n.id],
              p,
            ),
          );
      return out;
    });
  },
};
