/** Block expansion: each instance of a block becomes its own copy of the block's nodes, ids `instance/inner`. */
import type { Diagnostic, GraphDocument } from '../../contracts/index.js';
import type { IRGraph } from '../ir.js';

export function expandBlocks(graph: IRGraph, doc: GraphDocument): { graph: IRGraph; diagnostics: Diagnostic[] } {
  const blocks = doc.blocks ?? {};
  const used = graph.nodes.filter((n) => Object.prototype.hasOwnProperty.call(blocks, n.type));
  if (!used.length) return { graph, diagnostics: [] };
  return {
    graph,
    diagnostics: used.map((n) => ({
      code: 'E_BLOCK' as const,
      severity: 'error' as const,
      message: `${n.id}: block instances are not expanded yet`,
      nodeIds: [n.id],
    })),
  };
}
