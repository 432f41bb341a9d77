/** Past runs of this app (the runs folder): pick one to see its curves and evaluation, or reopen its graph. */
import { useCallback, useEffect, useState } from 'react';
import type { RunId, RunSummary } from '../../contracts/index.js';
import { formatPercent } from '../format.js';
import { useEditor } from '../state/editorStore.js';
import { useTraining } from '../state/trainStore.js';
import { useApi } from '../transport/context.js';
import { download, fromBase64 } from './download.js';

export function RunsPanel() {
  const api = useApi();
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const viewing = useTraining((s) => s.viewing);
  const status = useTraining((s) => s.status);

  const refresh = useCallback(() => {
    api.invoke('runs.list', {}).then(
      (list) => {
        setRuns([...list].sort((a, b) => b.startedAt.localeCompare(a.startedAt)));
        setError(null);
      },
      (e: Error) => setError(`Could not list past runs: ${e.message}`),
    );
  }, [api]);

  // The list changes when a run starts or ends; the host finishes writing a run just after its last event.
  useEffect(() => {
    refresh();
    if (status !== 'done' && status !== 'stopped' && status !== 'error') return;
    const t = setTimeout(refresh, 1000);
    return () => clearTimeout(t);
  }, [refresh, status]);

  const show = async (runId: RunId, openGraph: boolean) => {
    try {
      const detail = await api.invoke('runs.get', { runId });
      useTraining.getState().showRecorded(runId, detail.events);
      if (openGraph && detail.document) useEditor.getState().open(detail.document);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const exportRun = async (runId: RunId) => {
    try {
      const { files } = await api.invoke('runs.export', { runId, format: 'tfjs' });
      // TF.js loads model.json and finds weights.bin next to it, so the names stay as they are.
      for (const f of files) download(f.name, fromBase64(f.base64));
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section className="panel runs-panel" data-testid="runs-panel">
      <h2>
        Runs <span className="muted">{runs ? runs.length : ''}</span>
      </h2>
      {error && <p className="error-text">{error}</p>}
      {runs && runs.length === 0 && <p className="hint">Runs you train appear here, with their curves and graph.</p>}
      <ul className="runs">
        {runs?.slice(0, 30).map((r) => (
          <li key={r.runId} className={r.runId === viewing ? 'viewing' : undefined} data-testid="run" data-run={r.runId}>
            <button className="run-main" onClick={() => void show(r.runId, false)} title="Show this run's curves">
              <span className="run-name">{r.name}</span>
              <span className={`run-state ${r.status}`}>{r.status}</span>
              <span className="run-meta">
                {new Date(r.startedAt).toLocaleString()} · {r.epochs} epoch{r.epochs === 1 ? '' : 's'} · test {formatPercent(r.testAccuracy)}
              </span>
            </button>
            <div className="run-actions">
              <button className="run-open" onClick={() => void show(r.runId, true)} title="Open the graph this run trained" data-testid="run-open-graph">
                Open graph
              </button>
              {r.status === 'done' && (
                <button className="run-open" onClick={() => void exportRun(r.runId)} title="Download the trained model in TF.js format (model.json + weights.bin)" data-testid="run-export">
                  Export
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
