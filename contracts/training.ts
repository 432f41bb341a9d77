/** Training configuration and the typed events a training run streams to its host. */
import { z } from 'zod';
import { lossName, optimizerConfig } from './graph.js';

export const backendName = z.enum(['auto', 'node-gpu', 'node', 'wasm', 'cpu']);
export type BackendName = z.infer<typeof backendName>;

export const trainConfig = z.object({
  dataset: z.string().default('synthetic-shapes'),
  epochs: z.number().int().positive().default(10),
  batchSize: z.number().int().positive().default(256),
  optimizer: optimizerConfig.default({ type: 'sgd', learningRate: 0.1 }),
  loss: lossName.default('softmaxCrossEntropy'),
  backend: backendName.default('auto'),
  seed: z.number().int().default(42),
  limitTrain: z.number().int().positive().optional(),
  limitTest: z.number().int().positive().optional(),
  /** Emit a `batch` event every N batches (1 = every batch). */
  batchEventEvery: z.number().int().positive().default(1),
});
export type TrainConfig = z.infer<typeof trainConfig>;
export type TrainConfigInput = z.input<typeof trainConfig>;

export interface StartEvent {
  readonly type: 'start';
  readonly backend: string;
  readonly dataset: string;
  readonly trainExamples: number;
  readonly testExamples: number;
  readonly batchesPerEpoch: number;
  readonly config: TrainConfig;
}
export interface BatchEvent {
  readonly type: 'batch';
  readonly epoch: number;
  readonly batch: number;
  readonly batchesPerEpoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly examplesPerSecond: number;
}
export interface EpochEvent {
  readonly type: 'epoch';
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly testLoss: number;
  readonly testAccuracy: number;
  readonly examplesPerSecond: number;
  readonly seconds: number;
}
export interface DoneEvent {
  readonly type: 'done';
  readonly epochs: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly testLoss: number;
  readonly testAccuracy: number;
  readonly examplesPerSecond: number;
  readonly seconds: number;
  readonly backend: string;
  readonly stopped: boolean;
  readonly runDir?: string;
}
export interface ErrorEvent {
  readonly type: 'error';
  readonly message: string;
  readonly code?: string;
}
export interface LogEvent {
  readonly type: 'log';
  readonly message: string;
}

export type TrainEvent = StartEvent | BatchEvent | EpochEvent | DoneEvent | ErrorEvent | LogEvent;

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}

/** Messages from a host to its training worker. */
export type WorkerCommand =
  | { readonly type: 'start'; readonly document: unknown; readonly config: TrainConfigInput; readonly runDir?: string; readonly resume?: boolean }
  | { readonly type: 'stop' };
