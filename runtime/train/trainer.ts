/**
 * The training loop: seeded shuffling, one step per batch (schedule, weight decay, clipping),
 * pause/stop between batches, per-layer health every N batches, evaluation and a checkpoint
 * each epoch, early stopping, and a NaN/Inf guard.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { DoneEvent, EpochEvent, TrainConfig, TrainEvent } from '../../contracts/index.js';
import type { Dataset, Split } from '../datasets/dataset.js';
import { prng } from '../datasets/synthetic.js';
import { augmentBatch, augments } from './augment.js';
import { makeBatch, shuffledIndices } from './batches.js';
import type { LoopState } from './checkpoint.js';
import { evaluate } from './evaluate.js';
import { createHealthProbe, lossWarning } from './health.js';
import { losses } from './losses.js';
import { decoupledDecay, defaultWeightDecay, makeOptimizer } from './optimizers.js';
import { learningRateAt, setLearningRate } from './schedule.js';
import { trainStep } from './step.js';

export interface TrainControl {
  /** Checked between batches: true ends the run after the current batch. */
  shouldStop(): boolean;
  /** Checked between batches: true ends the run after the current epoch. */
  stopAtEpochEnd?(): boolean;
  /** Resolves when training may go on (immediately unless paused). */
  waitWhilePaused?(): Promise<void>;
}

export interface TrainHooks {
  /** Restores a checkpoint into the model and the optimizer, returning where to go on from. */
  readonly restore?: (model: tfl.LayersModel, optimizer: tf.Optimizer) => Promise<LoopState>;
  /** Called after each epoch's evaluation with everything needed to resume from it. */
  readonly checkpoint?: (model: tfl.LayersModel, optimizer: tf.Optimizer, state: LoopState) => Promise<void>;
  /** Maps a TF.js layer name to the graph node id users see. */
  readonly nodeIdOf?: (layerName: string) => string;
}

export class NonFiniteLossError extends Error {
  readonly code = 'E_NAN';
}

const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

