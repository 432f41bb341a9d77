/**
 * What the training panel shows: the current run and the points its events have produced.
 * Events can arrive before `train.start` answers with the run id, so they are held until then.
 */
import { create } from 'zustand';
import type { EvaluationEvent, LayerHealth, RunId, TrainConfig, TrainEvent } from '../../contracts/index.js';
import { emaStep, emaValue, emptyEma, type Ema } from './trainMath.js';

export type RunStatus = 'idle' | 'starting' | 'running' | 'paused' | 'done' | 'stopped' | 'error';

export interface ChartSeries {
  /** Progress in epochs (1.5 = halfway through the second epoch). */
  readonly x: number[];
  /** Raw batch loss (drawn faintly). */
  readonly loss: (number | null)[];
  /** Exponentially smoothed batch loss, at the batch points. */
  readonly smooth: (number | null)[];
  /** Mean train loss of each epoch, at the epoch points. */
  readonly epochLoss: (number | null)[];
  readonly trainAcc: (number | null)[];
  readonly testAcc: (number | null)[];
}

export interface TrainState {
  readonly status: RunStatus;
  readonly runId: RunId | null;
  readonly backend: string | null;
  /** CPU threads of the backend (absent in runs recorded before it was reported). */
  readonly threads: number | null;
  /** The dataset the run trains on (from its start event). */
  readonly dataset: string | null;
  readonly message: string | null;
  readonly examplesPerSecond: number | null;
  readonly epoch: number;
  readonly epochs: number;
  readonly batchesSeen: number;
  readonly batchesPerEpoch: number;
  /** The last batch reported (epoch, batch; both from 1): where the ETA counts from, and what a replayed duplicate is told by. */
  readonly at: { readonly epoch: number; readonly batch: number };
  readonly batchSize: number;
  /** The run's resolved settings (from its start event). */
  readonly config: TrainConfig | null;
  /** The running average behind `series.smooth`. */
  readonly ema: Ema;
  readonly lossPoints: number;
  readonly epochPoints: number;
  readonly last: { readonly trainAcc: number | null; readonly testAcc: number | null; readonly loss: number | null };
  readonly series: ChartSeries;
  /** The latest per-layer health sample, by node id, and the warnings that came with it. */
  readonly health: Readonly<Record<string, LayerHealth>>;
  readonly healthWarnings: readonly string[];
  /** When the health sample was taken (epoch, batch), or null before the first. */
  readonly healthAt: { readonly epoch: number; readonly batch: number } | null;
  /** How the test set was classified, once the run has evaluated it. */
  readonly evaluation: EvaluationEvent | null;
  /** Events whose run is not known yet (train.start has not answered). */
  readonly early: readonly { runId: RunId; event: TrainEvent }[];
  /** The live run was picked up from its recording (after a reload), which does not say whether it is paused. */
  readonly attached: boolean;
  /** The finished run being looked at instead of a live one, if any. */
  readonly viewing: RunId | null;
  /** A run was asked for; its size is known from the request before its start event arrives (which a late listener can miss). */
  starting(epochs: number, batchSize?: number): void;
  /** Shows a recorded run: its events replayed into the same figures and chart as a live run. */
  showRecorded(runId: RunId, events: readonly TrainEvent[]): void;
  /** Waits for a run still training (found after a reload or reconnect); its live events are held meanwhile. */
  attaching(): void;
  /** Rebuilds a running run from its recorded events, then follows its live events (those held included). */
  attach(runId: RunId, events: readonly TrainEvent[]): void;
  started(runId: RunId): void;
  failed(message: string): void;
  receive(runId: RunId, event: TrainEvent): void;
}

const emptySeries = (): ChartSeries => ({ x: [], loss: [], smooth: [], epochLoss: [], trainAcc: [], testAcc: [] });

const initial = {
  status: 'idle' as RunStatus,
  runId: null,
  backend: null,
  threads: null,
  dataset: null,
  message: null,
  examplesPerSecond: null,
  epoch: 0,
  epochs: 0,
  batchesSeen: 0,
  batchesPerEpoch: 0,
  at: { epoch: 0, batch: 0 },
  batchSize: 0,
  config: null,
  ema: emptyEma,
  lossPoints: 0,
  epochPoints: 0,
  last: { trainAcc: null, testAcc: null, loss: null },
  series: emptySeries(),
  health: {},
  healthWarnings: [],
  healthAt: null,
  evaluation: null,
  viewing: null,
  attached: false,
  early: [],
};

/** The chart is a few hundred pixels wide: beyond this many points, every other batch point is dropped. */
export const MAX_CHART_POINTS = 4000;

type Point = { readonly [K in keyof ChartSeries]: ChartSeries[K][number] };
const batchPoint = (x: number, loss: number | null, smooth: number | null): Point => ({ x, loss, smooth, epochLoss: null, trainAcc: null, testAcc: null });

