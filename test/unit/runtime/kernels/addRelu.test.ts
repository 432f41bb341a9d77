import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tfl from '@tensorflow/tfjs-layers';
import { AddRelu } from '../../../../runtime/kernels/addRelu';
import { Activation } from '../../../../runtime/layers/Activation';
import { Add } from '../../../../runtime/layers/Add';
import { on, ready, signed, tf } from './harness';

/**
 * A residual join in training mode, as layers: the output, then the gradients of a weighted
 * sum of it with respect to both inputs. `fused`: our Add told to apply the ReLU, and our
 * ReLU layer; otherwise tfjs-layers' stock Add and Activation.
 */
function join(fused: boolean, shape: number[], seed: number): () => tf.Tensor {
  return () => {
    const n = shape.reduce((p, q) => p * q);
    const add = fused ? new Add({}) : tfl.layers.add({});
    if (add instanceof Add) add.fusedRelu = true;
    const relu = fused ? new Activation({ activation: 'relu' }) : tfl.layers.activation({ activation: 'relu' });
    const a = tf.tensor(signed(n, seed), shape);
    const b = tf.tensor(signed(n, seed + 1), shape);
    const w = tf.tensor(signed(n, seed + 2), shape);
    const f = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(relu.apply(add.apply([x, y], { training: true }) as tf.Tensor, { training: true }) as tf.Tensor, w));
    const [da, db] = tf.grads(f)([a, b]);
    return tf.concat([f(a, b), relu.apply(add.apply([a, b], { training: true }) as tf.Tensor, { training: true }) as tf.Tensor, da!, db!].map((t) => tf.reshape(t, [-1])));
  };
}

describe('Add + ReLU fused on wasm vs tfjs-layers Add and ReLU on CPU', () => {
  beforeAll(ready);

  it('matches output and both input gradients on random shapes (split across the threads from 4096 elements), max abs. error 1e-5 on the sum, exact elsewhere', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 24 }), { minLength: 1, maxLength: 3 }), fc.nat(), async (shape, seed) => {
        const ours = await on('wasm', join(true, shape, seed));
        const ref = await on('cpu', join(false, shape, seed));
        expect(ours.shape).toEqual(ref.shape);
        expect(Math.abs(ours.values[0]! - ref.values[0]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(ref.values[0]!)));
        // Exact (±0 alike: the CPU's dy·step(x) gives -0 where dy < 0).
        expect(ours.values.subarray(1).every((v, i) => v === ref.values[i + 1])).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('is one kernel forward and no Add or Relu kernel on wasm, and leaves no tensor behind', async () => {
    await tf.setBackend('wasm');
    const add = new Add({});
    add.fusedRelu = true;
    const relu = new Activation({ activation: 'relu' });
    const [a, b] = [tf.tensor(signed(64, 1), [4, 16]), tf.tensor(signed(64, 2), [4, 16])];
    const f = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(relu.apply(add.apply([x, y], { training: true }) as tf.Tensor, { training: true }) as tf.Tensor, x));
    tf.dispose(tf.grads(f)([a, b]));
    const before = tf.memory().numTensors;
    const info = await tf.profile(() => tf.grads(f)([a, b]));
    expect(info.kernelNames).toContain(AddRelu);
    expect(info.kernelNames).not.toContain('Relu');
    expect(info.kernels.filter((k) => k.name === 'Add')).toHaveLength(1); // x's two gradients (the product's and the join's) summed
    // The ReLU layer passes the rectified tensor through without Layer.apply's copy; the one Identity is b's share of the gradient.
    expect(info.kernels.filter((k) => k.name === 'Identity')).toHaveLength(1);
    tf.dispose(info.result as tf.Tensor[]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('still adds and rectifies where the fused kernel does not run (CPU backend, inference)', async () => {
    for (const [backend, training] of [['cpu', true], ['wasm', false]] as const) {
      await tf.setBackend(backend);
      const add = new Add({});
      add.fusedRelu = true;
      const y = tf.tidy(() => new Activation({ activation: 'relu' }).apply(add.apply([tf.tensor1d([1, -2, 3, -4]), tf.tensor1d([-2, 1, 1, 5])], { training }), { training }) as tf.Tensor);
      expect(Array.from(y.dataSync())).toEqual([0, 0, 4, 1]);
      y.dispose();
    }
  });
});