export async function trainModel(
  model: tfl.LayersModel,
  data: Dataset,
  train: Split,
  test: Split,
  config: TrainConfig,
  backend: string,
  emit: (e: TrainEvent) => void,
  control: TrainControl,
  hooks: TrainHooks = {},
): Promise<DoneEvent> {
  const optimizer = makeOptimizer(config.optimizer);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const batchesPerEpoch = Math.ceil(train.count / config.batchSize);
  const augmenting = augments(config.augment) && data.inputShape.length === 3;
  const probe = config.healthEvery > 0 ? createHealthProbe(model, hooks.nodeIdOf ?? ((n) => n)) : undefined;
  const stepOptions = { lossFn: losses[config.loss], classes: data.classes, weightDecay: defaultWeightDecay(config.optimizer), decoupled: decoupledDecay(config.optimizer), ...(config.clipNorm ? { clipNorm: config.clipNorm } : {}) };
  let state: LoopState = hooks.restore ? await hooks.restore(model, optimizer) : { epoch: 0, bestTestLoss: Infinity, epochsWithoutImprovement: 0 };
  if (state.epoch > 0) emit({ type: 'log', message: `resumed after epoch ${state.epoch}` });
  const started = Date.now();
  let last: EpochEvent | undefined;
  let stopReason: string | undefined;
  let trainedExamples = 0;
  let trainSeconds = 0;

  try {
    for (let epoch = state.epoch + 1; epoch <= config.epochs && !stopReason; epoch++) {
      const order = shuffledIndices(train.count, config.seed + epoch);
      const rnd = prng(config.seed * 7919 + epoch);
      const t0 = performance.now();
      let lossSum = 0;
      let correctSum = 0;
      let seen = 0;
      let lr = config.optimizer.learningRate;
      for (let b = 0; b < batchesPerEpoch; b++) {
        lr = learningRateAt(config, epoch - 1 + b / batchesPerEpoch);
        setLearningRate(optimizer, lr);
        const batch = makeBatch(train, order, b * config.batchSize, config.batchSize, data.inputShape, data.scale, data.resizeTo);
        if (augmenting) {
          const xs = augmentBatch(batch.xs as tf.Tensor4D, config.augment, rnd);
          batch.xs.dispose();
          batch.xs = xs;
        }
        const wantHealth = probe !== undefined && (b + 1) % config.healthEvery === 0;
        const r = trainStep(model, vars, optimizer, batch.xs, batch.ys, { ...stepOptions, learningRate: lr, gradNorms: wantHealth });
        if (!Number.isFinite(r.loss)) {
          tf.dispose([batch.xs, batch.ys]);
          throw new NonFiniteLossError(
            `The loss became ${r.loss} at epoch ${epoch}, batch ${b + 1}. The learning rate (${lr.toPrecision(3)}) is probably too high for this network, or the inputs are not normalised; lower the learning rate (e.g. by 10x) and train again.` +
              (state.epoch > 0 ? ` The checkpoint of epoch ${state.epoch} is kept.` : ''),
          );
        }
        if (wantHealth) {
          const diverged = lossWarning(config.loss, data.classes, r.loss, lr, config.optimizer.type);
          emit({ type: 'health', epoch, batch: b + 1, ...probe!.measure(batch.xs, r.gradNorms!, diverged) });
        }
        tf.dispose([batch.xs, batch.ys]);
        lossSum += r.loss * batch.size;
        correctSum += r.correct;
        seen += batch.size;
        if ((b + 1) % config.batchEventEvery === 0 || b + 1 === batchesPerEpoch) {
          const elapsed = (performance.now() - t0) / 1000;
          emit({ type: 'batch', epoch, batch: b + 1, batchesPerEpoch, loss: r.loss, accuracy: r.correct / batch.size, examplesPerSecond: seen / Math.max(elapsed, 1e-6) });
        }
        await yieldToEventLoop();
        if (control.waitWhilePaused) await control.waitWhilePaused();
        if (control.shouldStop()) {
          stopReason = 'user';
          break;
        }
      }
      const seconds = (performance.now() - t0) / 1000;
      trainedExamples += seen;
      trainSeconds += seconds;
      if (seen === 0 || stopReason) break;
      const ev = evaluate(model, data, test, config.loss);
      last = { type: 'epoch', epoch, trainLoss: lossSum / seen, trainAccuracy: correctSum / seen, testLoss: ev.loss, testAccuracy: ev.accuracy, examplesPerSecond: seen / seconds, seconds, learningRate: lr };
      emit(last);
      const improved = ev.loss < state.bestTestLoss;
      state = { epoch, bestTestLoss: improved ? ev.loss : state.bestTestLoss, epochsWithoutImprovement: improved ? 0 : state.epochsWithoutImprovement + 1 };
      if (hooks.checkpoint) await hooks.checkpoint(model, optimizer, state);
      if (config.earlyStoppingPatience !== undefined && state.epochsWithoutImprovement >= config.earlyStoppingPatience) {
        stopReason = 'earlyStopping';
        emit({ type: 'log', message: `early stopping: test loss has not improved for ${state.epochsWithoutImprovement} epochs` });
      }
      if (control.stopAtEpochEnd?.()) stopReason = 'user';
    }
  } finally {
    optimizer.dispose();
    probe?.dispose();
  }
  return {
    type: 'done',
    epochs: last?.epoch ?? state.epoch,
    trainLoss: last?.trainLoss ?? NaN,
    trainAccuracy: last?.trainAccuracy ?? NaN,
    testLoss: last?.testLoss ?? NaN,
    testAccuracy: last?.testAccuracy ?? NaN,
    examplesPerSecond: trainedExamples / Math.max(trainSeconds, 1e-6),
    seconds: (Date.now() - started) / 1000,
    backend,
    stopped: stopReason !== undefined,
    ...(stopReason ? { stopReason } : {}),
  };
}
