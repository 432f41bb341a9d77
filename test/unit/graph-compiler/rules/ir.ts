/** Builds rule-test IR from a terse node and edge list. */
import type { GraphDocument } from '../../../../contracts/index.js';
import type { IRGraph } from '../../../../graph-compiler/ir.js';
import { buildIR } from '../../../../graph-compiler/passes/buildIR.js';

type NodeSpec = [id: string, type: string, params?: Record<string, unknown>];
type EdgeSpec = [source: string, target: string, targetPort?: number];

export function ir(nodes: NodeSpec[], edges: EdgeSpec[], outputs?: string[]): IRGraph {
  const doc = {
    format: 'layerlab-graph',
    version: 1,
    name: 't',
    nodes: nodes.map(([id, type, params]) => ({ id, type, params: (params ?? {}) as never })),
    edges: edges.map(([source, target, targetPort]) => (targetPort === undefined ? { source, target } : { source, target, targetPort })),
    ...(outputs ? { outputs } : {}),
  } as GraphDocument;
  return buildIR(doc);
}

export const input: NodeSpec = ['in', 'Input', { shape: [4] }];
