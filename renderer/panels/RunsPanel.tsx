/**
 * Past runs of this app (the runs folder): pick one to see its curves and evaluation, reopen its
 * graph, export its weights, or tick two or more to compare their curves on one chart.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { EXPORT_FORMATS, type ExportFormat, type RunId, type RunSummary, type TrainEvent } from '../../contracts/index.js';
import { formatPercent } from '../format.js';
import { useEditor } from '../state/editorStore.js';
import { configLabel, runCurve, type RunCurve } from '../state/trainMath.js';
import { useTraining } from '../state/trainStore.js';
import { useApi } from '../transport/context.js';
import { CompareChart } from './CompareChart.js';
import { download, fromBase64 } from './download.js';

const formatTitles: Record<ExportFormat, string> = { tfjs: 'TF.js', safetensors: 'safetensors', pytorch: 'PyTorch', keras: 'Keras' };
const formatHelp: Record<ExportFormat, string> = {
  tfjs: 'model.json + weights.bin, for tf.loadLayersModel',
  safetensors: 'the weights as safetensors',
  pytorch: 'model.py (an nn.Module) + weights.npz',
  keras: 'model.py (tf.keras) + weights.npz',
};

/** How the compare legend names a run: its graph, when it started, and the settings that tell runs apart. */
export function compareLabel(r: RunSummary): string {
  const time = new Date(r.startedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return `${r.name} ${time} · ${configLabel(r.config)}`;
}

export function RunsPanel() {
  const api = useApi();
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const viewing = useTraining((s) => s.viewing);
  const status = useTraining((s) => s.status);
  const [compare, setCompare] = useState<readonly RunId[]>([]);
  const [curves, setCurves] = useState<readonly RunCurve[]>([]);
  const [formats, setFormats] = useState<Readonly<Record<string, ExportFormat>>>({});
  // Finished runs do not change, so their events are fetched once.
  const recorded = useRef(new Map<RunId, readonly TrainEvent[]>());

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

  useEffect(() => {
    if (compare.length < 2 || !runs) {
      setCurves([]);
      return;
    }
    let cancelled = false;
    const picked = compare.map((id) => runs.find((r) => r.runId === id)).filter((r): r is RunSummary => r !== undefined);
    Promise.all(
      picked.map(async (r) => {
        // A run still training gets new epochs, so only finished runs are cached.
        let events = recorded.current.get(r.runId);
        if (!events) {
          events = (await api.invoke('runs.get', { runId: r.runId })).events;
          if (r.status !== 'running') recorded.current.set(r.runId, events);
        }
        return runCurve(compareLabel(r), events);
      }),
    ).then(
      (c) => {
        if (!cancelled) setCurves(c);
      },
      (e: Error) => setError(`Could not load a run to compare: ${e.message}`),
    );
    return () => {
      cancelled = true;
    };
  }, [api, compare, runs]);

  const toggleCompare = (runId: RunId, on: boolean) => setCompare((c) => (on ? [...c.filter((id) => id !== runId), runId] : c.filter((id) => id !== runId)));

  const exportRun = async (runId: RunId, format: ExportFormat) => {
    try {
      const { files } = await api.invoke('runs.export', { runId, format });
      // Each format's files find each other by name (model.json → weights.bin, model.py → weights.npz), so the names stay as they are.
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
      {compare.length === 1 && <p className="hint">Tick one more run to compare their curves.</p>}
      {curves.length >= 2 && <CompareChart curves={curves} />}
      <ul className="runs">
        {runs?.slice(0, 30).map((r) => (
          <li key={r.runId} className={r.runId === viewing ? 'viewing' : undefined} data-testid="run" data-run={r.runId} data-status={r.status}>
            <input
              type="checkbox"
              className="run-compare"
              data-testid="run-compare"
              checked={compare.includes(r.runId)}
              onChange={(e) => toggleCompare(r.runId, e.target.checked)}
              title="Compare this run's curves with the other ticked runs"
              aria-label={`Compare ${r.name}`}
            />
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
              {(r.status === 'done' || r.status === 'stopped') && (
                <>
                  <select
                    className="run-export-format"
                    data-testid="run-export-format"
                    value={formats[r.runId] ?? 'tfjs'}
                    onChange={(e) => setFormats({ ...formats, [r.runId]: e.target.value as ExportFormat })}
                    aria-label="Export format"
                  >
                    {EXPORT_FORMATS.map((f) => (
                      <option key={f} value={f} title={formatHelp[f]}>
                        {formatTitles[f]}
                      </option>
                    ))}
                  </select>
                  <button
                    className="run-open"
                    onClick={() => void exportRun(r.runId, formats[r.runId] ?? 'tfjs')}
                    title={`Download the trained model: ${formatHelp[formats[r.runId] ?? 'tfjs']}`}
                    data-testid="run-export"
                  >
                    Export
                  </button>
                </>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
