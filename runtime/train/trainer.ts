/** The training loop: seeded shuffling, one optimizer step per batch, evaluation per epoch, typed events. */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { BatchEvent, DoneEvent, EpochEvent, TrainConfig, TrainEvent } from '../../contracts/index.js';
import type { Dataset, Split } from '../datasets/dataset.js';
import { makeBatch, shuffledIndices } from './batches.js';
import { correctCount, losses } from './losses.js';
import { makeOptimizer } from './optimizers.js';

export interface TrainControl {
  /** Checked between batches; true ends the run after the current batch. */
  shouldStop(): boolean;
}

export class NonFiniteLossError extends Error {}

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
): Promise<DoneEvent> {
  const optimizer = makeOptimizer(config.optimizer);
  const lossFn = losses[config.loss];
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const batchesPerEpoch = Math.ceil(train.count / config.batchSize);
  const started = Date.now();
  let last: EpochEvent | undefined;
  let stopped = false;
  let trainedExamples = 0;
  let trainSeconds = 0;

  for (let epoch = 1; epoch <= config.epochs && !stopped; epoch++) {
    const order = shuffledIndices(train.count, config.seed + epoch);
    const t0 = performance.now();
    let lossSum = 0;
    let correctSum = 0;
    let seen = 0;
    for (let b = 0; b < batchesPerEpoch; b++) {
      const batch = makeBatch(train, order, b * config.batchSize, config.batchSize, data.inputShape, data.scale);
      let correct: tf.Scalar | undefined;
      const cost = optimizer.minimize(
        () => {
          const logits = model.apply(batch.xs, { training: true }) as tf.Tensor2D;
          correct = tf.keep(correctCount(batch.ys, logits));
          return lossFn(batch.ys, logits, data.classes);
        },
        true,
        vars,
      )!;
      const [lossValue] = cost.dataSync();
      const [c] = correct!.dataSync();
      tf.dispose([cost, correct!, batch.xs, batch.ys]);
      if (!Number.isFinite(lossValue!))
        throw new NonFiniteLossError(
          `The loss became ${lossValue} at epoch ${epoch}, batch ${b + 1}. The learning rate (${config.optimizer.learningRate}) is probably too high for this network, or the inputs are not normalised; lower the learning rate (e.g. by 10x) and train again.`,
        );
      lossSum += lossValue! * batch.size;
      correctSum += c!;
      seen += batch.size;
      const elapsed = (performance.now() - t0) / 1000;
      if ((b + 1) % config.batchEventEvery === 0 || b + 1 === batchesPerEpoch) {
        const ev: BatchEvent = { type: 'batch', epoch, batch: b + 1, batchesPerEpoch, loss: lossValue!, accuracy: c! / batch.size, examplesPerSecond: seen / Math.max(elapsed, 1e-6) };
        emit(ev);
      }
      await yieldToEventLoop();
      if (control.shouldStop()) {
        stopped = true;
        break;
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    trainedExamples += seen;
    trainSeconds += seconds;
    if (seen === 0) break;
    const evaluation = evaluate(model, data, test, config);
    last = {
      type: 'epoch',
      epoch,
      trainLoss: lossSum / seen,
      trainAccuracy: correctSum / seen,
      testLoss: evaluation.loss,
      testAccuracy: evaluation.accuracy,
      examplesPerSecond: seen / seconds,
      seconds,
    };
    emit(last);
  }
  optimizer.dispose();
  return {
    type: 'done',
    epochs: last?.epoch ?? 0,
    trainLoss: last?.trainLoss ?? NaN,
    trainAccuracy: last?.trainAccuracy ?? NaN,
    testLoss: last?.testLoss ?? NaN,
    testAccuracy: last?.testAccuracy ?? NaN,
    examplesPerSecond: trainedExamples / Math.max(trainSeconds, 1e-6),
    seconds: (Date.now() - started) / 1000,
    backend,
    stopped,
  };
}

/** Mean loss and accuracy over a split, in inference mode. */
export function evaluate(model: tfl.LayersModel, data: Dataset, split: Split, config: TrainConfig): { loss: number; accuracy: number } {
  const order = Array.from({ length: split.count }, (_, i) => i);
  const size = 1000;
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < split.count; start += size) {
    const batch = makeBatch(split, order, start, size, data.inputShape, data.scale);
    const [l, c] = tf.tidy(() => {
      const logits = model.apply(batch.xs, { training: false }) as tf.Tensor2D;
      return [losses[config.loss](batch.ys, logits, data.classes).dataSync()[0]!, correctCount(batch.ys, logits).dataSync()[0]!];
    });
    tf.dispose([batch.xs, batch.ys]);
    lossSum += l! * batch.size;
    correct += c!;
  }
  return split.count ? { loss: lossSum / split.count, accuracy: correct / split.count } : { loss: NaN, accuracy: NaN };
}
