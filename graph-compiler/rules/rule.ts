/** A structural rule looks at the IR and reports diagnostics; it never throws or mutates. */
import type { Diagnostic } from '../../contracts/index.js';
import type { IRGraph } from '../ir.js';

export interface Rule {
  readonly name: string;
  readonly run: (graph: IRGraph) => Diagnostic[];
}

export const error = (code: Diagnostic['code'], message: string, nodeIds: readonly string[], port?: number): Diagnostic =>
  port === undefined ? { code, severity: 'error', message, nodeIds } : { code, severity: 'error', message, nodeIds, port };

export const warning = (code: Diagnostic['code'], message: string, nodeIds: readonly string[]): Diagnostic => ({
  code,
  severity: 'warning',
  message,
  nodeIds,
});