/** Copies rather than pushes, so uPlot and React both see a new value; thinning keeps the copies small. */
function appendPoint(s: ChartSeries, p: Point): ChartSeries {
  const base = s.x.length >= MAX_CHART_POINTS ? thin(s) : s;
  return {
    x: [...base.x, p.x],
    loss: [...base.loss, p.loss],
    smooth: [...base.smooth, p.smooth],
    epochLoss: [...base.epochLoss, p.epochLoss],
    trainAcc: [...base.trainAcc, p.trainAcc],
    testAcc: [...base.testAcc, p.testAcc],
  };
}

/** Drops every other batch-loss point; epoch (accuracy) points all stay. */
function thin(s: ChartSeries): ChartSeries {
  const keep: number[] = [];
  let batchIndex = 0;
  for (let i = 0; i < s.x.length; i++) {
    const isEpoch = s.trainAcc[i] !== null || s.testAcc[i] !== null || s.epochLoss[i] !== null;
    if (isEpoch || batchIndex++ % 2 === 0) keep.push(i);
  }
  const pick = <T>(a: T[]) => keep.map((i) => a[i]!);
  return { x: pick(s.x), loss: pick(s.loss), smooth: pick(s.smooth), epochLoss: pick(s.epochLoss), trainAcc: pick(s.trainAcc), testAcc: pick(s.testAcc) };
}

type Data = Omit<TrainState, 'starting' | 'showRecorded' | 'attaching' | 'attach' | 'started' | 'failed' | 'receive'>;

/** Folds one event into the state; pure, so it is tested without a store. */
export function reduceEvent(s: Data, event: TrainEvent): Partial<Data> {
  switch (event.type) {
    case 'start':
      return {
        status: 'running',
        backend: event.backend,
        threads: event.threads ?? null,
        dataset: event.dataset,
        batchesPerEpoch: event.batchesPerEpoch,
        epochs: event.config.epochs,
        batchSize: event.config.batchSize,
        config: event.config,
        message: null,
      };
    case 'batch': {
      // After a reload the recorded events and the live stream overlap: a batch at or before the last one is a repeat.
      if (event.epoch < s.at.epoch || (event.epoch === s.at.epoch && event.batch <= s.at.batch)) return {};
      const batchesPerEpoch = event.batchesPerEpoch || s.batchesPerEpoch || 1;
      const batchesSeen = s.batchesSeen + 1;
      // Epochs and batches count from 1 (as the runtime emits them), so x = 1.5 is halfway through epoch 2.
      // Computing x from the event, not by counting events, keeps it right with batchEventEvery > 1 and on resume.
      const x = event.epoch - 1 + event.batch / batchesPerEpoch;
      const ema = emaStep(s.ema, event.loss);
      const series = appendPoint(s.series, batchPoint(x, Number.isFinite(event.loss) ? event.loss : null, emaValue(ema)));
      return {
        status: 'running',
        batchesSeen,
        batchesPerEpoch,
        at: { epoch: event.epoch, batch: event.batch },
        ema,
        examplesPerSecond: event.examplesPerSecond,
        lossPoints: s.lossPoints + 1,
        last: { ...s.last, loss: event.loss },
        series,
      };
    }
    case 'epoch': {
      if (event.epoch <= s.epoch) return {};
      const epochPoints = s.epochPoints + 1;
      const loss = Number.isFinite(event.trainLoss) ? event.trainLoss : null;
      const series = appendPoint(s.series, { x: event.epoch, loss: null, smooth: null, epochLoss: loss, trainAcc: event.trainAccuracy, testAcc: event.testAccuracy });
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
      return { health: Object.fromEntries(event.layers.map((l) => [l.id, l])), healthWarnings: event.warnings, healthAt: { epoch: event.epoch, batch: event.batch } };
    case 'evaluation':
      return { evaluation: event };
    case 'state':
      return event.state === 'paused' ? { status: 'paused', message: 'Paused' } : event.state === 'stopping' ? { message: 'Stopping…' } : { status: 'running', message: null };
    default:
      // Events this panel does not draw (layer health, evaluation, pause state), and kinds a newer host may add.
      return {};
  }
}

/** The figures and chart a list of recorded events adds up to. */
export function replay(events: readonly TrainEvent[]): Data {
  let data: Data = { ...initial, series: emptySeries() };
  for (const e of events) data = { ...data, ...reduceEvent(data, e) };
  return data;
}

export const useTraining = create<TrainState>()((set, get) => ({
  ...initial,
  starting: (epochs, batchSize = 0) => set({ ...initial, series: emptySeries(), status: 'starting', epochs, batchSize }),
  attaching: () => set({ ...initial, series: emptySeries(), status: 'starting' }),
  attach: (runId, events) => {
    const early = get().early.filter((e) => e.runId === runId);
    const data = replay(events);
    set({ ...data, status: data.status === 'idle' ? 'running' : data.status, runId, viewing: null, attached: true, early: [] });
    for (const e of early) get().receive(e.runId, e.event);
  },
  showRecorded: (runId, events) => {
    const data = replay(events);
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
