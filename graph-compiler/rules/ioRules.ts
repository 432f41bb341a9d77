import { error, warning, type Rule } from './rule.js';

export const noInputRule: Rule = {
  name: 'noInput',
  run: (g) =>
    g.nodes.length > 0 && !g.nodes.some((n) => n.type === 'Input')
      ? [error('E_NO_INPUT', 'The graph has no Input node; add one from the palette and set its shape, e.g. [28, 28, 1]', [])]
      : [],
};

export const noOutputRule: Rule = {
  name: 'noOutput',
  run: (g) => {
    if (g.outputs) {
      const ids = new Set(g.nodes.map((n) => n.id));
      const bad = g.outputs.filter((o) => !ids.has(o));
      if (bad.length) return [error('E_UNKNOWN_OUTPUT', `"outputs" names ${bad.map((b) => `"${b}"`).join(', ')}, which is not a node; fix the name or remove it`, [])];
      if (g.outputs.length) return [];
    }
    const hasSink = g.nodes.some((n) => !g.edges.some((e) => e.source === n.id));
    return g.nodes.length === 0 || !hasSink ? [error('E_NO_OUTPUT', 'The graph has no output; add a layer that nothing consumes (e.g. Dense with 10 units)', [])] : [];
  },
};

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
