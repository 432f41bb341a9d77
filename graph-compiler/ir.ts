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

export interface EdgeIndex {
  /** Edges into each node, sorted by port. */
  readonly incoming: ReadonlyMap<NodeId, readonly IREdge[]>;
  /** Edges out of each node, in file order. */
  readonly outgoing: ReadonlyMap<NodeId, readonly IREdge[]>;
}

// Passes look edges up per node; one index per graph keeps compile linear in its size.
const indexes = new WeakMap<IRGraph, EdgeIndex>();

/** Edges by target and by source, computed once per graph. */
export function edgeIndex(graph: IRGraph): EdgeIndex {
  let index = indexes.get(graph);
  if (index) return index;
  const incoming = new Map<NodeId, IREdge[]>();
  const outgoing = new Map<NodeId, IREdge[]>();
  for (const e of graph.edges) {
    (incoming.get(e.target) ?? incoming.set(e.target, []).get(e.target)!).push(e);
    (outgoing.get(e.source) ?? outgoing.set(e.source, []).get(e.source)!).push(e);
  }
  for (const list of incoming.values()) list.sort((a, b) => a.targetPort - b.targetPort);
  index = { incoming, outgoing };
  indexes.set(graph, index);
  return index;
}

/** Inputs of a node ordered by port; ports without an edge are undefined. */
export function inputsByPort(graph: IRGraph, id: NodeId): (NodeId | undefined)[] {
  const ins: (NodeId | undefined)[] = [];
  for (const e of edgeIndex(graph).incoming.get(id) ?? []) ins[e.targetPort] = e.source;
  return ins;
}

const orders = new WeakMap<IRGraph, { order: NodeId[]; complete: boolean }>();

/** Kahn's algorithm; returns the order and whether every node was placed (false means a cycle). Computed once per graph. */
export function topoOrder(graph: IRGraph): { order: NodeId[]; complete: boolean } {
  let r = orders.get(graph);
  if (!r) orders.set(graph, (r = kahn(graph)));
  return r;
}

function kahn(graph: IRGraph): { order: NodeId[]; complete: boolean } {
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
