/** Totals for the whole graph, problem counts and the connection state. */
import { formatCount, formatExact } from '../format.js';
import { useEditor } from '../state/editorStore.js';
import { useConnection } from '../transport/context.js';

export function StatusBar() {
  const report = useEditor((s) => s.compiled.report);
  const nodes = useEditor((s) => s.history.present.nodes.length);
  const connection = useConnection();
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = report.diagnostics.filter((d) => d.severity === 'warning').length;
  const outputs = report.outputs.map((o) => (o.shape ? o.shape.join('×') : '?')).join(', ');
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span data-testid="status-params" data-value={report.totalParams} title={`${formatExact(report.totalParams)} parameters (${formatExact(report.trainableParams)} trainable)`}>
        Params <b>{formatCount(report.totalParams)}</b>
      </span>
      <span data-testid="status-flops" data-value={report.flops} title={`${formatExact(report.flops)} FLOPs per example (forward pass)`}>
        FLOPs <b>{formatCount(report.flops)}</b>
      </span>
      <span data-testid="status-memory" title="Activation memory per example (float32)">
        Activations <b>{formatCount(report.activationBytes)}B</b>
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
