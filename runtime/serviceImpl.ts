import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_VERSION, type ApiEventName, type ApiEvents, type ApiHandlers, type RunId, type TemplateSummary } from '../contracts/index.js';
import { parseDocument } from '../graph-compiler/index.js';
import { defaultDataDir } from './datasets/dataDir.js';
import { listDatasets } from './datasets/load.js';
import { startTraining, type TrainingHandle } from './host.js';
import type { Service, ServiceOptions } from './service.js';
import { defaultRunDir } from './train/run.js';

type Listener = <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => void;

const TEMPLATE_SUFFIX = '.layerlab.json';

export function createService(options: ServiceOptions & { readonly workerPath?: string }): Service {
  const dataDir = options.dataDir ?? defaultDataDir();
  const listeners = new Set<Listener>();
  const runs = new Map<RunId, TrainingHandle>();
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
      const runId = randomUUID() as RunId;
      const handle = startTraining({ document, config, dataDir, runDir: defaultRunDir(options.runsDir, document.name) }, options.workerPath);
      runs.set(runId, handle);
      handle.onEvent((event) => emit('train.event', { runId, event }));
      void handle.finished.then(() => runs.delete(runId));
      return { runId };
    },
    'train.stop': ({ runId }) => {
      const handle = runs.get(runId);
      handle?.stop();
      return { stopped: Boolean(handle) };
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
