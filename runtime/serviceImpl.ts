import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_VERSION, type ApiEventName, type ApiEvents, type ApiHandlers, type RunId, type TemplateSummary } from '../contracts/index.js';
import { parseDocument } from '../graph-compiler/index.js';
import { defaultDataDir } from './datasets/dataDir.js';
import type { Dataset } from './datasets/dataset.js';
import { listDatasets, loadDataset } from './datasets/load.js';
import { startTraining, type TrainingHandle } from './host.js';
import type { Service, ServiceOptions } from './service.js';
import { exportFiles, listRuns, runDetail } from './runs.js';
import { newRunId } from './train/run.js';

type Listener = <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => void;

const TEMPLATE_SUFFIX = '.layerlab.json';

export function createService(options: ServiceOptions & { readonly workerPath?: string }): Service {
  const dataDir = options.dataDir ?? defaultDataDir();
  const listeners = new Set<Listener>();
  const runs = new Map<RunId, TrainingHandle>();
  // The evaluation view asks for images one cell at a time; keep the last dataset it read.
  let cachedData: { name: string; data: Promise<Dataset> } | undefined;
  const emit: Listener = (event, payload) => {
    for (const l of listeners) l(event, payload);
  };

  const readTemplate = (id: string) => {
    if (!/^[a-z0-9-]+$/.test(id)) throw new Error(`No template "${id}"`);
    const text = readFileSync(join(options.templatesDir, id + TEMPLATE_SUFFIX), 'utf8');
    const parsed = parseDocument(text);
    if (!parsed.ok) throw new Error(`Template ${id} is not a valid graph: ${parsed.diagnostics[0]?.message}`);
    return parsed.document;
  };

  const handlers: ApiHandlers = {
    'app.info': () => ({ version: APP_VERSION }),
    'templates.list': () =>
      readdirSync(options.templatesDir)
        .filter((f) => f.endsWith(TEMPLATE_SUFFIX))
        .sort()
        .flatMap((f): TemplateSummary[] => {
          const id = f.slice(0, -TEMPLATE_SUFFIX.length);
          try {
            const doc = readTemplate(id);
            return [{ id, name: doc.name, description: doc.description ?? '' }];
          } catch {
            return [];
          }
        }),
    'templates.get': ({ id }) => readTemplate(id),
    'datasets.list': () => listDatasets(dataDir),
    'train.start': ({ document, config }) => {
      const runId = newRunId(document.name) as RunId;
      const handle = startTraining({ document, config, dataDir, runDir: join(options.runsDir, runId) }, options.workerPath);
      runs.set(runId, handle);
      handle.onEvent((event) => emit('train.event', { runId, event }));
      void handle.finished.then(() => runs.delete(runId));
      return { runId };
    },
    'train.stop': ({ runId, when }) => {
      const handle = runs.get(runId);
      handle?.stop(when);
      return { stopped: Boolean(handle) };
    },
    'train.pause': ({ runId }) => {
      runs.get(runId)?.pause();
      return { ok: runs.has(runId) };
    },
    'train.resume': ({ runId }) => {
      runs.get(runId)?.resume();
      return { ok: runs.has(runId) };
    },
    'runs.list': () => listRuns(options.runsDir, new Set(runs.keys())),
    'runs.get': ({ runId }) => runDetail(options.runsDir, runId, runs.has(runId)),
    'runs.export': ({ runId, format }) => ({ files: exportFiles(options.runsDir, runId, format) }),
    'datasets.images': async ({ dataset, split, indices }) => {
      if (cachedData?.name !== dataset) cachedData = { name: dataset, data: loadDataset(dataset, { dataDir, download: false }) };
      const data = await cachedData.data;
      const s = data[split];
      const dim = data.inputShape.reduce((a, b) => a * b, 1);
      const images = indices.map((i) => {
        if (i >= s.count) throw new Error(`${dataset} ${split} has ${s.count} examples; index ${i} is out of range`);
        const px = s.images.subarray(i * dim, (i + 1) * dim);
        return Buffer.from(px instanceof Uint8Array ? px : Uint8Array.from(px, (v) => Math.round(v * 255))).toString('base64');
      });
      return { shape: [...data.inputShape], images };
    },
  };

  return {
    handlers,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispose() {
      const pending = [...runs.values()];
      for (const h of pending) h.stop();
      await Promise.all(pending.map((h) => h.finished));
    },
  };
}
