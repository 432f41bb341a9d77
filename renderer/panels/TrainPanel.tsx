/** Training: dataset and hyper-parameters, Train/Stop, live figures and the chart. */
import { useEffect, useState } from 'react';
import { backendName, type BackendName, type DatasetInfo, type LayerHealth, type OptimizerConfig, type TrainConfigInput } from '../../contracts/index.js';
import { formatCount, formatPercent } from '../format.js';
import { useEditor } from '../state/editorStore.js';
import { etaSeconds, formatDuration } from '../state/trainMath.js';
import { useTraining } from '../state/trainStore.js';
import { useApi } from '../transport/context.js';
import { ConfusionMatrix } from './ConfusionMatrix.js';
import { LossChart } from './LossChart.js';
import { defaultMoreOptions, MoreOptions, moreOptionsConfig, moreOptionsErrors, type MoreOptionsForm } from './MoreOptions.js';
import { preflight } from './preflight.js';
import { useRestoreRun } from './restoreRun.js';

interface Form {
  dataset: string;
  epochs: string;
  batchSize: string;
  learningRate: string;
  limitTrain: string;
  healthEvery: string;
  backend: BackendName;
  optimizer: OptimizerName;
}

type OptimizerName = OptimizerConfig['type'];
const optimizerTitles: Record<OptimizerName, string> = { sgd: 'SGD', momentum: 'SGD + momentum', adam: 'Adam', adamw: 'AdamW', rmsprop: 'RMSprop' };

const backendTitles: Record<BackendName, string> = {
  auto: 'Auto',
  'node-gpu': 'GPU (CUDA)',
  node: 'Native CPU',
  wasm: 'WebAssembly',
  cpu: 'JavaScript',
};

const positiveInt = (s: string) => /^\d+$/.test(s.trim()) && Number(s) > 0;
const positiveNum = (s: string) => s.trim() !== '' && Number.isFinite(Number(s)) && Number(s) > 0;

function formErrors(f: Form): Partial<Record<keyof Form, string>> {
  const e: Partial<Record<keyof Form, string>> = {};
  if (!f.dataset) e.dataset = 'Pick a dataset';
  if (!positiveInt(f.epochs)) e.epochs = 'A whole number ≥ 1';
  if (!positiveInt(f.batchSize)) e.batchSize = 'A whole number ≥ 1';
  if (!positiveNum(f.learningRate)) e.learningRate = 'A number > 0, e.g. 0.1';
  if (f.limitTrain.trim() && !positiveInt(f.limitTrain)) e.limitTrain = 'Empty for all, or a whole number ≥ 1';
  if (!/^\d+$/.test(f.healthEvery.trim())) e.healthEvery = 'Batches between health samples; 0 turns them off';
  return e;
}

