import { describe, expect, test } from 'vitest';
import type { RunId, RunSummary } from '../../../../contracts/index.js';
import { runToRestore } from '../../../../renderer/panels/restoreRun.js';

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
