/** Seeded data augmentation on a training batch: flips, padded random crops, brightness, contrast. */
import * as tf from '@tensorflow/tfjs-core';
import type { AugmentConfig } from '../../contracts/index.js';

export const augments = (a: AugmentConfig): boolean => a.flip || a.cropPadding > 0 || a.brightness > 0 || a.contrast > 0;

/** Returns a new tensor (the caller disposes both); `rnd` makes it reproducible. */
export function augmentBatch(xs: tf.Tensor4D, a: AugmentConfig, rnd: () => number): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w] = xs.shape;
    let x = xs;
    if (a.flip) {
      const mask = tf.tensor4d(Array.from({ length: n }, () => (rnd() < 0.5 ? 1 : 0)), [n, 1, 1, 1]);
      x = tf.add(tf.mul(mask, tf.image.flipLeftRight(x)), tf.mul(tf.sub(1, mask), x));
    }
    if (a.cropPadding > 0) {
      const p = a.cropPadding;
      const padded = tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]]);
      const H = h + 2 * p;
      const W = w + 2 * p;
      const boxes: number[] = [];
      for (let i = 0; i < n; i++) {
        const dy = Math.floor(rnd() * (2 * p + 1));
        const dx = Math.floor(rnd() * (2 * p + 1));
        boxes.push(dy / (H - 1), dx / (W - 1), (dy + h - 1) / (H - 1), (dx + w - 1) / (W - 1));
      }
      x = tf.image.cropAndResize(padded, tf.tensor2d(boxes, [n, 4]), tf.range(0, n, 1, 'int32'), [h, w]);
    }
    if (a.contrast > 0) {
      const factor = tf.tensor4d(Array.from({ length: n }, () => 1 + (2 * rnd() - 1) * a.contrast), [n, 1, 1, 1]);
      const mean = tf.mean(x, [1, 2, 3], true);
      x = tf.add(tf.mul(tf.sub(x, mean), factor), mean);
    }
    if (a.brightness > 0) x = tf.add(x, tf.tensor4d(Array.from({ length: n }, () => (2 * rnd() - 1) * a.brightness), [n, 1, 1, 1]));
    return x;
  });
}
