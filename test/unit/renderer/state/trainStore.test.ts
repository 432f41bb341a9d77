import { beforeEach, describe, expect, test } from 'vitest';
import type { RunId, TrainEvent } from '../../../../contracts/index.js';
import { MAX_CHART_POINTS, replay, useTraining } from '../../../../renderer/state/trainStore.js';

const run = 'r1' as RunId;
// As the runtime emits them: epochs and batches count from 1.
const batch = (loss: number, e = 1, b = 1, perEpoch = 4): TrainEvent => ({ type: 'batch', epoch: e, batch: b, batchesPerEpoch: perEpoch, loss, accuracy: 0.5, examplesPerSecond: 900 });
const epoch = (acc: number, e = 1): TrainEvent =>
  ({ type: 'epoch', epoch: e, trainLoss: 1, trainAccuracy: acc, testLoss: 1, testAccuracy: acc - 0.1, examplesPerSecond: 1000, seconds: 1, learningRate: 0.1 }) as TrainEvent;

beforeEach(() => useTraining.getState().starting(2));

describe('training store', () => {
  test('batch events become loss points at fractional epochs; epoch events become accuracy points', () => {
    const t = useTraining.getState();
    t.started(run);
    [2.3, 2.0, 1.8, 1.5].forEach((l, i) => useTraining.getState().receive(run, batch(l, 1, i + 1)));
    useTraining.getState().receive(run, epoch(0.6));
    const s = useTraining.getState();
    expect(s.lossPoints).toBe(4);
    expect(s.epochPoints).toBe(1);
    expect(s.series.x).toEqual([0.25, 0.5, 0.75, 1, 1]);
    expect(s.series.loss).toEqual([2.3, 2.0, 1.8, 1.5, null]);
    expect(s.series.testAcc.at(-1)).toBeCloseTo(0.5);
    expect(s.examplesPerSecond).toBe(1000);
  });

  test('long runs are thinned to a bounded number of points, keeping every epoch point', () => {
    useTraining.getState().started(run);
    const n = MAX_CHART_POINTS + 10;
    for (let i = 0; i < n; i++) {
      useTraining.getState().receive(run, batch(1 + i / n, Math.floor(i / 1000) + 1, (i % 1000) + 1, 1000));
      if (i % 1000 === 999) useTraining.getState().receive(run, epoch(0.5, (i + 1) / 1000));
    }
    const s = useTraining.getState();
    expect(s.lossPoints).toBe(n);
    expect(s.series.x.length).toBeLessThanOrEqual(MAX_CHART_POINTS);
    expect(s.series.trainAcc.filter((v) => v !== null)).toHaveLength(4);
    // x stays sorted, as uPlot requires.
    expect(s.series.x.every((v, i, a) => i === 0 || a[i - 1]! <= v)).toBe(true);
    expect(s.series.loss.at(-1)).toBeCloseTo(1 + (n - 1) / n);
  });

  test('events that arrive before train.start answers are replayed once the run id is known', () => {
    useTraining.getState().receive(run, batch(2.3));
    useTraining.getState().receive('other' as RunId, batch(9));
    expect(useTraining.getState().lossPoints).toBe(0);
    useTraining.getState().started(run);
    expect(useTraining.getState().lossPoints).toBe(1);
    expect(useTraining.getState().series.loss).toEqual([2.3]);
  });

  test('with a batch event every 2 batches, x still follows the batch number', () => {
    useTraining.getState().started(run);
    useTraining.getState().receive(run, batch(2, 2, 2, 8));
    useTraining.getState().receive(run, batch(1.9, 2, 4, 8));
    expect(useTraining.getState().series.x).toEqual([1.25, 1.5]);
  });

  test('health events keep the latest sample per layer and its warnings', () => {
    useTraining.getState().started(run);
    const layer = (id: string, gradNorm: number) => ({ id, gradNorm, weightNorm: 1, activationMean: 0, activationStd: 1, deadFraction: null });
    useTraining.getState().receive(run, { type: 'health', epoch: 1, batch: 20, layers: [layer('conv1', 0.1), layer('fc1', 0.2)], warnings: [] });
    useTraining.getState().receive(run, { type: 'health', epoch: 1, batch: 40, layers: [layer('conv1', 1e-9)], warnings: ['conv1: vanishing gradients'] });
    const s = useTraining.getState();
    expect(Object.keys(s.health)).toEqual(['conv1']);
    expect(s.health.conv1!.gradNorm).toBe(1e-9);
    expect(s.healthWarnings).toEqual(['conv1: vanishing gradients']);
  });

  test('the evaluation event is kept for the confusion matrix', () => {
    useTraining.getState().started(run);
    const ev: TrainEvent = { type: 'evaluation', classNames: ['a', 'b'], confusion: [[3, 1], [0, 4]], precision: [1, 0.8], recall: [0.75, 1], accuracy: 0.875, top5Accuracy: 1, examples: {} };
    useTraining.getState().receive(run, ev);
    expect(useTraining.getState().evaluation).toEqual(ev);
  });

  test('a recorded run replays into the same figures; one left running shows as stopped', () => {
    const events: TrainEvent[] = [batch(2.3, 1, 1), batch(2.1, 1, 2), epoch(0.4)];
    useTraining.getState().showRecorded('old' as RunId, events);
    const s = useTraining.getState();
    expect(s).toMatchObject({ viewing: 'old', runId: null, lossPoints: 2, epochPoints: 1, status: 'stopped' });
    expect(s.series.x).toEqual([0.25, 0.5, 1]);
  });

  test('state events pause and resume the run', () => {
    useTraining.getState().started(run);
    useTraining.getState().receive(run, { type: 'state', state: 'paused' });
    expect(useTraining.getState().status).toBe('paused');
    useTraining.getState().receive(run, { type: 'state', state: 'running' });
    expect(useTraining.getState().status).toBe('running');
  });

  test('events of another run are ignored, and errors end the run with their message', () => {
    useTraining.getState().started(run);
    useTraining.getState().receive('other' as RunId, batch(1));
    expect(useTraining.getState().lossPoints).toBe(0);
    useTraining.getState().receive(run, { type: 'error', message: 'out of memory' });
    expect(useTraining.getState()).toMatchObject({ status: 'error', message: 'out of memory' });
  });
});

