/**
 * A teaching lint looks at the shaped graph and warns about something that compiles but
 * will not train well, citing the d2l lesson and carrying a one-click fix where there is one.
 */
import type { Diagnostic, GraphDocument, NodeId, QuickFix } from '../../contracts/index.js';
import { edgeIndex, type ShapedNode } from '../ir.js';
import type { ShapedGraph } from '../passes/inferShapes.js';

export interface LintContext {
  readonly shaped: ShapedGraph;
  readonly doc: GraphDocument;
  readonly outputs: readonly string[];
  /** Consumers of each node, in edge order. */
  readonly consumers: ReadonlyMap<NodeId, readonly NodeId[]>;
}

export interface Lint {
  readonly name: string;
  readonly run: (ctx: LintContext) => Diagnostic[];
}

export function lintContext(shaped: ShapedGraph, doc: GraphDocument, outputs: readonly string[]): LintContext {
  const consumers = new Map<NodeId, NodeId[]>();
  for (const [id, es] of edgeIndex(shaped.graph).outgoing) consumers.set(id, es.map((e) => e.target));
  return { shaped, doc, outputs, consumers };
}

export const warn = (code: Diagnostic['code'], message: string, nodeIds: readonly string[], fix?: QuickFix): Diagnostic => ({
  code,
  severity: 'warning',
  message,
  nodeIds,
  ...(fix ? { fix } : {}),
});

/** The node's activation: its `activation` param, or an Activation node's. */
export const activationOf = (s: ShapedNode): string | undefined =>
  typeof s.params['activation'] === 'string' ? (s.params['activation'] as string) : undefined;

/** Layers that pass values through without weights or a nonlinearity of their own. */
export const passThrough = new Set(['Dropout', 'Flatten', 'Reshape', 'Permute']);
