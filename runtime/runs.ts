/** Reading run directories back: the runs list, one run's recorded events, and its exported model. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { exportRun, type ExportFormat } from './export/index.js';
import type { EvaluationEvent, GraphDocument, RunDetail, RunId, RunSummary, TrainConfig, TrainEvent } from '../contracts/index.js';

const readJson = <T>(path: string): T | null => {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
};

/** Events of metrics.jsonl; a line cut short by a crash is skipped, not fatal. */
export function readEvents(runDir: string): TrainEvent[] {
  const path = join(runDir, 'metrics.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .flatMap((line) => {
      if (!line.trim()) return [];
      try {
        const { time: _time, ...event } = JSON.parse(line) as TrainEvent & { time?: number };
        return [event as TrainEvent];
      } catch {
        return [];
      }
    });
}

export function summarize(runsDir: string, runId: string, running: boolean): RunSummary {
  const dir = join(runsDir, runId);
  const events = readEvents(dir);
  const doc = readJson<GraphDocument>(join(dir, 'graph.layerlab.json'));
  const done = [...events].reverse().find((e) => e.type === 'done');
  const failed = events.some((e) => e.type === 'error');
  const epochs = events.filter((e) => e.type === 'epoch');
  const lastEpoch = epochs.at(-1);
  return {
    runId: runId as RunId,
    name: doc?.name ?? runId,
    startedAt: statSync(dir).birthtime.toISOString(),
    config: readJson<TrainConfig>(join(dir, 'config.json')),
    status: running ? 'running' : done ? (done.stopped ? 'stopped' : 'done') : failed ? 'failed' : 'interrupted',
    epochs: lastEpoch?.type === 'epoch' ? lastEpoch.epoch : 0,
    testAccuracy: lastEpoch?.type === 'epoch' ? lastEpoch.testAccuracy : null,
    trainLoss: lastEpoch?.type === 'epoch' ? lastEpoch.trainLoss : null,
  };
}

export function listRuns(runsDir: string, running: ReadonlySet<string>): RunSummary[] {
  if (!existsSync(runsDir)) return [];
  return readdirSync(runsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(runsDir, d.name, 'config.json')))
    .map((d) => summarize(runsDir, d.name, running.has(d.name)))
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

export function runDetail(runsDir: string, runId: string, running: boolean): RunDetail {
  const dir = join(runsDir, runId);
  if (!existsSync(join(dir, 'config.json'))) throw new Error(`No run "${runId}" in ${runsDir}`);
  return {
    summary: summarize(runsDir, runId, running),
    document: readJson<GraphDocument>(join(dir, 'graph.layerlab.json')),
    events: readEvents(dir),
    evaluation: readJson<EvaluationEvent>(join(dir, 'evaluation.json')),
  };
}

/** A run's weights in `format`, as files for the user to save (written to a temporary folder, then read). */
export function exportFiles(runsDir: string, runId: string, format: ExportFormat): { name: string; base64: string }[] {
  const dir = join(runsDir, runId);
  if (!existsSync(join(dir, 'final', 'model.json'))) throw new Error(`Run "${runId}" has no trained weights yet; export after training finishes`);
  const out = mkdtempSync(join(tmpdir(), 'layerlab-export-'));
  try {
    const { files } = exportRun(dir, format, out);
    return files.map((f) => ({ name: basename(f), base64: readFileSync(f).toString('base64') }));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
