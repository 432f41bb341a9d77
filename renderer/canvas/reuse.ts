/**
 * Structural sharing between renders of the canvas. toFlow builds fresh node and edge objects
 * from every document; handing React Flow the previous object wherever nothing it shows changed
 * lets React Flow skip its per-node bookkeeping and the memoised node and edge views skip
 * re-rendering, so an edit re-renders what it changed instead of all 500 nodes of a big graph.
 */
import type { LayerFlowNode, ShapeFlowEdge } from './toFlow.js';

/** Equal as values: numbers, strings, booleans, null, and arrays of them (shapes, port names, problems). */
function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return a.every((x, i) => same(x, b[i]));
}

/** Every key of both records holds the same value (see `same`). */
function sameRecord(a: Readonly<Record<string, unknown>> | undefined, b: Readonly<Record<string, unknown>> | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && same(a[k], b[k]));
}

/** Nothing changed at all: the previous array itself lets React (and so React Flow's store) skip the update. */
function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The next nodes, with each one that shows the same as before replaced by its previous object
 * (which keeps what React Flow measured); a changed node keeps the previous `measured` sizes.
 * When every node is unchanged, the previous array itself.
 */
export function reuseNodes(next: readonly LayerFlowNode[], prev: LayerFlowNode[]): LayerFlowNode[] {
  const old = new Map(prev.map((n) => [n.id, n]));
  const result = next.map((n) => {
    const o = old.get(n.id);
    if (!o) return n;
    const unchanged =
      o.type === n.type &&
      o.position.x === n.position.x &&
      o.position.y === n.position.y &&
      Boolean(o.selected) === Boolean(n.selected) &&
      sameRecord(o.data, n.data);
    if (unchanged) return o;
    return o.measured ? { ...n, measured: o.measured } : n;
  });
  return sameItems(result, prev) ? prev : result;
}

/**
 * The next edges, each keeping its previous selection (React Flow's own state: the document has
 * none), and its previous object where nothing else changed either.
 */
export function reuseEdges(next: readonly ShapeFlowEdge[], prev: ShapeFlowEdge[]): ShapeFlowEdge[] {
  const old = new Map(prev.map((e) => [e.id, e]));
  const result = next.map((e) => {
    const o = old.get(e.id);
    if (!o) return e;
    const unchanged =
      o.type === e.type &&
      o.source === e.source &&
      o.target === e.target &&
      o.sourceHandle === e.sourceHandle &&
      o.targetHandle === e.targetHandle &&
      sameRecord(o.data, e.data);
    if (unchanged) return o;
    return o.selected ? { ...e, selected: true } : e;
  });
  return sameItems(result, prev) ? prev : result;
}
