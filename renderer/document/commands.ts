/**
 * Edits to the graph document as data. `applyCommand` is pure: it returns the next document and
 * never mutates its input, so history, autosave and tests all work on plain values.
 */
import { nodeIdPattern, type GraphDocument, type GraphEdge, type GraphNode, type ParamValue, type PatchOp } from '../../contracts/index.js';

export interface XY {
  readonly x: number;
  readonly y: number;
}

export type Command =
  | { readonly type: 'addNode'; readonly node: GraphNode }
  /** Removes nodes (with every edge touching them) and any further edges listed. */
  | { readonly type: 'remove'; readonly ids: readonly string[]; readonly edges?: readonly GraphEdge[] }
  | { readonly type: 'moveNodes'; readonly positions: Readonly<Record<string, XY>> }
  | { readonly type: 'connect'; readonly edge: GraphEdge }
  | { readonly type: 'disconnect'; readonly edges: readonly GraphEdge[] }
  | { readonly type: 'setParam'; readonly nodeId: string; readonly key: string; readonly value: ParamValue | undefined }
  | { readonly type: 'applyPatch'; readonly patch: readonly PatchOp[] }
  /** Changes a node's id everywhere it is used (edges, outputs); refused if the new id is invalid or taken. */
  | { readonly type: 'rename'; readonly from: string; readonly to: string }
  /** Sets or clears (undefined) the free-form label shown on the canvas instead of the id. */
  | { readonly type: 'setLabel'; readonly nodeId: string; readonly label: string | undefined }
  /** Renames the document. */
  | { readonly type: 'setName'; readonly name: string }
  /** Sets the model's outputs; undefined means every node nothing consumes. */
  | { readonly type: 'setOutputs'; readonly outputs: readonly string[] | undefined }
  /** A command applied inside the definition of block `block` (editing a block opens it as its own view). */
  | { readonly type: 'inBlock'; readonly block: string; readonly command: Command }
  /** Several commands as one undoable step (add a layer and connect it). */
  | { readonly type: 'batch'; readonly commands: readonly Command[] };

/** The port an edge enters; edges without one enter port 0. */
export const portOf = (e: GraphEdge): number => e.targetPort ?? 0;

const sameEdge = (a: GraphEdge, b: GraphEdge) => a.source === b.source && a.target === b.target && portOf(a) === portOf(b);

/** An edge as stored: port 0 is left implicit, as templates write it. */
export function makeEdge(source: string, target: string, port = 0): GraphEdge {
  return port === 0 ? { source, target } : { source, target, targetPort: port };
}

