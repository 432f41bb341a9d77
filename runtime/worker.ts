/** Entry of the training worker thread: runs one training run and posts its events to the host. */
import { parentPort, workerData } from 'node:worker_threads';
import type { TrainEvent, WorkerCommand } from '../contracts/index.js';
import { runTraining, type RunRequest } from './train/run.js';

const port = parentPort!;
const emit = (event: TrainEvent) => port.postMessage(event);

let stopNow = false;
let stopAtEpochEnd = false;
let resumeWaiters: (() => void)[] | null = null;

port.on('message', (cmd: WorkerCommand) => {
  switch (cmd.type) {
    case 'stop':
      if (cmd.when === 'epochEnd') stopAtEpochEnd = true;
      else stopNow = true;
      emit({ type: 'state', state: 'stopping' });
      if (stopNow) wake();
      break;
    case 'pause':
      if (!resumeWaiters) {
        resumeWaiters = [];
        emit({ type: 'state', state: 'paused' });
      }
      break;
    case 'resume':
      if (resumeWaiters) {
        wake();
        emit({ type: 'state', state: 'running' });
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

runTraining(workerData as RunRequest, emit, {
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
