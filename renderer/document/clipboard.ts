/**
 * Copy and paste of a selection: the nodes and the edges between them. Pasting gives every node a
 * fresh id (so the copy never collides) and offsets it so it does not cover the original.
 */
import type { GraphDocument, GraphEdge, GraphNode } from '../../contracts/index.js';
import { freshId, type Command } from './commands.js';

export interface Clip {
  readonly nodes: readonly GraphNode[];
  /** Only edges whose both ends are in the clip. */
  readonly edges: readonly GraphEdge[];
}

export function copy(doc: GraphDocument, ids: readonly string[]): Clip | null {
  const set = new Set(ids);
  const nodes = doc.nodes.filter((n) => set.has(n.id));
  if (!nodes.length) return null;
  return { nodes, edges: doc.edges.filter((e) => set.has(e.source) && set.has(e.target)) };
}

/** One command that adds the clip's nodes and edges; `ids` are the new nodes, in clip order. */
export function paste(doc: GraphDocument, clip: Clip, offset = { x: 40, y: 40 }): { command: Command; ids: string[] } {
  const rename = new Map<string, string>();
  let grown: GraphDocument = doc;
  const commands: Command[] = [];
  for (const n of clip.nodes) {
    const id = freshId(grown, n.type);
    rename.set(n.id, id);
    const node: GraphNode = { ...n, id, ...(n.position ? { position: { x: n.position.x + offset.x, y: n.position.y + offset.y } } : {}) };
    commands.push({ type: 'addNode', node });
    // freshId looks at the document, so later nodes of the same type must see this one.
    grown = { ...grown, nodes: [...grown.nodes, node] };
  }
  for (const e of clip.edges) commands.push({ type: 'connect', edge: { ...e, source: rename.get(e.source)!, target: rename.get(e.target)! } });
  return { command: { type: 'batch', commands }, ids: [...rename.values()] };
}
