/** Builders for the quick fixes that diagnostics carry: plain PatchOps on the user's document. */
import type { GraphNode, NodeId, ParamValue, QuickFix } from '../../contracts/index.js';
import type { IRGraph } from '../ir.js';
import type { ShapeFix } from '../result.js';

/** A fresh node id near `base` that no node of the graph uses. */
export function freshId(graph: IRGraph, base: string): string {
  const taken = new Set(graph.nodes.map((n) => n.id as string));
  if (!taken.has(base)) return base;
  let i = 2;
  while (taken.has(`${base}${i}`)) i++;
  return `${base}${i}`;
}

/** Fixes edit the document, so they only apply to nodes the user placed, not to expanded block internals. */
export const editable = (graph: IRGraph, ...ids: (NodeId | string | undefined)[]): boolean =>
  ids.every((id) => id !== undefined && !String(id).includes('/') && graph.nodes.some((n) => n.id === id && n.instance === undefined));

export function insertBetween(
  graph: IRGraph,
  title: string,
  source: string,
  target: string,
  targetPort: number,
  node: { idBase: string; type: string; params: Readonly<Record<string, ParamValue>> },
): QuickFix {
  const inserted: GraphNode = { id: freshId(graph, node.idBase), type: node.type, params: { ...node.params } };
  return { title, patch: [{ op: 'insertNode', node: inserted, between: { source, target, targetPort } }] };
}

export const setParams = (title: string, nodeId: string, params: Readonly<Record<string, ParamValue>>): QuickFix => ({
  title,
  patch: Object.entries(params).map(([key, value]) => ({ op: 'setParam' as const, nodeId, key, value })),
});

/** Turns a shape rule's id-free suggestion into a QuickFix on node `id`, or undefined when it cannot apply. */
export function shapeFix(graph: IRGraph, id: NodeId, inputs: readonly (NodeId | undefined)[], fix: ShapeFix | undefined): QuickFix | undefined {
  if (!fix || !editable(graph, id)) return undefined;
  if (fix.setParams) return setParams(fix.title, id, fix.setParams);
  if (fix.insertBefore) {
    const { port, type, params } = fix.insertBefore;
    const source = inputs[port];
    if (!editable(graph, source)) return undefined;
    return insertBetween(graph, fix.title, source!, id, port, { idBase: `${source}_proj`, type, params });
  }
  return undefined;
}
