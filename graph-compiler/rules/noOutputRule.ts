import { error, type Rule } from './rule.js';

export const noOutputRule: Rule = {
  name: 'noOutput',
  run: (g) => {
    if (g.outputs) {
      const ids = new Set(g.nodes.map((n) => n.id));
      const bad = g.outputs.filter((o) => !ids.has(o));
      if (bad.length) return [error('E_UNKNOWN_OUTPUT', `"outputs" names ${bad.map((b) => `"${b}"`).join(', ')}, which is not a node; fix the name or remove it`, [])];
      if (g.outputs.length) return [];
    }
    const sources = new Set<string>(g.edges.map((e) => e.source));
    const hasSink = g.nodes.some((n) => !sources.has(n.id));
    return g.nodes.length === 0 || !hasSink ? [error('E_NO_OUTPUT', 'The graph has no output; add a layer that nothing consumes (e.g. Dense with 10 units)', [])] : [];
  },
};
