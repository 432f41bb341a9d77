import { error, type Rule } from './rule.js';

export const noInputRule: Rule = {
  name: 'noInput',
  run: (g) =>
    g.nodes.length > 0 && !g.nodes.some((n) => n.type === 'Input')
      ? [error('E_NO_INPUT', 'The graph has no Input node; add one from the palette and set its shape, e.g. [28, 28, 1]', [])]
      : [],
};
