/**
 * The arithmetic behind the training figures: time left, the smoothed loss line, and the
 * per-run curves the compare chart overlays. Pure functions over plain numbers and recorded events.
 */
import type { TrainEvent } from '../../contracts/index.js';

/** Where a run is: the last batch it reported (both count from 1) and how big the run is. */
export interface Progress {
  readonly epoch: number;
  readonly batch: number;
  readonly batchesPerEpoch: number;
  readonly epochs: number;
  readonly batchSize: number;
}

/** Batches still to train: the rest of this epoch plus every later epoch. */
export function batchesLeft(p: Progress): number {
  if (p.batchesPerEpoch <= 0 || p.epochs <= 0) return 0;
  const rest = Math.max(0, p.batchesPerEpoch - p.batch);
  return rest + Math.max(0, p.epochs - p.epoch) * p.batchesPerEpoch;
}

/**
 * Seconds until the run ends at the current speed, or null while the speed is unknown.
 * Testing after each epoch is not counted, so the estimate errs on the short side.
 */
export function etaSeconds(p: Progress, examplesPerSecond: number | null): number | null {
  if (examplesPerSecond === null || !(examplesPerSecond > 0) || p.batchSize <= 0 || p.batchesPerEpoch <= 0) return null;
  return (batchesLeft(p) * p.batchSize) / examplesPerSecond;
}

/** "1 h 02 min", "3 min 05 s", "42 s" (rounded up, so a run never shows 0 s while it still trains). */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  const s = Math.ceil(Math.max(0, seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** Weight of the past in the smoothed loss (TensorBoard's default smoothing is similar). */
export const SMOOTHING = 0.9;

/** An exponential moving average; `count` lets the early values be de-biased (they would start near 0). */
export interface Ema {
  readonly value: number;
  readonly count: number;
}
export const emptyEma: Ema = { value: 0, count: 0 };

/** Adds one sample; a non-finite loss (a diverged batch) leaves the average as it was. */
export function emaStep(e: Ema, sample: number, beta = SMOOTHING): Ema {
  if (!Number.isFinite(sample)) return e;
  return { value: beta * e.value + (1 - beta) * sample, count: e.count + 1 };
}

/** The de-biased average, or null before the first sample. */
export function emaValue(e: Ema, beta = SMOOTHING): number | null {
  return e.count === 0 ? null : e.value / (1 - beta ** e.count);
}

/** Smooths a whole series at once (what the live chart builds point by point); nulls stay gaps. */
export function smoothSeries(values: readonly (number | null)[], beta = SMOOTHING): (number | null)[] {
  let e = emptyEma;
  return values.map((v) => {
    if (v === null) return null;
    e = emaStep(e, v, beta);
    return emaValue(e, beta);
  });
}

/** One run's per-epoch figures, as the compare chart draws them. */
export interface RunCurve {
  readonly label: string;
  readonly epochs: readonly number[];
  readonly testAccuracy: readonly number[];
  readonly trainLoss: readonly number[];
}

/** A run's per-epoch curve from its recorded events (a resumed run's repeated epoch keeps the last value). */
export function runCurve(label: string, events: readonly TrainEvent[]): RunCurve {
  const byEpoch = new Map<number, { acc: number; loss: number }>();
  for (const e of events) if (e.type === 'epoch') byEpoch.set(e.epoch, { acc: e.testAccuracy, loss: e.trainLoss });
  const epochs = [...byEpoch.keys()].sort((a, b) => a - b);
  return { label, epochs, testAccuracy: epochs.map((k) => byEpoch.get(k)!.acc), trainLoss: epochs.map((k) => byEpoch.get(k)!.loss) };
}

/** Aligned columns for uPlot: shared x (every epoch any run reached), then per run test accuracy and train loss. */
export interface CompareData {
  readonly x: number[];
  /** For run i: testAccuracy[i][k] at x[k], null where that run has no such epoch. */
  readonly testAccuracy: (number | null)[][];
  readonly trainLoss: (number | null)[][];
}

export function compareData(curves: readonly RunCurve[]): CompareData {
  const x = [...new Set(curves.flatMap((c) => c.epochs))].sort((a, b) => a - b);
  const column = (c: RunCurve, values: readonly number[]) => {
    const at = new Map(c.epochs.map((e, i) => [e, values[i]!]));
    return x.map((e) => at.get(e) ?? null);
  };
  return { x, testAccuracy: curves.map((c) => column(c, c.testAccuracy)), trainLoss: curves.map((c) => column(c, c.trainLoss)) };
}

/** The key settings that tell runs of one graph apart: "adam · lr 0.001 · batch 128". */
export function configLabel(config: { readonly optimizer: { readonly type: string; readonly learningRate: number }; readonly batchSize: number } | null): string {
  if (!config) return 'config unknown';
  return `${config.optimizer.type} · lr ${config.optimizer.learningRate} · batch ${config.batchSize}`;
}