export function TrainPanel() {
  const api = useApi();
  const doc = useEditor((s) => s.history.present);
  const valid = useEditor((s) => s.compiled.report.valid);
  const nodeReports = useEditor((s) => s.nodeReports);
  const t = useTraining();
  useRestoreRun();
  const [datasets, setDatasets] = useState<DatasetInfo[]>([]);
  const [form, setForm] = useState<Form>({ dataset: '', epochs: '10', batchSize: '256', learningRate: '0.1', limitTrain: '', healthEvery: '20', backend: 'auto', optimizer: 'sgd' });

  useEffect(() => {
    api.invoke('datasets.list', {}).then(setDatasets, () => setDatasets([]));
  }, [api]);

  // A newly opened document brings its own training section.
  const training = doc.training;
  useEffect(() => {
    setForm((f) => ({
      ...f,
      dataset: training?.dataset ?? f.dataset,
      epochs: String(training?.epochs ?? f.epochs),
      batchSize: String(training?.batchSize ?? f.batchSize),
      learningRate: String(training?.optimizer?.learningRate ?? f.learningRate),
      optimizer: training?.optimizer?.type ?? f.optimizer,
    }));
  }, [training]);

  // A run picked up after a reload shows the settings it trains with, not the form's defaults.
  const runConfig = useTraining((s) => (s.status === 'running' || s.status === 'paused' ? s.config : null));
  useEffect(() => {
    if (!runConfig) return;
    setForm((f) => ({
      ...f,
      dataset: runConfig.dataset,
      epochs: String(runConfig.epochs),
      batchSize: String(runConfig.batchSize),
      learningRate: String(runConfig.optimizer.learningRate),
      optimizer: runConfig.optimizer.type,
      limitTrain: runConfig.limitTrain === undefined ? '' : String(runConfig.limitTrain),
      healthEvery: String(runConfig.healthEvery),
      backend: runConfig.backend,
    }));
  }, [runConfig]);

  useEffect(() => {
    if (!form.dataset && datasets.length) setForm((f) => ({ ...f, dataset: datasets.find((d) => d.available)?.name ?? datasets[0]!.name }));
  }, [datasets, form.dataset]);

  const [more, setMore] = useState<MoreOptionsForm>(defaultMoreOptions);
  const errors = formErrors(form);
  const moreInvalid = Object.keys(moreOptionsErrors(more)).length > 0;
  const report = useEditor((s) => s.compiled.report);
  const fit = preflight(report, datasets.find((d) => d.name === form.dataset), training?.loss);
  const busy = t.status === 'starting' || t.status === 'running' || t.status === 'paused';
  const canTrain = !busy && valid && fit.length === 0 && Object.keys(errors).length === 0 && !moreInvalid;

  const start = async () => {
    const { weightDecay, ...extra } = moreOptionsConfig(more);
    const config: TrainConfigInput = {
      ...extra,
      dataset: form.dataset,
      epochs: Number(form.epochs),
      batchSize: Number(form.batchSize),
      optimizer: { ...training?.optimizer, type: form.optimizer, learningRate: Number(form.learningRate), ...(weightDecay === undefined ? {} : { weightDecay }) },
      ...(training?.loss ? { loss: training.loss } : {}),
      ...(training?.seed !== undefined ? { seed: training.seed } : {}),
      ...(form.limitTrain.trim() ? { limitTrain: Number(form.limitTrain) } : {}),
      healthEvery: Number(form.healthEvery),
      backend: form.backend,
    };
    t.starting(config.epochs!, config.batchSize!);
    try {
      const { runId } = await api.invoke('train.start', { document: doc, config });
      useTraining.getState().started(runId);
    } catch (e) {
      useTraining.getState().failed((e as Error).message);
    }
  };

  const stop = (when: 'now' | 'epochEnd') => {
    if (t.runId) void api.invoke('train.stop', { runId: t.runId, when }).catch(() => undefined);
  };
  const pauseOrResume = () => {
    if (!t.runId) return;
    const runId = t.runId;
    const resume = t.status === 'paused';
    const call = resume ? api.invoke('train.resume', { runId }) : api.invoke('train.pause', { runId });
    // The worker confirms with a state event, but only when the state changes. A run picked up after a
    // reload may already be paused (its recording does not say), so there the answer moves the button on.
    const attached = t.attached;
    call.then(
      ({ ok }) => {
        if (ok && attached) useTraining.getState().receive(runId, { type: 'state', state: resume ? 'running' : 'paused' });
      },
      (e: Error) => useTraining.getState().failed(e.message),
    );
  };

  const field = (key: keyof Form, label: string, props: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <label className="field">
      <span>{label}</span>
      <input
        data-testid={`train-${key}`}
        value={form[key]}
        aria-invalid={errors[key] ? true : undefined}
        title={errors[key]}
        onChange={(e) => setForm({ ...form, [key]: e.target.value })}
        disabled={busy}
        {...props}
      />
    </label>
  );

  const selected = datasets.find((d) => d.name === form.dataset);
  const modelInput = nodeReports.find((n) => n.type === 'Input')?.outputShape ?? null;
  const resized =
    selected && modelInput && modelInput.length === 3 && selected.inputShape.length === 3 && (modelInput[0] !== selected.inputShape[0] || modelInput[1] !== selected.inputShape[1])
      ? `Images are resized from ${selected.inputShape[0]}×${selected.inputShape[1]} to ${modelInput[0]}×${modelInput[1]} to fit the Input.`
      : null;
  return (
    <section className="panel train-panel" data-testid="train-panel">
      <h2>Train</h2>
      <label className="field wide">
        <span>Dataset</span>
        <select data-testid="train-dataset" value={form.dataset} onChange={(e) => setForm({ ...form, dataset: e.target.value })} disabled={busy}>
          {datasets.map((d) => (
            <option key={d.name} value={d.name} disabled={!d.available}>
              {d.title}
              {d.available ? '' : ' (not available)'}
            </option>
          ))}
        </select>
      </label>
      {selected && (
        <p className="hint" data-testid="dataset-hint">
          {selected.inputShape.join('×')} images, {selected.classes} classes{selected.note ? ` · ${selected.note}` : ''}.
          {resized && <span className="resize-note"> {resized}</span>}
        </p>
      )}
      <div className="field-grid">
        {field('epochs', 'Epochs', { inputMode: 'numeric' })}
        {field('batchSize', 'Batch size', { inputMode: 'numeric' })}
        <label className="field">
          <span>Optimizer</span>
          <select data-testid="train-optimizer" value={form.optimizer} onChange={(e) => setForm({ ...form, optimizer: e.target.value as OptimizerName })} disabled={busy}>
            {Object.entries(optimizerTitles).map(([k, title]) => (
              <option key={k} value={k}>
                {title}
              </option>
            ))}
          </select>
        </label>
        {field('learningRate', 'Learning rate', { inputMode: 'decimal' })}
        {field('limitTrain', 'Limit train examples', { inputMode: 'numeric', placeholder: 'all' })}
        {field('healthEvery', 'Layer health every (batches)', { inputMode: 'numeric' })}
        <label className="field">
          <span>Backend</span>
          <select data-testid="train-backend-select" value={form.backend} onChange={(e) => setForm({ ...form, backend: e.target.value as BackendName })} disabled={busy}>
            {backendName.options.map((b) => (
              <option key={b} value={b}>
                {backendTitles[b]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <MoreOptions form={more} onChange={setMore} disabled={busy} />
      {fit.map((m, i) => (
        <p key={i} className="error-text" data-testid="train-preflight">
          {m}
        </p>
      ))}
      <div className="buttons">
        <button className="primary" data-testid="train-start" disabled={!canTrain} onClick={() => void start()} title={valid ? undefined : 'Fix the errors in the Problems panel first'}>
          Train
        </button>
        <button data-testid="train-pause" disabled={!t.runId || (t.status !== 'running' && t.status !== 'paused')} onClick={pauseOrResume}>
          {t.status === 'paused' ? 'Resume' : 'Pause'}
        </button>
        <button data-testid="train-stop" disabled={!busy || !t.runId} onClick={() => stop('now')}>
          Stop
        </button>
        <button data-testid="train-stop-epoch" disabled={!busy || !t.runId} onClick={() => stop('epochEnd')} title="Finish this epoch (with its test pass), then stop">
          Stop after epoch
        </button>
        <span className={`run-status ${t.status}`} data-testid="train-status">
          {statusText(t.status, t.epoch, t.epochs)}
        </span>
      </div>
      {t.message && (
        <p className={t.status === 'error' ? 'error-text' : 'hint'} data-testid="train-message">
          {t.message}
        </p>
      )}
      <dl className="figures">
        <div>
          <dt>Backend</dt>
          <dd data-testid="train-backend">
            {t.backend ?? '–'}
            {t.threads && t.backend !== 'cpu' ? ` · ${t.threads} thread${t.threads === 1 ? '' : 's'}` : ''}
          </dd>
        </div>
        <div>
          <dt>Examples/s</dt>
          <dd data-testid="train-speed">{t.examplesPerSecond === null ? '–' : formatCount(Math.round(t.examplesPerSecond))}</dd>
        </div>
        <div>
          <dt>Time left</dt>
          <dd data-testid="train-eta" title="At the current speed, not counting the test pass after each epoch">
            {t.status === 'running' || t.status === 'paused' ? formatDuration(etaSeconds({ ...t.at, batchesPerEpoch: t.batchesPerEpoch, epochs: t.epochs, batchSize: t.batchSize }, t.examplesPerSecond)) : '–'}
          </dd>
        </div>
        <div>
          <dt>Loss</dt>
          <dd data-testid="train-loss">{t.last.loss === null ? '–' : t.last.loss.toFixed(3)}</dd>
        </div>
        <div>
          <dt>Train acc</dt>
          <dd data-testid="train-acc">{formatPercent(t.last.trainAcc)}</dd>
        </div>
        <div>
          <dt>Test acc</dt>
          <dd data-testid="test-acc">{formatPercent(t.last.testAcc)}</dd>
        </div>
      </dl>
      <LossChart />
      {t.evaluation && <ConfusionMatrix evaluation={t.evaluation} dataset={t.dataset} />}
      <HealthTable health={t.health} at={t.healthAt} />
      {t.healthWarnings.length > 0 && (
        <ul className="health-warnings" data-testid="health-warnings">
          {t.healthWarnings.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The latest per-layer health sample, one row per layer (the same figures the canvas nodes show). */
function HealthTable({ health, at }: { health: Readonly<Record<string, LayerHealth>>; at: { epoch: number; batch: number } | null }) {
  const layers = Object.values(health);
  if (layers.length === 0) return null;
  return (
    <table className="health-table" data-testid="train-health" data-sample={at ? `${at.epoch}:${at.batch}` : ''} title={at ? `Sampled at epoch ${at.epoch}, batch ${at.batch}` : undefined}>
      <thead>
        <tr>
          <th>Layer</th>
          <th title="L2 norm of the gradient of the layer's weights">∇ norm</th>
          <th title="Standard deviation of the layer's output">act σ</th>
          <th title="ReLU units that output zero for the whole batch">dead</th>
        </tr>
      </thead>
      <tbody>
        {layers.map((h) => (
          <tr key={h.id} data-testid="health-row" data-node={h.id} data-grad-norm={h.gradNorm}>
            <td>{h.id}</td>
            <td>{h.weightNorm > 0 ? h.gradNorm.toExponential(1) : '–'}</td>
            <td>{h.activationStd.toFixed(2)}</td>
            <td>{h.deadFraction === null ? '–' : `${(h.deadFraction * 100).toFixed(0)}%`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function statusText(s: string, epoch: number, epochs: number): string {
  switch (s) {
    case 'starting':
      return 'Starting…';
    case 'running':
      return `Epoch ${Math.min(epoch + 1, epochs)} of ${epochs}`;
    case 'paused':
      return 'Paused';
    case 'done':
      return 'Done';
    case 'stopped':
      return 'Stopped';
    case 'error':
      return 'Failed';
    default:
      return 'Idle';
  }
}
