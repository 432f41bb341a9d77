import { mkdtempSync, readFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportFiles, listRuns, runDetail } from '../../../runtime/runs.js';
import { runTraining } from '../../../runtime/train/run.js';
import { template } from '../../helpers/paths.js';

const runsDir = mkdtempSync(join(tmpdir(), 'll-runs-'));

beforeAll(async () => {
  const document = JSON.parse(readFileSync(template('mlp'), 'utf8'));
  const config = { dataset: 'synthetic-shapes', epochs: 1, batchSize: 100, limitTrain: 200, limitTest: 100, backend: 'cpu' as const, healthEvery: 0 };
  await runTraining({ document, config, dataDir: '/x', runDir: join(runsDir, 'a-done') }, () => {}, { shouldStop: () => false });
  await runTraining({ document, config, dataDir: '/x', runDir: join(runsDir, 'b-stopped') }, () => {}, { shouldStop: () => true });
});

describe('runs', () => {
  it('lists every run with its status and final metrics', () => {
    const runs = listRuns(runsDir, new Set());
    const byId = Object.fromEntries(runs.map((r) => [r.runId, r]));
    expect(byId['a-done']).toMatchObject({ name: 'MLP', status: 'done', epochs: 1 });
    expect(byId['a-done']!.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(byId['b-stopped']).toMatchObject({ status: 'stopped', epochs: 0, testAccuracy: null });
    expect(listRuns(runsDir, new Set(['a-done'])).find((r) => r.runId === 'a-done')!.status).toBe('running');
  });

  it('reads a run back, skipping a line cut short by a crash', () => {
    appendFileSync(join(runsDir, 'a-done', 'metrics.jsonl'), '{"type":"batch","ep');
    const detail = runDetail(runsDir, 'a-done', false);
    expect(detail.document?.name).toBe('MLP');
    expect(detail.events.map((e) => e.type)).toEqual(expect.arrayContaining(['start', 'epoch', 'done']));
    expect(detail.evaluation?.confusion).toHaveLength(10);
    expect(() => runDetail(runsDir, 'nope', false)).toThrow(/No run "nope"/);
  });

  it('exports a finished run as files for the user to save, in any format', () => {
    expect(exportFiles(runsDir, 'a-done', 'tfjs').map((f) => f.name).sort()).toEqual(['model.json', 'weights.bin']);
    const py = exportFiles(runsDir, 'a-done', 'pytorch');
    expect(py.map((f) => f.name).sort()).toEqual(['model.py', 'weights.npz']);
    expect(Buffer.from(py.find((f) => f.name === 'model.py')!.base64, 'base64').toString()).toMatch(/nn\.Module/);
  });
});
