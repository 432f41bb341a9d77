/**
 * Block expansion: each instance of a block becomes its own copy of the block's nodes, with
 * ids `instance/inner` (nested blocks give `outer/inner/leaf`), so every instance has its own
 * weights. `"$name"` params take the instance's value, else the block's default. The block's
 * Input nodes disappear: whatever feeds the instance's port i feeds what input i fed.
 * Edges carry no source port, so an instance's output is its block's first output.
 */
import type { BlockDef, Diagnostic, GraphDocument, NodeId, ParamValue } from '../../contracts/index.js';
import type { BlockInstance, IREdge, IRGraph, IRNode } from '../ir.js';
import { layers } from '../layers/registry.js';
import { resolvePorts } from './buildIR.js';

type Blocks = Readonly<Record<string, BlockDef>>;
interface Level {
  nodes: IRNode[];
  edges: IREdge[];
  /** For each instance at this level: the node that carries its output. */
  exits: Map<NodeId, NodeId>;
}

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

export function expandBlocks(graph: IRGraph, doc: GraphDocument): { graph: IRGraph; diagnostics: Diagnostic[] } {
  const blocks: Blocks = doc.blocks ?? {};
  const isBlock = (type: string) => hasOwn(blocks, type) && !layers.has(type);
  if (!graph.nodes.some((n) => isBlock(n.type))) return { graph, diagnostics: [] };
  const diagnostics: Diagnostic[] = [];
  const recursive = findRecursion(blocks, isBlock);
  if (recursive) {
    const culprits = graph.nodes.filter((n) => recursive.includes(n.type)).map((n) => n.id);
    const cycle = [...recursive, recursive[0]].join(' → ');
    diagnostics.push({
      code: 'E_BLOCK_RECURSION',
      severity: 'error',
      message: `Block ${recursive[0]} uses itself (${cycle}); a block cannot contain itself, directly or through other blocks; replace the inner use with layers`,
      nodeIds: culprits,
    });
    return { graph: { ...graph, nodes: graph.nodes.filter((n) => !isBlock(n.type)) }, diagnostics };
  }
  const ctx = { blocks, isBlock, diagnostics };
  const level = expandLevel(ctx, graph.nodes, graph.edges, undefined);
  const instances = new Map<NodeId, BlockInstance>();
  for (const n of graph.nodes)
    if (isBlock(n.type) && level.exits.has(n.id)) instances.set(n.id, { id: n.id, type: n.type, output: level.exits.get(n.id)! });
  const outputs = graph.outputs?.map((o) => level.exits.get(o) ?? o);
  return { graph: { nodes: level.nodes, edges: level.edges, outputs, instances }, diagnostics };
}

interface Ctx {
  readonly blocks: Blocks;
  readonly isBlock: (type: string) => boolean;
  readonly diagnostics: Diagnostic[];
}

/** Expands every instance among `nodes` and rewires `edges` through the instances' inputs and outputs. */
function expandLevel(ctx: Ctx, nodes: readonly IRNode[], edges: readonly IREdge[], owner: NodeId | undefined): Level {
  const out: IRNode[] = [];
  const innerEdges: IREdge[] = [];
  const exits = new Map<NodeId, NodeId>();
  const entries = new Map<NodeId, { target: NodeId; targetPort: number }[][]>();
  for (const n of nodes) {
    if (!ctx.isBlock(n.type)) {
      out.push(owner === undefined ? n : { ...n, instance: owner });
      continue;
    }
    const inst = expandInstance(ctx, n, edges, owner ?? n.id);
    if (!inst) continue;
    out.push(...inst.nodes);
    innerEdges.push(...inst.edges);
    exits.set(n.id, inst.exit);
    entries.set(n.id, inst.entries);
  }
  const rewired = edges.flatMap((e) => {
    const source = exits.get(e.source) ?? e.source;
    const ins = entries.get(e.target);
    if (!ins) return [{ ...e, source }];
    return (ins[e.targetPort] ?? []).map((t) => ({ source, target: t.target, targetPort: t.targetPort }));
  });
  return { nodes: out, edges: [...rewired, ...innerEdges], exits };
}

