import { beforeEach, describe, expect, test } from 'vitest';
import type { RunId, TrainEvent } from '../../../../contracts/index.js';
import { useTraining } from '../../../../renderer/state/trainStore.js';

const run = 'r1' as RunId;
const batch = (loss: number): TrainEvent => ({ type: 'batch', epoch: 0, batch: 0, batchesPerEpoch: 4, loss, accuracy: 0.5, examplesPerSecond: 900 });
const epoch = (acc: number): TrainEvent =>
  ({ type: 'epoch', epoch: 1, trainLoss: 1, trainAccuracy: acc, testLoss: 1, testAccuracy: acc - 0.1, examplesPerSecond: 1000, seconds: 1, learningRate: 0.1 }) as TrainEvent;

beforeEach(() => useTraining.getState().starting(2));

describe('training store', () => {
  test('batch events become loss points at fractional epochs; epoch events become accuracy points', () => {
    const t = useTraining.getState();
    t.started(run);
    for (const l of [2.3, 2.0, 1.8, 1.5]) useTraining.getState().receive(run, batch(l));
    useTraining.getState().receive(run, epoch(0.6));
    const s = useTraining.getState();
    expect(s.lossPoints).toBe(4);
    expect(s.epochPoints).toBe(1);
    expect(s.series.x).toEqual([0.25, 0.5, 0.75, 1, 1]);
    expect(s.series.loss).toEqual([2.3, 2.0, 1.8, 1.5, null]);
    expect(s.series.testAcc.at(-1)).toBeCloseTo(0.5);
    expect(s.examplesPerSecond).toBe(1000);
  });

  test('events that arrive before train.start answers are replayed once the run id is known', () => {
    useTraining.getState().receive(run, batch(2.3));
    useTraining.getState().receive('other' as RunId, batch(9));
    expect(useTraining.getState().lossPoints).toBe(0);
    useTraining.getState().started(run);
    expect(useTraining.getState().lossPoints).toBe(1);
    expect(useTraining.getState().series.loss).toEqual([2.3]);
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
