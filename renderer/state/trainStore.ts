/**
 * What the training panel shows: the current run and the points its events have produced.
 * Events can arrive before `train.start` answers with the run id, so they are held until then.
 */
import { create } from 'zustand';
import type { EvaluationEvent, LayerHealth, RunId, TrainEvent } from '../../contracts/index.js';

export type RunStatus = 'idle' | 'starting' | 'running' | 'paused' | 'done' | 'stopped' | 'error';

export interface ChartSeries {
  /** Progress in epochs (1.5 = halfway through the second epoch). */
  readonly x: number[];
  readonly loss: (number | null)[];
  readonly trainAcc: (number | null)[];
  readonly testAcc: (number | null)[];
}

export interface TrainState {
  readonly status: RunStatus;
  readonly runId: RunId | null;
  readonly backend: string | null;
  /** The dataset the run trains on (from its start event). */
  readonly dataset: string | null;
  readonly message: string | null;
  readonly examplesPerSecond: number | null;
  readonly epoch: number;
  readonly epochs: number;
  readonly batchesSeen: number;
  readonly batchesPerEpoch: number;
  readonly lossPoints: number;
  readonly epochPoints: number;
  readonly last: { readonly trainAcc: number | null; readonly testAcc: number | null; readonly loss: number | null };
  readonly series: ChartSeries;
  /** The latest per-layer health sample, by node id, and the warnings that came with it. */
  readonly health: Readonly<Record<string, LayerHealth>>;
  readonly healthWarnings: readonly string[];
  /** How the test set was classified, once the run has evaluated it. */
  readonly evaluation: EvaluationEvent | null;
  /** Events whose run is not known yet (train.start has not answered). */
  readonly early: readonly { runId: RunId; event: TrainEvent }[];
  /** The finished run being looked at instead of a live one, if any. */
  readonly viewing: RunId | null;
  starting(epochs: number): void;
  /** Shows a recorded run: its events replayed into the same figures and chart as a live run. */
  showRecorded(runId: RunId, events: readonly TrainEvent[]): void;
  started(runId: RunId): void;
  failed(message: string): void;
  receive(runId: RunId, event: TrainEvent): void;
}

const emptySeries = (): ChartSeries => ({ x: [], loss: [], trainAcc: [], testAcc: [] });

const initial = {
  status: 'idle' as RunStatus,
  runId: null,
  backend: null,
  dataset: null,
  message: null,
  examplesPerSecond: null,
  epoch: 0,
  epochs: 0,
  batchesSeen: 0,
  batchesPerEpoch: 0,
  lossPoints: 0,
  epochPoints: 0,
  last: { trainAcc: null, testAcc: null, loss: null },
  series: emptySeries(),
  health: {},
  healthWarnings: [],
  evaluation: null,
  viewing: null,
  early: [],
};

/** The chart is a few hundred pixels wide: beyond this many points, every other batch point is dropped. */
export const MAX_CHART_POINTS = 4000;

/** Copies rather than pushes, so uPlot and React both see a new value; thinning keeps the copies small. */
function appendPoint(s: ChartSeries, x: number, loss: number | null, trainAcc: number | null, testAcc: number | null): ChartSeries {
  const base = s.x.length >= MAX_CHART_POINTS ? thin(s) : s;
  return { x: [...base.x, x], loss: [...base.loss, loss], trainAcc: [...base.trainAcc, trainAcc], testAcc: [...base.testAcc, testAcc] };
}

/** Drops every other batch-loss point; epoch (accuracy) points all stay. */
function thin(s: ChartSeries): ChartSeries {
  const keep: number[] = [];
  let batchIndex = 0;
  for (let i = 0; i < s.x.length; i++) {
    const isEpoch = s.trainAcc[i] !== null || s.testAcc[i] !== null;
    if (isEpoch || batchIndex++ % 2 === 0) keep.push(i);
  }
  const pick = <T>(a: T[]) => keep.map((i) => a[i]!);
  return { x: pick(s.x), loss: pick(s.loss), trainAcc: pick(s.trainAcc), testAcc: pick(s.testAcc) };
}

