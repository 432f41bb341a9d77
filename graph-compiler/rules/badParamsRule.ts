import { layers, parseParams } from '../layers/registry.js';
import { error, type Rule } from './rule.js';

/** Each layer validates its params with its own zod schema; one diagnostic per bad field. */
export const badParamsRule: Rule = {
  name: 'badParams',
  run: (g) =>
    g.nodes.flatMap((n) => {
      const def = layers.get(n.type);
      if (!def) return [];
      const r = parseParams(def, n.params);
      if (r.success) return [];
      return r.error.issues.map((i) =>
        error('E_BAD_PARAMS', `${n.id} (${n.type}): ${i.path.length ? `param "${i.path.join('.')}"` : 'params'}: ${i.message}`, [n.id]),
      );
    }),
};
