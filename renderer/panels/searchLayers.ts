/** The palette's search: every layer of the registry plus the document's blocks, grouped by category. */
import type { BlockDef } from '../../contracts/index.js';
import { layers, type LayerCategory } from '../../graph-compiler/index.js';

const categoryOrder: readonly (LayerCategory | 'blocks')[] = ['blocks', 'core', 'convolution', 'pooling', 'normalization', 'activation', 'reshape', 'merge', 'embedding', 'recurrent', 'attention'];
export const categoryTitle = (c: string) => (c === 'blocks' ? 'Blocks in this graph' : c.charAt(0).toUpperCase() + c.slice(1));

/** Layers whose type, category or doc mention every word of the query, grouped by category. */
export function searchLayers(query: string, blocks: Readonly<Record<string, BlockDef>> = {}): [string, { type: string; doc: string }[]][] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const groups = new Map<string, { type: string; doc: string }[]>();
  const blockItems = Object.entries(blocks)
    .filter(([name]) => !layers.has(name))
    .map(([name, b]) => ({ type: name, category: 'blocks', doc: b.description ?? `Block of ${b.nodes.length} layers defined in this document` }));
  for (const l of [...blockItems, ...layers.values()]) {
    const hay = `${l.type} ${l.category} ${l.doc}`.toLowerCase();
    if (!words.every((w) => hay.includes(w))) continue;
    const g = groups.get(l.category) ?? [];
    groups.set(l.category, g);
    g.push({ type: l.type, doc: l.doc });
  }
  const rank = (c: string) => {
    const i = categoryOrder.indexOf(c as LayerCategory | 'blocks');
    return i < 0 ? categoryOrder.length : i;
  };
  return [...groups.entries()].sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]));
}

