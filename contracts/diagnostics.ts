/** User mistakes are values: a code, a severity, a message that says how to fix it, and the blamed nodes. */
import type { GraphEdge, GraphNode, ParamValue } from './graph.js';

export type Severity = 'error' | 'warning' | 'info';

export type DiagCode =
  | 'E_PARSE'
  | 'E_FORMAT'
  | 'E_VERSION'
  | 'E_DUPLICATE_ID'
  | 'E_DANGLING_EDGE'
  | 'E_UNKNOWN_TYPE'
  | 'E_BAD_PARAMS'
  | 'E_MISSING_INPUT'
  | 'E_TOO_MANY_INPUTS'
  | 'E_CYCLE'
  | 'E_NO_INPUT'
  | 'E_NO_OUTPUT'
  | 'E_UNKNOWN_OUTPUT'
  | 'E_BLOCK_RECURSION'
  | 'E_BLOCK'
  | 'E_RANK'
  | 'E_SHAPE'
  | 'E_SHAPE_MISMATCH'
  | 'W_UNREACHABLE'
  | 'W_LINEAR_COLLAPSE'
  | 'W_DOUBLE_SOFTMAX'
  | 'W_VANISHING_GRADIENT'
  | 'W_DROPOUT_AT_END'
  | 'W_KERNEL_TOO_LARGE'
  | 'W_DENSE_ON_FEATURE_MAP';

/**
 * A machine-readable edit the editor can apply in one click. `insertNode` splits the edge
 * source → target (at targetPort) with the new node. `removeNode` with `reconnect` wires the
 * node's single input to each of its consumers, and replaces it in `outputs` if listed there.
 */
export type PatchOp =
  | { op: 'insertNode'; node: GraphNode; between: { source: string; target: string; targetPort?: number } }
  | { op: 'setParam'; nodeId: string; key: string; value: ParamValue }
  | { op: 'removeNode'; nodeId: string; reconnect: boolean }
  | { op: 'addEdge'; edge: GraphEdge };

export interface QuickFix {
  readonly title: string;
  readonly patch: readonly PatchOp[];
}

export interface Diagnostic {
  readonly code: DiagCode;
  readonly severity: Severity;
  readonly message: string;
  readonly nodeIds: readonly string[];
  readonly port?: number;
  readonly fix?: QuickFix;
}
