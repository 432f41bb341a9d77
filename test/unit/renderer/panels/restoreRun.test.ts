import { beforeEach, describe, expect, test } from 'vitest';
import type { ApiClient, RunId, RunSummary, TrainEvent } from '../../../../contracts/index.js';
import { restoreRun, runToRestore } from '../../../../renderer/panels/restoreRun.js';
import { useTraining } from '../../../../renderer/state/trainStore.js';

const summary = (runId: string, status: RunSummary['status'], startedAt: string): RunSummary => ({
  runId: runId as RunId,
  name: 'LeNet-5',
  startedAt,
  config: null,
  status,
  epochs: 1,
  testAccuracy: 0.5,
  trainLoss: 1,
});

describe('which run to show after a reload', () => {
  const runs = [summary('a', 'done', '2026-01-01T10:00:00Z'), summary('b', 'running', '2026-01-01T11:00:00Z'), summary('c', 'running', '2026-01-01T12:00:00Z')];

  test('a run still training wins, the newest first', () => {
    expect(runToRestore(runs, 'a')).toEqual({ runId: 'c', live: true });
  });

  test('otherwise the run the user had open, if it still exists', () => {
    const finished = runs.map((r) => ({ ...r, status: 'done' as const }));
    expect(runToRestore(finished, 'a')).toEqual({ runId: 'a', live: false });
    expect(runToRestore(finished, 'gone')).toBeNull();
    expect(runToRestore(finished, null)).toBeNull();
  });
});

describe('restoring the chart from the host', () => {
  const start: TrainEvent = { type: 'start', backend: 'wasm', threads: 2, dataset: 'fashion-mnist', trainExamples: 512, testExamples: 100, batchesPerEpoch: 4, config: { epochs: 2, batchSize: 128 } as never };
  const batch = (b: number, loss = 1): TrainEvent => ({ type: 'batch', epoch: 1, batch: b, batchesPerEpoch: 4, loss, accuracy: 0.5, examplesPerSecond: 500 });

  /** An ApiClient answering runs.list and runs.get from fixed data; `during` runs while runs.get is in flight. */
  function fakeApi(runs: RunSummary[], events: Record<string, TrainEvent[]>, during = () => {}): ApiClient {
    return {
      invoke: (async (method: string, req: { runId?: string }) => {
        if (method === 'runs.list') return runs;
        if (method === 'runs.get') {
          during();
          return { summary: runs.find((r) => r.runId === req.runId), document: null, events: events[req.runId!] ?? [], evaluation: null };
        }
        throw new Error(`unexpected ${method}`);
      }) as ApiClient['invoke'],
      on: () => () => undefined,
    };
  }

  beforeEach(() => useTraining.setState(useTraining.getInitialState()));

  test('a running run is rebuilt from its recording and its live events keep coming, without repeats', async () => {
    const api = fakeApi([summary('r', 'running', '2026-01-01T10:00:00Z')], { r: [start, batch(1), batch(2)] }, () => {
      // Live events broadcast while runs.get is answered: one the recording has, one it has not.
      useTraining.getState().receive('r' as RunId, batch(2));
      useTraining.getState().receive('r' as RunId, batch(3));
    });
    await restoreRun(api);
    const s = useTraining.getState();
    expect(s.runId).toBe('r');
    expect(s.status).toBe('running');
    expect(s.series.x).toEqual([0.25, 0.5, 0.75]);
    useTraining.getState().receive('r' as RunId, batch(4));
    expect(useTraining.getState().lossPoints).toBe(4);
  });

  test('a run the user follows is not swapped for another running run', async () => {
    useTraining.getState().starting(2);
    useTraining.getState().started('mine' as RunId);
    useTraining.getState().receive('mine' as RunId, batch(1));
    await restoreRun(fakeApi([summary('other', 'running', '2026-01-01T10:00:00Z'), summary('mine', 'running', '2026-01-01T09:00:00Z')], { other: [start, batch(1), batch(2)] }));
    expect(useTraining.getState().runId).toBe('mine');
    expect(useTraining.getState().lossPoints).toBe(1);
  });

  test('a followed run that ended while the connection was down is shown as recorded', async () => {
    useTraining.getState().starting(2);
    useTraining.getState().started('mine' as RunId);
    useTraining.getState().receive('mine' as RunId, batch(1));
    const done: TrainEvent = { type: 'done', epochs: 1, backend: 'wasm', stopped: false, trainLoss: 1, trainAccuracy: 0.5, testLoss: 1, testAccuracy: 0.5, examplesPerSecond: 500, seconds: 2 };
    await restoreRun(fakeApi([summary('mine', 'done', '2026-01-01T09:00:00Z')], { mine: [start, batch(1), batch(2), done] }));
    const s = useTraining.getState();
    expect(s.viewing).toBe('mine');
    expect(s.status).toBe('done');
    expect(s.lossPoints).toBe(2);
  });
});