type Data = Omit<TrainState, 'starting' | 'showRecorded' | 'started' | 'failed' | 'receive'>;

/** Folds one event into the state; pure, so it is tested without a store. */
export function reduceEvent(s: Data, event: TrainEvent): Partial<Data> {
  switch (event.type) {
    case 'start':
      return { status: 'running', backend: event.backend, dataset: event.dataset, batchesPerEpoch: event.batchesPerEpoch, epochs: event.config.epochs, message: null };
    case 'batch': {
      const batchesPerEpoch = event.batchesPerEpoch || s.batchesPerEpoch || 1;
      const batchesSeen = s.batchesSeen + 1;
      // Epochs and batches count from 1 (as the runtime emits them), so x = 1.5 is halfway through epoch 2.
      // Computing x from the event, not by counting events, keeps it right with batchEventEvery > 1 and on resume.
      const x = event.epoch - 1 + event.batch / batchesPerEpoch;
      const series = appendPoint(s.series, x, Number.isFinite(event.loss) ? event.loss : null, null, null);
      return {
        status: 'running',
        batchesSeen,
        batchesPerEpoch,
        examplesPerSecond: event.examplesPerSecond,
        lossPoints: s.lossPoints + 1,
        last: { ...s.last, loss: event.loss },
        series,
      };
    }
    case 'epoch': {
      const epochPoints = s.epochPoints + 1;
      const series = appendPoint(s.series, event.epoch, null, event.trainAccuracy, event.testAccuracy);
      return {
        epoch: event.epoch,
        epochPoints,
        examplesPerSecond: event.examplesPerSecond,
        last: { ...s.last, trainAcc: event.trainAccuracy, testAcc: event.testAccuracy },
        series,
      };
    }
    case 'done':
      return {
        status: event.stopped ? 'stopped' : 'done',
        backend: event.backend,
        examplesPerSecond: event.examplesPerSecond,
        last: { ...s.last, trainAcc: event.trainAccuracy, testAcc: event.testAccuracy },
        message: event.stopped ? 'Stopped' : `Done in ${event.seconds.toFixed(1)} s`,
      };
    case 'error':
      return { status: 'error', message: event.message };
    case 'log':
      return { message: event.message };
    case 'health':
      return { health: Object.fromEntries(event.layers.map((l) => [l.id, l])), healthWarnings: event.warnings };
    case 'evaluation':
      return { evaluation: event };
    case 'state':
      return event.state === 'paused' ? { status: 'paused', message: 'Paused' } : event.state === 'stopping' ? { message: 'Stopping…' } : { status: 'running', message: null };
    default:
      // Events this panel does not draw (layer health, evaluation, pause state), and kinds a newer host may add.
      return {};
  }
}

export const useTraining = create<TrainState>()((set, get) => ({
  ...initial,
  starting: (epochs) => set({ ...initial, series: emptySeries(), status: 'starting', epochs }),
  showRecorded: (runId, events) => {
    let data: Data = { ...initial, series: emptySeries() };
    for (const e of events) data = { ...data, ...reduceEvent(data, e) };
    // A run that ended without a done event (the app closed) is shown as it was left.
    set({ ...data, status: data.status === 'running' || data.status === 'paused' ? 'stopped' : data.status, runId: null, viewing: runId });
  },
  started: (runId) => {
    const early = get().early.filter((e) => e.runId === runId);
    set({ runId, early: [] });
    for (const e of early) get().receive(e.runId, e.event);
  },
  failed: (message) => set({ status: 'error', message }),
  receive: (runId, event) => {
    const s = get();
    if (s.runId === null) {
      if (s.status === 'starting') set({ early: [...s.early, { runId, event }] });
      return;
    }
    if (runId !== s.runId) return;
    set(reduceEvent(s, event));
  },
}));
