/** Totals for the whole graph, problem counts and the connection state. */
import { formatCount, formatExact } from '../format.js';
import { useEditor } from '../state/editorStore.js';
import { useConnection } from '../transport/context.js';

export function StatusBar() {
  const report = useEditor((s) => s.compiled.report);
  const nodeReports = useEditor((s) => s.nodeReports);
  // With structural errors the compiler has no totals; sum the part of the graph that checks instead.
  const partial = report.nodes.length === 0 && nodeReports.length > 0;
  const params = partial ? nodeReports.reduce((a, n) => a + n.params, 0) : report.totalParams;
  const flops = partial ? nodeReports.reduce((a, n) => a + n.flops, 0) : report.flops;
  const bytes = partial ? nodeReports.reduce((a, n) => a + n.activationBytes, 0) : report.activationBytes;
  const note = partial ? ' (only the nodes that check; fix the errors for the whole graph)' : '';
  const nodes = useEditor((s) => s.history.present.nodes.length);
  const connection = useConnection();
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = report.diagnostics.filter((d) => d.severity === 'warning').length;
  const outputs = report.outputs.map((o) => (o.shape ? o.shape.join('×') : '?')).join(', ');
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span data-testid="status-params" data-value={params} title={`${formatExact(params)} parameters${partial ? '' : ` (${formatExact(report.trainableParams)} trainable)`}${note}`}>
        Params <b>{partial ? '≥ ' : ''}{formatCount(params)}</b>
      </span>
      <span data-testid="status-flops" data-value={flops} title={`${formatExact(flops)} FLOPs per example (forward pass)${note}`}>
        FLOPs <b>{partial ? '≥ ' : ''}{formatCount(flops)}</b>
      </span>
      <span data-testid="status-memory" title={`Activation memory per example (float32)${note}`}>
        Activations <b>{partial ? '≥ ' : ''}{formatCount(bytes)}B</b>
      </span>
      <span>
        Nodes <b>{nodes}</b>
      </span>
      {outputs && (
        <span>
          Output <b>{outputs}</b>
        </span>
      )}
      <span className={errors ? 'status-errors' : warnings ? 'status-warnings' : 'status-ok'} data-testid="status-problems">
        {errors || warnings ? `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}` : 'No problems'}
      </span>
      <span className="spacer" />
      <span className={`connection ${connection}`} data-testid="connection">
        {connection === 'open' ? 'Connected' : connection === 'connecting' ? 'Connecting…' : 'Disconnected'}
      </span>
    </footer>
  );
}