function expandInstance(ctx: Ctx, n: IRNode, outerEdges: readonly IREdge[], owner: NodeId) {
  const block = ctx.blocks[n.type]!;
  const fail = (code: Diagnostic['code'], message: string, port?: number) => {
    ctx.diagnostics.push({ code, severity: 'error', message, nodeIds: [n.id], ...(port === undefined ? {} : { port }) });
    return null;
  };
  // A Map, so that a param named "__proto__" is just a name.
  const values = new Map<string, ParamValue>(Object.entries(block.params ?? {}));
  for (const [k, v] of Object.entries(n.params)) {
    if (!values.has(k))
      return fail('E_BAD_PARAMS', `${n.id} (${n.type}): the block has no param "${k}"; its params are ${[...values.keys()].join(', ') || 'none'}`);
    values.set(k, v);
  }
  const ports = outerEdges.filter((e) => e.target === n.id).map((e) => e.targetPort);
  for (const p of ports)
    if (p >= block.inputs.length) return fail('E_TOO_MANY_INPUTS', `${n.id}: block ${n.type} takes ${block.inputs.length} input(s); remove the extra edge`, p);
  for (let p = 0; p < block.inputs.length; p++)
    if (!ports.includes(p)) return fail('E_MISSING_INPUT', `${n.id}: block ${n.type} needs input ${p} ("${block.inputs[p]}"); connect a node to it`, p);

  const prefix = (id: string) => `${n.id}/${id}` as NodeId;
  const innerIds = new Set(block.nodes.map((b) => b.id));
  for (const io of [...block.inputs, ...block.outputs])
    if (!innerIds.has(io)) return fail('E_BLOCK', `${n.id}: block ${n.type} names "${io}" as an input or output but has no such node; fix the block`);
  for (const i of block.inputs)
    if (block.nodes.find((b) => b.id === i)!.type !== 'Input')
      return fail('E_BLOCK', `${n.id}: block ${n.type}'s input "${i}" must be an Input node`);
  if (block.inputs.includes(block.outputs[0]!))
    return fail('E_BLOCK', `${n.id}: block ${n.type}'s output "${block.outputs[0]}" is one of its inputs; add a layer between them`);

  const unknown = new Set<string>();
  const subst = (v: ParamValue): ParamValue => {
    if (Array.isArray(v)) return v.map(subst);
    if (typeof v === 'string' && v.startsWith('$')) {
      const name = v.slice(1);
      if (values.has(name)) return values.get(name)!;
      unknown.add(name);
    }
    return v;
  };
  const inner: IRNode[] = block.nodes.map((b) => ({
    id: prefix(b.id),
    type: b.type,
    params: Object.fromEntries(Object.entries(b.params ?? {}).map(([k, v]) => [k, subst(v)])),
  }));
  if (unknown.size)
    return fail('E_BAD_PARAMS', `${n.id} (${n.type}): the block refers to ${[...unknown].map((u) => `"$${u}"`).join(', ')}, which is not one of its params; add it to the block's params`);
  const edges = resolvePorts(block.edges).map((e) => ({ ...e, source: prefix(e.source), target: prefix(e.target) }));
  const level = expandLevel(ctx, inner, edges, owner);
  const inputIds = new Set(block.inputs.map(prefix));
  const entries = block.inputs.map((i) =>
    level.edges.filter((e) => e.source === prefix(i)).map((e) => ({ target: e.target, targetPort: e.targetPort })),
  );
  const exitOf = prefix(block.outputs[0]!);
  return {
    nodes: level.nodes.filter((x) => !inputIds.has(x.id)),
    edges: level.edges.filter((e) => !inputIds.has(e.source)),
    entries,
    exit: level.exits.get(exitOf) ?? exitOf,
  };
}

/** The first cycle in the block-uses-block graph, as block names in order, or null. */
function findRecursion(blocks: Blocks, isBlock: (t: string) => boolean): string[] | null {
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | null => {
    if (state.get(name) === 'done') return null;
    if (state.get(name) === 'active') return stack.slice(stack.indexOf(name));
    state.set(name, 'active');
    stack.push(name);
    for (const n of blocks[name]!.nodes)
      if (isBlock(n.type)) {
        const c = visit(n.type);
        if (c) return c;
      }
    stack.pop();
    state.set(name, 'done');
    return null;
  };
  for (const name of Object.keys(blocks)) {
    if (!isBlock(name)) continue;
    const c = visit(name);
    if (c) return c;
  }
  return null;
}
