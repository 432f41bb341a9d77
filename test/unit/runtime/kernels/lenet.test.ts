import { beforeAll, describe, expect, it } from 'vitest';
import * as tfl from '@tensorflow/tfjs-layers';
import { ready, signed, tf } from './harness';

/** d2l's LeNet: conv5x5x6 same sigmoid, avgpool2, conv5x5x16 sigmoid, avgpool2, dense 120/84/10. */
function lenet(seed: number): tfl.Sequential {
  // Seeded initializers: an unseeded sigmoid LeNet sometimes sits on its initial plateau
  // for the whole (short) run, which would make this test flaky.
  let s = seed;
  const init = () => ({ kernelInitializer: tfl.initializers.glorotUniform({ seed: s++ }) });
  const m = tfl.sequential();
  m.add(tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, padding: 'same', activation: 'sigmoid', ...init() }));
  m.add(tfl.layers.averagePooling2d({ poolSize: 2, strides: 2 }));
  m.add(tfl.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'sigmoid', ...init() }));
  m.add(tfl.layers.averagePooling2d({ poolSize: 2, strides: 2 }));
  m.add(tfl.layers.flatten());
  m.add(tfl.layers.dense({ units: 120, activation: 'sigmoid', ...init() }));
  m.add(tfl.layers.dense({ units: 84, activation: 'sigmoid', ...init() }));
  m.add(tfl.layers.dense({ units: 10, ...init() }));
  return m;
}

describe('LeNet built with tfjs-layers on wasm', () => {
  beforeAll(ready);

  it('trains: the loss goes down and no tensor leaks between epochs', async () => {
    await tf.setBackend('wasm');
    // 64 images whose class is which of 10 horizontal bands is bright, plus noise.
    const n = 64;
    const pixels = signed(n * 28 * 28, 21).map((v) => v * 0.3);
    const labels = new Float32Array(n * 10);
    for (let i = 0; i < n; i++) {
      const c = i % 10;
      labels[i * 10 + c] = 1;
      for (let r = c * 2 + 4; r < c * 2 + 6; r++) for (let col = 0; col < 28; col++) pixels[i * 784 + r * 28 + col]! += 1;
    }
    const x = tf.tensor4d(pixels, [n, 28, 28, 1]);
    const y = tf.tensor2d(labels, [n, 10]);
    const model = lenet(1);
    model.compile({ optimizer: tf.train.adam(0.01), loss: (a: tf.Tensor, b: tf.Tensor) => tf.losses.softmaxCrossEntropy(a, b) });
    await model.fit(x, y, { batchSize: 8, epochs: 1, shuffle: false, verbose: 0 });
    const before = tf.memory().numTensors;
    const h = await model.fit(x, y, { batchSize: 8, epochs: 15, shuffle: false, verbose: 0 });
    expect(tf.memory().numTensors).toBe(before);
    const losses = h.history.loss as number[];
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.8);
    model.dispose();
    tf.dispose([x, y]);
  });
});
