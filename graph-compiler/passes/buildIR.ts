/** Pass 2: the document's nodes and edges → the IR, with edge ports resolved. */
import type { GraphDocument, NodeId } from '../../contracts/index.js';
import type { IREdge, IRGraph, IRNode } from '../ir.js';

export function buildIR(doc: GraphDocument): IRGraph {
  const nodes: IRNode[] = doc.nodes.map((n) => ({ id: n.id as NodeId, type: n.type, params: n.params ?? {} }));
  return { nodes, edges: resolvePorts(doc.edges), outputs: doc.outputs as NodeId[] | undefined };
}

/** Edges without a targetPort take the next free port of their target, in file order. */
export function resolvePorts(edges: GraphDocument['edges']): IREdge[] {
  const used = new Map<string, Set<number>>();
  for (const e of edges) if (e.targetPort !== undefined) (used.get(e.target) ?? used.set(e.target, new Set()).get(e.target)!).add(e.targetPort);
  return edges.map((e) => {
    let port = e.targetPort;
    if (port === undefined) {
      const set = used.get(e.target) ?? used.set(e.target, new Set()).get(e.target)!;
      port = 0;
      while (set.has(port)) port++;
      set.add(port);
    }
    return { source: e.source as NodeId, target: e.target as NodeId, targetPort: port };
  });
}
