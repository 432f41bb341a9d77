import { layers } from '../layers/registry.js';
import { error, type Rule } from './rule.js';

/** Runs after block expansion, so any remaining unknown type is neither a layer nor a block. */
export const unknownTypeRule: Rule = {
  name: 'unknownType',
  run: (g) =>
    g.nodes
      .filter((n) => !layers.has(n.type))
      .map((n) => error('E_UNKNOWN_TYPE', `${n.id}: "${n.type}" is not a layer type or a block of this document; ${suggest(n.type)}`, [n.id])),
};

function suggest(type: string): string {
  const lower = type.toLowerCase();
  const keys = [...layers.keys()];
  const close = keys.find((k) => k.toLowerCase() === lower) ?? keys.find((k) => k.toLowerCase().startsWith(lower.slice(0, 4)));
  return close ? `did you mean "${close}"?` : 'pick a type from the palette';
}
