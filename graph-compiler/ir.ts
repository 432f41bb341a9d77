/** The compiler's one intermediate representation: readonly nodes with inputs ordered by port. */
import type { NodeId, ParamValue, Shape } from '../contracts/index.js';

export interface IRNode {
  readonly id: NodeId;
  readonly type: string;
  readonly params: Readonly<Record<string, ParamValue>>;
  /** For expanded block nodes: the instance id in the user's document it belongs to. */
  readonly instance?: NodeId;
}
export interface IREdge {
  readonly source: NodeId;
  readonly target: NodeId;
  readonly targetPort: number;
}
export interface IRGraph {
  readonly nodes: readonly IRNode[];
  readonly edges: readonly IREdge[];
  /** Explicit outputs from the document, or undefined when every sink is an output. */
  readonly outputs: readonly NodeId[] | undefined;
  /** After block expansion: each top-level block instance of the document, by its id. */
  readonly instances?: ReadonlyMap<NodeId, BlockInstance>;
}

/** A block instance of the user's document, which expansion replaced by its inner nodes `id/inner`. */
export interface BlockInstance {
  readonly id: NodeId;
  /** The block's name (the instance node's type). */
  readonly type: string;
  /** The expanded node that produces the instance's output. */
  readonly output: NodeId;
}

/** Per-node result of shape inference. */
export interface ShapedNode {
  readonly node: IRNode;
  readonly inputs: readonly Shape[];
  readonly shape: Shape | null;
  /** Params after the layer's schema applied defaults. */
  readonly params: Readonly<Record<string, unknown>>;
}

/** Inputs of a node ordered by port; ports without an edge are undefined. */
export function inputsByPort(graph: IRGraph, id: NodeId): (NodeId | undefined)[] {
  const ins: (NodeId | undefined)[] = [];
  for (const e of graph.edges) if (e.target === id) ins[e.targetPort] = e.source;
  return ins;
}

/** Kahn's algorithm; returns the order and whether every node was placed (false means a cycle). */
export function topoOrder(graph: IRGraph): { order: NodeId[]; complete: boolean } {
  const indeg = new Map<NodeId, number>();
  const out = new Map<NodeId, NodeId[]>();
  for (const n of graph.nodes) {
    indeg.set(n.id, 0);
    out.set(n.id, []);
  }
  for (const e of graph.edges) {
    if (!indeg.has(e.source) || !indeg.has(e.target)) continue;
    indeg.set(e.target, indeg.get(e.target)! + 1);
    out.get(e.source)!.push(e.target);
  }
  const queue = graph.nodes.filter((n) => indeg.get(n.id) === 0).map((n) => n.id);
  const order: NodeId[] = [];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    order.push(id);
    for (const t of out.get(id)!) {
      const d = indeg.get(t)! - 1;
      indeg.set(t, d);
      if (d === 0) queue.push(t);
    }
  }
  return { order, complete: order.length === graph.nodes.length };
}
