/** Entry of the training worker thread: runs one training run and posts its events to the host. */
import { parentPort, workerData } from 'node:worker_threads';
import type { TrainEvent, WorkerCommand } from '../contracts/index.js';
import { runTraining, type RunRequest } from './train/run.js';

const port = parentPort!;
let stopRequested = false;

port.on('message', (cmd: WorkerCommand) => {
  if (cmd.type === 'stop') stopRequested = true;
});

const emit = (event: TrainEvent) => port.postMessage(event);
runTraining(workerData as RunRequest, emit, { shouldStop: () => stopRequested })
  .catch((e: Error) => emit({ type: 'error', code: 'E_WORKER', message: e.message }))
  .finally(() => {
    port.postMessage({ type: 'exit' });
    // tfjs backends can hold handles open; the run is over, so end the thread.
    setImmediate(() => process.exit(0));
  });