describe('chart series from recorded events', () => {
  const start: TrainEvent = {
    type: 'start',
    backend: 'wasm',
    threads: 2,
    dataset: 'fashion-mnist',
    trainExamples: 512,
    testExamples: 100,
    batchesPerEpoch: 4,
    config: { epochs: 2, batchSize: 128 } as never,
  };
  const recorded: TrainEvent[] = [start, batch(2, 1, 1), batch(1.6, 1, 2), batch(1.4, 1, 3), batch(1.2, 1, 4), { ...(epoch(0.6) as object), trainLoss: 1.5 } as TrainEvent, batch(1, 2, 1)];

  test('replaying a run rebuilds raw, smoothed and per-epoch loss, and where the run is', () => {
    const d = replay(recorded);
    expect(d.series.x).toEqual([0.25, 0.5, 0.75, 1, 1, 1.25]);
    expect(d.series.loss).toEqual([2, 1.6, 1.4, 1.2, null, 1]);
    expect(d.series.epochLoss).toEqual([null, null, null, null, 1.5, null]);
    expect(d.series.smooth[0]).toBeCloseTo(2);
    expect(d.series.smooth[4]).toBeNull();
    // Smoothed loss lags the falling raw loss.
    expect(d.series.smooth[3]!).toBeGreaterThan(1.2);
    expect(d.at).toEqual({ epoch: 2, batch: 1 });
    expect(d.batchSize).toBe(128);
    expect(d.config?.epochs).toBe(2);
    expect(d.epochs).toBe(2);
    expect(d.lossPoints).toBe(5);
    expect(d.epochPoints).toBe(1);
  });

  test('attaching to a running run keeps following it, skipping live events the recording already had', () => {
    useTraining.getState().attaching();
    // Live events arrive while runs.get is answered: one already recorded, one new.
    useTraining.getState().receive(run, batch(1, 2, 1));
    useTraining.getState().receive(run, batch(0.9, 2, 2));
    useTraining.getState().attach(run, recorded);
    let s = useTraining.getState();
    expect(s.runId).toBe(run);
    expect(s.status).toBe('running');
    expect(s.lossPoints).toBe(6);
    // Its recording does not say whether it is paused, so Pause/Resume follow the host's answers.
    expect(s.attached).toBe(true);
    expect(s.series.x.at(-1)).toBe(1.5);
    // A repeated epoch event is not drawn twice; the next one is.
    useTraining.getState().receive(run, epoch(0.6));
    useTraining.getState().receive(run, epoch(0.7, 2));
    s = useTraining.getState();
    expect(s.epochPoints).toBe(2);
    expect(s.series.testAcc.filter((v) => v !== null)).toHaveLength(2);
  });

  test('a recorded pause is restored as paused', () => {
    const d = replay([...recorded, { type: 'state', state: 'paused' }]);
    expect(d.status).toBe('paused');
  });
});
