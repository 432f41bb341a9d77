/** Entry of the training worker thread: runs one training run and posts its events to the host. */
import { parentPort, workerData } from 'node:worker_threads';
import type { StateEvent, TrainEvent, WorkerCommand } from '../contracts/index.js';
import { runTraining, type RunRequest } from './train/run.js';
import { RunDir } from './train/runDir.js';

const port = parentPort!;
const request = workerData as RunRequest;
const emit = (event: TrainEvent) => port.postMessage(event);
const runDir = request.runDir ? new RunDir(request.runDir) : undefined;
/** Pause/resume/stop states are recorded too, so a page that reloads mid-run sees a paused run as paused. */
const emitState = (state: StateEvent['state']) => {
  const event: StateEvent = { type: 'state', state };
  runDir?.appendMetric(event);
  emit(event);
};

let stopNow = false;
let stopAtEpochEnd = false;
let resumeWaiters: (() => void)[] | null = null;

port.on('message', (cmd: WorkerCommand) => {
  switch (cmd.type) {
    case 'stop':
      if (cmd.when === 'epochEnd') stopAtEpochEnd = true;
      else stopNow = true;
      emitState('stopping');
      if (stopNow) wake();
      break;
    case 'pause':
      if (!resumeWaiters) {
        resumeWaiters = [];
        emitState('paused');
      }
      break;
    case 'resume':
      if (resumeWaiters) {
        wake();
        emitState('running');
      }
      break;
    case 'start':
      break;
  }
});

function wake() {
  const waiters = resumeWaiters ?? [];
  resumeWaiters = null;
  for (const w of waiters) w();
}

runTraining(request, emit, {
  shouldStop: () => stopNow,
  stopAtEpochEnd: () => stopAtEpochEnd,
  waitWhilePaused: () => (resumeWaiters ? new Promise<void>((r) => resumeWaiters!.push(r)) : Promise.resolve()),
})
  .catch((e: Error) => emit({ type: 'error', code: 'E_WORKER', message: e.message }))
  .finally(() => {
    port.postMessage({ type: 'exit' });
    // tfjs backends can hold handles open; the run is over, so end the thread.
    setImmediate(() => process.exit(0));
  });
