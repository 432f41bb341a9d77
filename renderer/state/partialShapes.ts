/**
 * While the user is mid-edit (a node dropped but not yet connected), the compiler stops at the
 * structural error and reports no shapes at all. The canvas should still label everything that
 * is fine, so this compiles the document again without the blamed nodes (and, in turn, whatever
 * loses its input because of them) and takes the per-node reports from that.
 */
import type { GraphDocument, NodeReport } from '../../contracts/index.js';
import { compile, type CompileResult } from '../../graph-compiler/index.js';

/** Gives up after this many pruning rounds; each round removes at least one node. */
const MAX_ROUNDS = 8;

export function partialReports(doc: GraphDocument, full: CompileResult): readonly NodeReport[] {
  if (full.shaped || !full.document) return full.report.nodes;
  let current = full;
  let pruned: GraphDocument = full.document;
  for (let round = 0; round < MAX_ROUNDS && !current.shaped; round++) {
    const blamed = new Set(current.diagnostics.filter((d) => d.severity === 'error').flatMap((d) => d.nodeIds));
    if (!blamed.size) return [];
    const nodes = pruned.nodes.filter((n) => !blamed.has(n.id));
    if (nodes.length === pruned.nodes.length || nodes.length === 0) return [];
    pruned = {
      ...pruned,
      nodes,
      edges: pruned.edges.filter((e) => !blamed.has(e.source) && !blamed.has(e.target)),
      ...(pruned.outputs ? { outputs: pruned.outputs.filter((o) => !blamed.has(o)) } : {}),
    };
    if (pruned.outputs?.length === 0) delete pruned.outputs;
    current = compile(pruned);
  }
  return current.shaped ? current.report.nodes : [];
}
