/** Every diagnostic of the graph. Click one to select and centre its node; apply its quick fix in one click. */
import type { Diagnostic } from '../../contracts/index.js';
import { useEditor } from '../state/editorStore.js';

/** Blamed ids as the canvas shows them: a layer inside a block instance (`instance/inner`) is its instance. */
const shownIds = (ids: readonly string[]): string[] => [...new Set(ids.map((id) => id.split('/')[0]!))];

export function ProblemsPanel() {
  // Inside an open block, the problems of its layers (named as in the block).
  const diagnostics = useEditor((s) => s.viewReport.diagnostics);
  const select = useEditor((s) => s.select);
  const run = useEditor((s) => s.run);
  const applyFix = (d: Diagnostic) => {
    if (d.fix) run({ type: 'applyPatch', patch: d.fix.patch });
  };
  return (
    <section className="problems" data-testid="problems-panel">
      <h2>
        Problems <span className="count">{diagnostics.length}</span>
      </h2>
      {diagnostics.length === 0 ? (
        <p className="hint">No problems: every shape checks out.</p>
      ) : (
        <ul>
          {diagnostics.map((d, i) => (
            <li key={`${d.code}-${i}`} className={`problem ${d.severity}`} data-testid="problem" data-code={d.code}>
              <button
                className="problem-text"
                onClick={() => d.nodeIds.length && select(shownIds(d.nodeIds), true)}
                title={d.nodeIds.length ? 'Show on the canvas' : undefined}
              >
                <span className="sev">{d.severity === 'error' ? '✕' : d.severity === 'warning' ? '!' : 'i'}</span>
                <span className="code">{d.code}</span>
                <span className="msg">{d.message}</span>
              </button>
              {d.fix && (
                <button className="fix" onClick={() => applyFix(d)} data-testid="quick-fix">
                  {d.fix.title}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
