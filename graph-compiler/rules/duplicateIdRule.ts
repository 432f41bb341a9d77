import { error, type Rule } from './rule.js';

export const duplicateIdRule: Rule = {
  name: 'duplicateId',
  run: (g) => {
    const seen = new Set<string>();
    const dups = new Set<string>();
    for (const n of g.nodes) (seen.has(n.id) ? dups : seen).add(n.id);
    return [...dups].map((id) => error('E_DUPLICATE_ID', `Two nodes share the id "${id}"; rename one of them`, [id]));
  },
};
