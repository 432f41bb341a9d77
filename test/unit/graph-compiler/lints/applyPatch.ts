/** A test-only reading of the PatchOp semantics in contracts/diagnostics.ts, to prove each fix repairs what it claims. */
import type { GraphDocument, PatchOp } from '../../../../contracts/index.js';

export function applyPatch(doc: GraphDocument, patch: readonly PatchOp[]): GraphDocument {
  let d: GraphDocument = structuredClone(doc);
  for (const op of patch) {
    switch (op.op) {
      case 'setParam':
        d.nodes = d.nodes.map((n) => (n.id === op.nodeId ? { ...n, params: { ...n.params, [op.key]: op.value } } : n));
        break;
      case 'insertNode': {
        const { source, target, targetPort } = op.between;
        const i = d.edges.findIndex((e) => e.source === source && e.target === target && (targetPort === undefined || (e.targetPort ?? 0) === targetPort || e.targetPort === undefined));
        const old = d.edges[i]!;
        d.nodes = [...d.nodes, op.node];
        d.edges = [...d.edges.slice(0, i), { source, target: op.node.id }, { ...old, source: op.node.id }, ...d.edges.slice(i + 1)];
        break;
      }
      case 'removeNode': {
        const input = d.edges.find((e) => e.target === op.nodeId)?.source;
        d.nodes = d.nodes.filter((n) => n.id !== op.nodeId);
        d.edges = d.edges.filter((e) => e.target !== op.nodeId).flatMap((e) => (e.source !== op.nodeId ? [e] : op.reconnect && input ? [{ ...e, source: input }] : []));
        if (d.outputs && input) d = { ...d, outputs: d.outputs.map((o) => (o === op.nodeId ? input : o)) };
        break;
      }
      case 'addEdge':
        d.edges = [...d.edges, op.edge];
        break;
    }
  }
  return d;
}