/** A fresh id for a new node of `type`: its lower-cased type plus the smallest free number. */
export function freshId(doc: GraphDocument, type: string): string {
  const base = type.replace(/[^A-Za-z0-9]/g, '').replace(/^[^A-Za-z_]+/, '').toLowerCase() || 'node';
  const taken = new Set(doc.nodes.map((n) => n.id));
  for (let i = 1; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}

const hasBlock = (doc: GraphDocument, name: string) => !!doc.blocks && Object.prototype.hasOwnProperty.call(doc.blocks, name);

/**
 * The block `name` as a document of its own (the view the canvas shows while editing it): its layers,
 * its edges, and the graph's blocks (for nested ones).
 */
export function blockView(doc: GraphDocument, name: string): GraphDocument | null {
  if (!hasBlock(doc, name)) return null;
  const def = doc.blocks![name]!;
  return { format: doc.format, version: doc.version, name, nodes: def.nodes, edges: def.edges, outputs: def.outputs, ...(doc.blocks ? { blocks: doc.blocks } : {}) };
}

/** Applies `cmd` inside block `name`; the document is unchanged when the command changes nothing. */
export function applyInBlock(doc: GraphDocument, name: string, cmd: Command): GraphDocument {
  const view = blockView(doc, name);
  if (!view) return doc;
  const next = applyCommand(view, cmd);
  if (next === view) return doc;
  const def = doc.blocks![name]!;
  // A renamed inner node keeps its place in the block's inputs; outputs follow the view.
  const renamed = cmd.type === 'rename' && next.nodes.some((n) => n.id === cmd.to) ? (id: string) => (id === cmd.from ? cmd.to : id) : (id: string) => id;
  const outputs = next.outputs?.length ? next.outputs : def.outputs.map(renamed);
  return { ...doc, blocks: { ...doc.blocks, [name]: { ...def, nodes: next.nodes, edges: next.edges, inputs: def.inputs.map(renamed), outputs } } };
}

/** The model's outputs: the document's list, or every node nothing consumes. */
export function outputsOf(doc: GraphDocument): string[] {
  if (doc.outputs?.length) return [...doc.outputs];
  const sources = new Set(doc.edges.map((e) => e.source));
  return doc.nodes.filter((n) => !sources.has(n.id)).map((n) => n.id);
}

/** Why `to` cannot replace `from` as a node id, or null when it can. */
export function renameProblem(doc: GraphDocument, from: string, to: string): string | null {
  if (!doc.nodes.some((n) => n.id === from)) return `There is no node ${from}`;
  if (from === to) return 'That is its id already';
  if (!nodeIdPattern.test(to)) return 'Start with a letter or _, then letters, digits, _ . -';
  if (doc.nodes.some((n) => n.id === to)) return `${to} is taken`;
  return null;
}

export function applyCommand(doc: GraphDocument, cmd: Command): GraphDocument {
  switch (cmd.type) {
    case 'addNode':
      if (doc.nodes.some((n) => n.id === cmd.node.id)) return doc;
      return { ...doc, nodes: [...doc.nodes, cmd.node] };
    case 'remove': {
      const dropped = cmd.edges ?? [];
      const next = removeNodes(doc, new Set(cmd.ids));
      const edges = next.edges.filter((e) => !dropped.some((d) => sameEdge(e, d)));
      return edges.length === next.edges.length ? next : { ...next, edges };
    }
    case 'moveNodes':
      return {
        ...doc,
        nodes: doc.nodes.map((n) => {
          const p = cmd.positions[n.id];
          return p ? { ...n, position: { x: p.x, y: p.y } } : n;
        }),
      };
    case 'connect':
      return connect(doc, cmd.edge);
    case 'disconnect':
      return { ...doc, edges: doc.edges.filter((e) => !cmd.edges.some((d) => sameEdge(e, d))) };
    case 'setParam':
      return {
        ...doc,
        nodes: doc.nodes.map((n) => (n.id === cmd.nodeId ? withParam(n, cmd.key, cmd.value) : n)),
      };
    case 'applyPatch':
      return cmd.patch.reduce(applyPatchOp, doc);
    case 'batch':
      return cmd.commands.reduce(applyCommand, doc);
    case 'inBlock':
      return applyInBlock(doc, cmd.block, cmd.command);
    case 'setLabel':
      return {
        ...doc,
        nodes: doc.nodes.map((n) => {
          if (n.id !== cmd.nodeId) return n;
          const { label: _old, ...rest } = n;
          return cmd.label ? { ...rest, label: cmd.label } : rest;
        }),
      };
    case 'setName':
      return doc.name === cmd.name ? doc : { ...doc, name: cmd.name };
    case 'setOutputs': {
      if (cmd.outputs === undefined) {
        if (doc.outputs === undefined) return doc;
        const { outputs: _dropped, ...rest } = doc;
        return rest as GraphDocument;
      }
      const known = new Set(doc.nodes.map((n) => n.id));
      return { ...doc, outputs: cmd.outputs.filter((o) => known.has(o)) };
    }
    case 'rename': {
      if (renameProblem(doc, cmd.from, cmd.to) !== null) return doc;
      const r = (id: string) => (id === cmd.from ? cmd.to : id);
      return {
        ...doc,
        nodes: doc.nodes.map((n) => (n.id === cmd.from ? { ...n, id: cmd.to } : n)),
        edges: doc.edges.map((e) => (e.source === cmd.from || e.target === cmd.from ? { ...e, source: r(e.source), target: r(e.target) } : e)),
        ...(doc.outputs ? { outputs: doc.outputs.map(r) } : {}),
      };
    }
  }
}

function removeNodes(doc: GraphDocument, ids: ReadonlySet<string>): GraphDocument {
  if (!doc.nodes.some((n) => ids.has(n.id))) return doc;
  const outputs = doc.outputs?.filter((o) => !ids.has(o));
  return {
    ...doc,
    nodes: doc.nodes.filter((n) => !ids.has(n.id)),
    edges: doc.edges.filter((e) => !ids.has(e.source) && !ids.has(e.target)),
    ...(doc.outputs ? { outputs: outputs! } : {}),
  };
}

/** A port takes one edge, so connecting into an occupied port replaces the edge that was there. */
function connect(doc: GraphDocument, edge: GraphEdge): GraphDocument {
  if (edge.source === edge.target) return doc;
  const ids = new Set(doc.nodes.map((n) => n.id));
  if (!ids.has(edge.source) || !ids.has(edge.target)) return doc;
  const port = portOf(edge);
  const kept = doc.edges.filter((e) => !(e.target === edge.target && portOf(e) === port));
  return { ...doc, edges: [...kept, makeEdge(edge.source, edge.target, port)] };
}

function withParam(n: GraphNode, key: string, value: ParamValue | undefined): GraphNode {
  const params = { ...n.params };
  if (value === undefined) delete params[key];
  else params[key] = value;
  return { ...n, params };
}

/** Vertical distance between rows of a chain, as the templates lay them out. */
const ROW = 110;

/** `from` and every node reachable from it. */
function downstream(doc: GraphDocument, from: string): Set<string> {
  const seen = new Set([from]);
  const queue = [from];
  while (queue.length) {
    const id = queue.pop()!;
    for (const e of doc.edges)
      if (e.source === id && !seen.has(e.target)) {
        seen.add(e.target);
        queue.push(e.target);
      }
  }
  return seen;
}

function applyPatchOp(doc: GraphDocument, op: PatchOp): GraphDocument {
  switch (op.op) {
    case 'setParam':
      return applyCommand(doc, { type: 'setParam', nodeId: op.nodeId, key: op.key, value: op.value });
    case 'addEdge':
      return connect(doc, op.edge);
    case 'insertNode': {
      const { source, target } = op.between;
      const port = op.between.targetPort ?? 0;
      const t = doc.nodes.find((n) => n.id === target);
      if (!doc.nodes.some((n) => n.id === source) || !t || doc.nodes.some((n) => n.id === op.node.id)) return doc;
      // The new node takes the target's place and everything from the target down moves one row
      // lower, so a vertical chain stays evenly spaced without a layout pass.
      const position = op.node.position ?? t.position;
      const node = position ? { ...op.node, position } : op.node;
      const below = op.node.position || !t.position ? new Set<string>() : downstream(doc, target);
      const nodes = doc.nodes.map((n) => (below.has(n.id) && n.position ? { ...n, position: { x: n.position.x, y: n.position.y + ROW } } : n));
      const edges = doc.edges.filter((e) => !sameEdge(e, makeEdge(source, target, port)));
      return { ...doc, nodes: [...nodes, node], edges: [...edges, makeEdge(source, node.id), makeEdge(node.id, target, port)] };
    }
    case 'removeNode': {
      const ins = doc.edges.filter((e) => e.target === op.nodeId).sort((a, b) => portOf(a) - portOf(b));
      const outs = doc.edges.filter((e) => e.source === op.nodeId);
      let next = removeNodes(doc, new Set([op.nodeId]));
      if (op.reconnect && ins[0]) for (const o of outs) next = connect(next, makeEdge(ins[0].source, o.target, portOf(o)));
      return next;
    }
  }
}
