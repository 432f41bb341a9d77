/** Starts training in a worker thread and relays its typed events; the caller never blocks on training. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DoneEvent, TrainEvent, WorkerCommand } from '../contracts/index.js';
import type { RunRequest } from './train/run.js';

export interface TrainingHandle {
  onEvent(listener: (e: TrainEvent) => void): () => void;
  /** Asks the run to stop after the current batch (or epoch); the run still reports `done`. */
  stop(when?: 'now' | 'epochEnd'): void;
  pause(): void;
  resume(): void;
  /** Resolves with the final event (null when the run failed) once the worker has exited. */
  readonly finished: Promise<DoneEvent | null>;
}

/**
 * The worker's entry file. Bundled builds ship `worker.mjs` beside the bundle; from TypeScript
 * sources (tests, dev) the `.ts` entry runs through tsx. LAYERLAB_WORKER overrides both.
 */
export function workerEntry(override?: string): string {
  const explicit = override ?? process.env.LAYERLAB_WORKER;
  if (explicit) return explicit;
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return join(dirname(here), 'worker.ts');
  const bundled = join(dirname(here), 'worker.mjs');
  if (!existsSync(bundled)) throw new Error(`The training worker is missing at ${bundled}; run \`npm run build\``);
  return bundled;
}

/** A `.ts` entry (sources, tests) starts through tsx's loader, registered inside the worker. */
function spawnWorker(path: string, workerData: unknown): Worker {
  if (!path.endsWith('.ts')) return new Worker(path, { workerData });
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(path).href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

export function startTraining(req: RunRequest, workerPath?: string): TrainingHandle {
  const worker = spawnWorker(workerEntry(workerPath), req);
  const listeners = new Set<(e: TrainEvent) => void>();
  const buffered: TrainEvent[] = [];
  let final: DoneEvent | null = null;
  let failed = false;
  const deliver = (e: TrainEvent) => {
    if (e.type === 'done') final = e;
    if (e.type === 'error') failed = true;
    if (listeners.size) for (const l of listeners) l(e);
    else buffered.push(e);
  };
  worker.on('message', (m: TrainEvent | { type: 'exit' }) => {
    if (m.type !== 'exit') deliver(m);
  });
  worker.on('error', (e) => deliver({ type: 'error', code: 'E_WORKER', message: `The training worker crashed: ${e.message}` }));
  const finished = new Promise<DoneEvent | null>((resolve) =>
    worker.on('exit', (code) => {
      if (code !== 0 && !final && !failed) deliver({ type: 'error', code: 'E_WORKER', message: `The training worker exited with code ${code}` });
      resolve(final);
    }),
  );
  return {
    onEvent(listener) {
      listeners.add(listener);
      for (const e of buffered.splice(0)) listener(e);
      return () => listeners.delete(listener);
    },
    stop(when = 'now') {
      worker.postMessage({ type: 'stop', when } satisfies WorkerCommand);
    },
    pause() {
      worker.postMessage({ type: 'pause' } satisfies WorkerCommand);
    },
    resume() {
      worker.postMessage({ type: 'resume' } satisfies WorkerCommand);
    },
    finished,
  };
}
