import { describe, expect, test } from 'vitest';
import type { TrainEvent } from '../../../../contracts/index.js';
import { batchesLeft, compareData, configLabel, emaStep, emaValue, emptyEma, etaSeconds, formatDuration, runCurve, smoothSeries } from '../../../../renderer/state/trainMath.js';

const epoch = (e: number, testAccuracy: number, trainLoss: number): TrainEvent =>
  ({ type: 'epoch', epoch: e, trainLoss, trainAccuracy: 0.5, testLoss: 1, testAccuracy, examplesPerSecond: 100, seconds: 1, learningRate: 0.1 }) as TrainEvent;

describe('ETA', () => {
  const p = { epoch: 1, batch: 3, batchesPerEpoch: 8, epochs: 2, batchSize: 128 };

  test('counts the rest of this epoch and every later epoch', () => {
    expect(batchesLeft(p)).toBe(5 + 8);
    expect(batchesLeft({ ...p, epoch: 2, batch: 8 })).toBe(0);
    expect(batchesLeft({ ...p, epoch: 2, batch: 1 })).toBe(7);
  });

  test('turns batches left into seconds at the current speed', () => {
    // 13 batches × 128 examples at 256 examples/s.
    expect(etaSeconds(p, 256)).toBeCloseTo((13 * 128) / 256);
    expect(etaSeconds({ ...p, epochs: 5 }, 128)).toBeCloseTo(5 + 4 * 8);
  });

  test('is unknown without a speed or a run size', () => {
    expect(etaSeconds(p, null)).toBeNull();
    expect(etaSeconds(p, 0)).toBeNull();
    expect(etaSeconds({ ...p, batchSize: 0 }, 100)).toBeNull();
    expect(etaSeconds({ ...p, batchesPerEpoch: 0 }, 100)).toBeNull();
  });

  test('formats durations for people, rounding up', () => {
    expect(formatDuration(null)).toBe('–');
    expect(formatDuration(0.2)).toBe('1 s');
    expect(formatDuration(59)).toBe('59 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
  });
});

describe('smoothing', () => {
  test('the de-biased average of a constant is that constant from the first sample on', () => {
    expect(smoothSeries([2, 2, 2])).toEqual([2, 2, 2].map((v) => expect.closeTo(v, 10)));
  });

  test('follows the exponential moving average with weight 0.9 on the past', () => {
    const [a, b] = smoothSeries([1, 3]) as number[];
    expect(a).toBeCloseTo(1);
    // (0.9·0.1·1 + 0.1·3) / (1 − 0.81)
    expect(b).toBeCloseTo((0.09 + 0.3) / 0.19);
    expect(b!).toBeGreaterThan(1);
    expect(b!).toBeLessThan(3);
  });

  test('gaps stay gaps and a non-finite loss does not poison the line', () => {
    expect(smoothSeries([null, 1, null])).toEqual([null, expect.closeTo(1, 10), null]);
    const e = emaStep(emaStep(emptyEma, 1), NaN);
    expect(e.count).toBe(1);
    expect(emaValue(e)).toBeCloseTo(1);
    expect(emaValue(emptyEma)).toBeNull();
  });
});

describe('compare series', () => {
  test('a run curve takes each epoch once (the last report wins) in epoch order', () => {
    const c = runCurve('a', [{ type: 'log', message: 'x' }, epoch(2, 0.7, 0.8), epoch(1, 0.5, 1.2), epoch(2, 0.72, 0.79)]);
    expect(c.epochs).toEqual([1, 2]);
    expect(c.testAccuracy).toEqual([0.5, 0.72]);
    expect(c.trainLoss).toEqual([1.2, 0.79]);
  });

  test('runs of different lengths align on a shared epoch axis with gaps', () => {
    const a = runCurve('a', [epoch(1, 0.5, 1.2), epoch(2, 0.6, 1.0), epoch(3, 0.65, 0.9)]);
    const b = runCurve('b', [epoch(1, 0.4, 1.5)]);
    const d = compareData([a, b]);
    expect(d.x).toEqual([1, 2, 3]);
    expect(d.testAccuracy).toEqual([
      [0.5, 0.6, 0.65],
      [0.4, null, null],
    ]);
    expect(d.trainLoss[1]).toEqual([1.5, null, null]);
  });

  test('the legend names optimizer, learning rate and batch size', () => {
    expect(configLabel({ optimizer: { type: 'adam', learningRate: 0.001 }, batchSize: 128 })).toBe('adam · lr 0.001 · batch 128');
    expect(configLabel(null)).toBe('config unknown');
  });
});
