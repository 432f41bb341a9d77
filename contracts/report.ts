/** The result of checking a graph, as `layerlab check --json` prints it and the API returns it. */
import type { Diagnostic } from './diagnostics.js';

export interface NodeReport {
  readonly id: string;
  readonly type: string;
  readonly outputShape: readonly number[] | null;
  readonly params: number;
  readonly trainableParams: number;
  readonly flops: number;
  /** Bytes of activation memory per example (float32 output of this node). */
  readonly activationBytes: number;
}

export interface CheckReport {
  readonly valid: boolean;
  readonly nodes: readonly NodeReport[];
  readonly outputs: readonly { readonly id: string; readonly shape: readonly number[] | null }[];
  readonly totalParams: number;
  readonly trainableParams: number;
  readonly flops: number;
  readonly activationBytes: number;
  readonly diagnostics: readonly Diagnostic[];
}
