/** Evaluation in inference mode: loss, accuracy, top-5, and the confusion matrix with examples per cell. */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { LossName } from '../../contracts/index.js';
import type { Dataset, Split } from '../datasets/dataset.js';
import { makeBatch } from './batches.js';
import { losses } from './losses.js';

export interface Evaluation {
  readonly loss: number;
  readonly accuracy: number;
  readonly top5Accuracy: number;
  readonly confusion: number[][];
  /** For each misclassified `actual,predicted` cell, a few example indices and their probabilities. */
  readonly examples: Record<string, { index: number; probabilities: number[] }[]>;
}

const EVAL_BATCH = 1000;
const EXAMPLES_PER_CELL = 12;

export function evaluate(model: tfl.LayersModel, data: Dataset, split: Split, loss: LossName, detailed = false): Evaluation {
  const order = Array.from({ length: split.count }, (_, i) => i);
  const k = data.classes;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const examples: Evaluation['examples'] = {};
  let lossSum = 0;
  let correct = 0;
  let top5 = 0;
  for (let start = 0; start < split.count; start += EVAL_BATCH) {
    const batch = makeBatch(split, order, start, EVAL_BATCH, data.inputShape, data.scale, data.resizeTo);
    const { l, probs } = tf.tidy(() => {
      const logits = model.apply(batch.xs, { training: false }) as tf.Tensor2D;
      return { l: losses[loss](batch.ys, logits, k).dataSync()[0]!, probs: tf.softmax(logits).dataSync() };
    });
    tf.dispose([batch.xs, batch.ys]);
    lossSum += l * batch.size;
    for (let i = 0; i < batch.size; i++) {
      const p = probs.subarray(i * k, (i + 1) * k);
      const actual = split.labels[start + i]!;
      let predicted = 0;
      let higher = 0;
      for (let c = 0; c < k; c++) {
        if (p[c]! > p[predicted]!) predicted = c;
        if (p[c]! > p[actual]!) higher++;
      }
      confusion[actual]![predicted]!++;
      if (predicted === actual) correct++;
      if (higher < 5) top5++;
      if (detailed && predicted !== actual) {
        const cell = (examples[`${actual},${predicted}`] ??= []);
        if (cell.length < EXAMPLES_PER_CELL) cell.push({ index: start + i, probabilities: Array.from(p, (v) => Math.round(v * 1e4) / 1e4) });
      }
    }
  }
  const n = Math.max(split.count, 1);
  return { loss: lossSum / n, accuracy: correct / n, top5Accuracy: top5 / n, confusion, examples };
}

/** Per-class precision (of the predictions of c, how many were c) and recall (of the c's, how many were found). */
export function precisionRecall(confusion: readonly (readonly number[])[]): { precision: number[]; recall: number[] } {
  const k = confusion.length;
  const precision: number[] = [];
  const recall: number[] = [];
  for (let c = 0; c < k; c++) {
    const tp = confusion[c]![c]!;
    const predicted = confusion.reduce((s, row) => s + row[c]!, 0);
    const actual = confusion[c]!.reduce((s, v) => s + v, 0);
    precision.push(predicted ? tp / predicted : 0);
    recall.push(actual ? tp / actual : 0);
  }
  return { precision, recall };
}
