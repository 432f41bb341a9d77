import { error, type Rule } from './rule.js';

export const danglingEdgeRule: Rule = {
  name: 'danglingEdge',
  run: (g) => {
    const ids = new Set(g.nodes.map((n) => n.id));
    return g.edges.flatMap((e) => {
      const missing = [e.source, e.target].filter((id) => !ids.has(id));
      if (!missing.length) return [];
      const present = [e.source, e.target].filter((id) => ids.has(id));
      return [
        error(
          'E_DANGLING_EDGE',
          `The edge ${e.source} → ${e.target} refers to ${missing.map((m) => `"${m}"`).join(' and ')}, which does not exist; delete the edge or add the node`,
          present,
          ids.has(e.target) ? e.targetPort : undefined,
        ),
      ];
    });
  },
};
