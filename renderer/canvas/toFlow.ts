/** The document and its compile result, as the nodes and edges React Flow draws. */
import type { Edge, Node } from '@xyflow/react';
import type { BlockDef, CheckReport, Diagnostic, GraphDocument, NodeReport } from '../../contracts/index.js';
import { getLayer } from '../../graph-compiler/index.js';
import { outputsOf, portOf } from '../document/commands.js';

export interface LayerNodeData extends Record<string, unknown> {
  readonly id: string;
  readonly type: string;
  readonly label: string | undefined;
  readonly shape: readonly number[] | null;
  readonly params: number;
  readonly severity: 'error' | 'warning' | null;
  readonly problems: readonly string[];
  /** One name per input port (React Flow target handle). */
  readonly inputs: readonly string[];
  readonly known: boolean;
  /** An instance of one of the document's blocks rather than a built-in layer. */
  readonly block: boolean;
  /** One of the model's outputs. */
  readonly output: boolean;
}

export interface ShapeEdgeData extends Record<string, unknown> {
  readonly shape: readonly number[] | null;
  readonly port: number;
  readonly severity: 'error' | 'warning' | null;
}

export type LayerFlowNode = Node<LayerNodeData, 'layer'>;
export type ShapeFlowEdge = Edge<ShapeEdgeData, 'shape'>;

/** Handle ids: `in-<port>` for inputs, `out` for the one output. */
export const inHandle = (port: number): string => `in-${port}`;
export const portFromHandle = (h: string | null | undefined): number => (h?.startsWith('in-') ? Number(h.slice(3)) : 0);

/** Input ports to draw: at least the layer's minimum, one more than the highest connected, at most its max. */
function inputNames(doc: GraphDocument, type: string, used: readonly number[]): string[] {
  const def = getLayer(type);
  const block = def ? undefined : blockOf(doc, type);
  if (block) return block.inputs.length > 1 ? [...block.inputs] : ['input'];
  if (!def) return used.length ? Array.from({ length: Math.max(...used) + 1 }, (_, i) => `input ${i}`) : ['input'];
  const { min, max, names } = def.ports;
  if (max === 0) return [];
  // Variadic layers (Add, Concatenate) always offer one free port after the connected ones.
  const spare = max > min ? 1 : 0;
  const count = Math.min(max, Math.max(min, 1, ...used.map((p) => p + 1 + spare)));
  return Array.from({ length: count }, (_, i) => names?.[i] ?? (count > 1 ? `input ${i}` : 'input'));
}

/** The document's own block definition named `type`, if any (blocks are used like layers). */
export function blockOf(doc: GraphDocument, type: string): BlockDef | undefined {
  return doc.blocks && Object.prototype.hasOwnProperty.call(doc.blocks, type) ? doc.blocks[type] : undefined;
}

function worst(ds: readonly Diagnostic[]): 'error' | 'warning' | null {
  if (ds.some((d) => d.severity === 'error')) return 'error';
  return ds.some((d) => d.severity === 'warning') ? 'warning' : null;
}

export function toFlowNodes(doc: GraphDocument, report: CheckReport, nodeReports: readonly NodeReport[], selection: readonly string[]): LayerFlowNode[] {
  const byId = new Map(nodeReports.map((n) => [n.id, n]));
  const selected = new Set(selection);
  const outputs = new Set(outputsOf(doc));
  // The ports in use per node, in one pass over the edges (per node it was nodes × edges).
  const usedPorts = new Map<string, number[]>();
  for (const e of doc.edges) {
    const ports = usedPorts.get(e.target);
    if (ports) ports.push(portOf(e));
    else usedPorts.set(e.target, [portOf(e)]);
  }
  return doc.nodes.map((n, i) => {
    const r = byId.get(n.id);
    // A problem inside a block instance (`instance/inner`) shows on the instance.
    const ds = report.diagnostics.filter((d) => d.nodeIds.some((id) => id === n.id || id.startsWith(`${n.id}/`)));
    return {
      id: n.id,
      type: 'layer',
      // Nodes without a position (hand-written files) start in a column until auto-layout runs.
      position: n.position ?? { x: 0, y: i * 120 },
      selected: selected.has(n.id),
      data: {
        id: n.id,
        type: n.type,
        label: n.label,
        shape: r?.outputShape ?? null,
        params: r?.params ?? 0,
        severity: worst(ds),
        problems: ds.map((d) => d.message),
        inputs: inputNames(doc, n.type, usedPorts.get(n.id) ?? []),
        known: getLayer(n.type) !== undefined || blockOf(doc, n.type) !== undefined,
        block: !getLayer(n.type) && blockOf(doc, n.type) !== undefined,
        output: outputs.has(n.id),
      },
    };
  });
}

export function toFlowEdges(doc: GraphDocument, report: CheckReport, nodeReports: readonly NodeReport[]): ShapeFlowEdge[] {
  const shapes = new Map(nodeReports.map((n) => [n.id, n.outputShape]));
  return doc.edges.map((e) => {
    const port = portOf(e);
    const blamed = report.diagnostics.filter((d) => d.nodeIds.includes(e.target) && d.port === port);
    return {
      id: `${e.source}->${e.target}:${port}`,
      type: 'shape',
      source: e.source,
      target: e.target,
      targetHandle: inHandle(port),
      sourceHandle: 'out',
      data: { shape: shapes.get(e.source) ?? null, port, severity: worst(blamed) },
    };
  });
}
