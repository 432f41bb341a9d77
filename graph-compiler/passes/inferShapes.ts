/** Shape inference: walk the graph in topological order and apply each layer's shape rule. */
import type { Diagnostic, NodeId, Shape } from '../../contracts/index.js';
import { inputsByPort, topoOrder, type IRGraph, type ShapedNode } from '../ir.js';
import { layers, parseParams } from '../layers/registry.js';
import { shapeFix } from '../lints/fixes.js';

export interface ShapedGraph {
  readonly graph: IRGraph;
  /** Every node in topological order. */
  readonly nodes: readonly ShapedNode[];
  readonly byId: ReadonlyMap<NodeId, ShapedNode>;
  readonly diagnostics: readonly Diagnostic[];
}

/** Assumes the structural rules passed. A node whose inputs are unknown gets shape null without a new error. */
export function inferShapes(graph: IRGraph): ShapedGraph {
  const byId = new Map<NodeId, ShapedNode>();
  const irById = new Map(graph.nodes.map((n) => [n.id, n]));
  const diagnostics: Diagnostic[] = [];
  for (const id of topoOrder(graph).order) {
    const node = irById.get(id)!;
    const def = layers.get(node.type)!;
    const parsed = parseParams(def, node.params);
    const params = (parsed.success ? parsed.data : {}) as Record<string, unknown>;
    const inputIds = inputsByPort(graph, id);
    const inputs = inputIds.map((i) => (i === undefined ? null : (byId.get(i)?.shape ?? null)));
    let shape: Shape | null = null;
    if (parsed.success && inputs.every((s): s is Shape => s !== null)) {
      const r = def.inferShape(inputs, parsed.data);
      if (r.ok) shape = r.shape;
      else {
        const fix = shapeFix(graph, id, inputIds, r.problem.fix);
        diagnostics.push({
          code: r.problem.code,
          severity: 'error',
          message: `${id}: ${r.problem.message}`,
          nodeIds: [id],
          ...(r.problem.port === undefined ? {} : { port: r.problem.port }),
          ...(fix ? { fix } : {}),
        });
      }
    }
    byId.set(id, { node, inputs: inputs.filter((s): s is Shape => s !== null), shape, params });
  }
  return { graph, nodes: [...byId.values()], byId, diagnostics };
}
