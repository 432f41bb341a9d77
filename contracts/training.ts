/** Training configuration and the typed events a training run streams to its host. */
import { z } from 'zod';
import { lossName, optimizerConfig } from './graph.js';

export const backendName = z.enum(['auto', 'node-gpu', 'node', 'wasm', 'cpu']);
export type BackendName = z.infer<typeof backendName>;

export const lrSchedule = z.discriminatedUnion('type', [
  z.object({ type: z.literal('constant') }),
  /** Multiply the rate by `gamma` every `everyEpochs` epochs. */
  z.object({ type: z.literal('step'), everyEpochs: z.number().int().positive().default(10), gamma: z.number().positive().max(1).default(0.1) }),
  /** Cosine decay from the base rate to `minLearningRate` over the run. */
  z.object({ type: z.literal('cosine'), minLearningRate: z.number().min(0).default(0) }),
]);
export type LrSchedule = z.infer<typeof lrSchedule>;

export const augmentConfig = z.object({
  /** Mirror half of the images left-right. */
  flip: z.boolean().default(false),
  /** Pad by this many pixels, then crop back at a random offset. */
  cropPadding: z.number().int().min(0).max(64).default(0),
  /** Add a random brightness offset in [-x, x] (pixel values are in [0, 1]). */
  brightness: z.number().min(0).max(1).default(0),
  /** Scale contrast around the mean by a random factor in [1 - x, 1 + x]. */
  contrast: z.number().min(0).max(1).default(0),
});
export type AugmentConfig = z.infer<typeof augmentConfig>;

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
  schedule: lrSchedule.default({ type: 'constant' }),
  /** Linear warm-up of the learning rate over this many epochs (fractions allowed). */
  warmupEpochs: z.number().min(0).default(0),
  /** Rescale gradients whose global L2 norm exceeds this. */
  clipNorm: z.number().positive().optional(),
  /** Stop when test loss has not improved for this many epochs. */
  earlyStoppingPatience: z.number().int().positive().optional(),
  /** Report per-layer health (gradient norms, activation statistics) every N batches; 0 turns it off. */
  healthEvery: z.number().int().min(0).default(20),
  /** Resize images to the graph's Input height × width when they differ (d2l resizes Fashion-MNIST to 224 for AlexNet). */
  resize: z.boolean().default(true),
  /** Random changes applied to each training batch (never to test data). */
  augment: augmentConfig.default({ flip: false, cropPadding: 0, brightness: 0, contrast: 0 }),
});
export type TrainConfig = z.infer<typeof trainConfig>;
export type TrainConfigInput = z.input<typeof trainConfig>;

export interface StartEvent {
  readonly type: 'start';
  readonly backend: string;
  /** CPU threads the backend computes on (WASM: our kernels' pool, or XNNPACK's without it; 1 on the pure-JS backend). */
  readonly threads: number;
  readonly dataset: string;
  readonly trainExamples: number;
  readonly testExamples: number;
  readonly batchesPerEpoch: number;
  readonly config: TrainConfig;
}
/** Epochs and batches count from 1: batch k of epoch e is the k-th update of that epoch. */
export interface BatchEvent {
  readonly type: 'batch';
  readonly epoch: number;
  readonly batch: number;
  readonly batchesPerEpoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly examplesPerSecond: number;
}
/** The numbers d2l reads a run by: loss, train and test accuracy, examples per second. */
export interface RunMetrics {
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly testLoss: number;
  readonly testAccuracy: number;
  readonly examplesPerSecond: number;
  readonly seconds: number;
}
export interface EpochEvent extends RunMetrics {
  readonly type: 'epoch';
  readonly epoch: number;
  readonly learningRate: number;
}
/** Per-layer statistics, sampled every `healthEvery` batches. */
export interface LayerHealth {
  readonly id: string;
  /** L2 norm of the gradient of this layer's trainable weights (0 for layers without weights). */
  readonly gradNorm: number;
  readonly weightNorm: number;
  readonly activationMean: number;
  readonly activationStd: number;
  /** For ReLU layers: fraction of units that output zero for every example of the batch. */
  readonly deadFraction: number | null;
}
export interface HealthEvent {
  readonly type: 'health';
  readonly epoch: number;
  readonly batch: number;
  readonly layers: readonly LayerHealth[];
  readonly warnings: readonly string[];
}
/** After training: how the test set was classified. */
export interface EvaluationEvent {
  readonly type: 'evaluation';
  readonly classNames: readonly string[];
  /** confusion[actual][predicted] counts. */
  readonly confusion: readonly (readonly number[])[];
  readonly precision: readonly number[];
  readonly recall: readonly number[];
  readonly accuracy: number;
  readonly top5Accuracy: number;
  /** For misclassified `"actual,predicted"` cells: a few test-set indices with their class probabilities. */
  readonly examples: Readonly<Record<string, readonly { readonly index: number; readonly probabilities: readonly number[] }[]>>;
}
export interface StateEvent {
  readonly type: 'state';
  readonly state: 'running' | 'paused' | 'stopping';
}
export interface DoneEvent extends RunMetrics {
  readonly type: 'done';
  readonly epochs: number;
  readonly backend: string;
  readonly stopped: boolean;
  /** Why training ended early: 'user', 'earlyStopping'. */
  readonly stopReason?: string;
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

export type TrainEvent = StartEvent | BatchEvent | EpochEvent | HealthEvent | EvaluationEvent | StateEvent | DoneEvent | ErrorEvent | LogEvent;

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}

/** Messages from a host to its training worker. */
export type WorkerCommand =
  | { readonly type: 'start'; readonly document: unknown; readonly config: TrainConfigInput; readonly runDir?: string; readonly resume?: boolean }
  | { readonly type: 'stop'; readonly when?: 'now' | 'epochEnd' }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' };
