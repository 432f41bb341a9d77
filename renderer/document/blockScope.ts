/**
 * Shapes and problems inside a block being edited (see the `inBlock` command): they come from the
 * block's first instance, whose layers the compiler reports as `<instance>/<inner id>`.
 */
import type { CheckReport, Diagnostic, GraphDocument, NodeReport } from '../../contracts/index.js';

/** The id of the first node that uses block `name`, whose shapes the block view shows. */
export const firstInstance = (doc: GraphDocument, name: string): string | undefined => doc.nodes.find((n) => n.type === name)?.id;

/**
 * Reports and diagnostics of block `name`'s layers as its first instance has them, with the instance
 * prefix taken off; the block's input placeholders get the shapes that flow into the instance.
 */
export function scopeReports(doc: GraphDocument, name: string, reports: readonly NodeReport[], report: CheckReport): { reports: NodeReport[]; report: CheckReport } {
  const instance = firstInstance(doc, name);
  const def = doc.blocks?.[name];
  if (!instance || !def) return { reports: [], report: { ...report, nodes: [], diagnostics: [] } };
  const prefix = `${instance}/`;
  const inner = (id: string) => (id.startsWith(prefix) ? id.slice(prefix.length) : null);
  const mapped = reports.flatMap((r) => {
    const id = inner(r.id);
    return id === null ? [] : [{ ...r, id }];
  });
  def.inputs.forEach((input, port) => {
    const edge = doc.edges.find((e) => e.target === instance && (e.targetPort ?? 0) === port);
    const source = reports.find((r) => r.id === edge?.source);
    if (source && !mapped.some((r) => r.id === input))
      mapped.push({ id: input, type: 'Input', outputShape: source.outputShape, params: 0, trainableParams: 0, flops: 0, activationBytes: 0 });
  });
  const diagnostics = report.diagnostics.flatMap((d): Diagnostic[] => {
    const ids = d.nodeIds.map(inner).filter((x): x is string => x !== null);
    // Quick fixes name the user's nodes, not expanded ones, so they do not apply inside a block view.
    return ids.length ? [{ code: d.code, severity: d.severity, message: d.message, nodeIds: ids, ...(d.port === undefined ? {} : { port: d.port }) }] : [];
  });
  return { reports: mapped, report: { ...report, nodes: mapped, diagnostics } };
}
