/** Writes a document as the format asks: pretty-printed JSON with a stable key order so diffs stay readable. */
import type { GraphDocument } from '../contracts/index.js';

const topOrder = ['format', 'version', 'name', 'description', 'nodes', 'edges', 'blocks', 'outputs', 'training'];
const nodeOrder = ['id', 'type', 'label', 'params', 'position'];
const edgeOrder = ['source', 'target', 'targetPort'];

function ordered(obj: Record<string, unknown>, first: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of first) if (obj[k] !== undefined) out[k] = obj[k];
  for (const k of Object.keys(obj).sort()) if (!(k in out) && obj[k] !== undefined) out[k] = obj[k];
  return out;
}

export function serializeDocument(doc: GraphDocument): string {
  const nodes = (ns: GraphDocument['nodes']) => ns.map((n) => ordered(n, nodeOrder));
  const edges = (es: GraphDocument['edges']) => es.map((e) => ordered(e, edgeOrder));
  const blocks = doc.blocks
    ? Object.fromEntries(Object.entries(doc.blocks).map(([k, b]) => [k, { ...b, nodes: nodes(b.nodes), edges: edges(b.edges) }]))
    : undefined;
  return JSON.stringify(ordered({ ...doc, nodes: nodes(doc.nodes), edges: edges(doc.edges), blocks }, topOrder), null, 2) + '\n';
}
