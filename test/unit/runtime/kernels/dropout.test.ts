import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dropout as DropoutKernel, dropoutKernelOp, dropoutThreshold } from '../../../../runtime/kernels/dropout';
import { Dropout } from '../../../../runtime/layers/Dropout';
import { dropout } from '../../../../runtime/layers/common';
import { simdSwitch } from '../../../../runtime/kernels/simdModule';
import { ready, signed, simdBuilt, tf } from './harness';

describe('one-pass dropout kernel on wasm', () => {
  beforeAll(ready);

  it('keeps each element with probability 1 - rate, scales kept ones so the mean is preserved, and zeroes the rest', async () => {
    await tf.setBackend('wasm');
    await fc.assert(
      fc.property(fc.record({ rate: fc.double({ min: 0.05, max: 0.9, noNaN: true }), seed: fc.nat(), n: fc.integer({ min: 20_000, max: 60_000 }) }), (k) => {
        const xs = signed(k.n, k.seed).map((v) => v + 2); // never 0, so a 0 in y means dropped
        const y = tf.tidy(() => dropoutKernelOp(tf.tensor1d(xs), k.rate, k.seed).dataSync());
        const { scale } = dropoutThreshold(k.rate);
        let kept = 0;
        let worst = 0;
        for (let i = 0; i < k.n; i++) {
          if (y[i] === 0) continue;
          kept++;
          worst = Math.max(worst, Math.abs(y[i]! - xs[i]! * scale) / Math.abs(y[i]!));
        }
        expect(worst).toBeLessThanOrEqual(1e-6);
        const keep = 1 - k.rate;
        // Five standard deviations of a binomial proportion.
        expect(Math.abs(kept / k.n - keep)).toBeLessThan(5 * Math.sqrt((keep * (1 - keep)) / k.n) + 2 ** -16);
      }),
      { numRuns: 20 },
    );
  });

  it('gives the same mask for the same seed and another for another seed; odd sizes fill the last element', async () => {
    await tf.setBackend('wasm');
    const x = tf.ones([3, 7, 5]);
    const a = tf.tidy(() => dropoutKernelOp(x, 0.5, 42).dataSync());
    const b = tf.tidy(() => dropoutKernelOp(x, 0.5, 42).dataSync());
    const c = tf.tidy(() => dropoutKernelOp(x, 0.5, 43).dataSync());
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(a.every((v) => v === 0 || v === 2)).toBe(true);
    x.dispose();
  });

  it('draws bit for bit the same mask in our SIMD module (simd/norm.c) as in JS, for every length', async (ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built (npm run build compiles it when clang and lld are installed)');
    await tf.setBackend('wasm');
    // 200,001 is split across both threads, each slice starting its pair counter where it begins.
    for (const n of [1, 7, 8, 9, 1000, 4099, 200_001]) {
      const x = tf.tensor1d(signed(n, n).map((v) => v + 2));
      const simd = tf.tidy(() => dropoutKernelOp(x, 0.37, n * 31).dataSync());
      simdSwitch.off = true;
      try {
        const js = tf.tidy(() => dropoutKernelOp(x, 0.37, n * 31).dataSync());
        expect(Array.from(simd)).toEqual(Array.from(js));
      } finally {
        simdSwitch.off = false;
      }
      x.dispose();
    }
  });

  it('has gradient dy · mask, and leaves no tensor behind', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor(signed(6 * 11, 3), [6, 11]);
    const dy = tf.tensor(signed(6 * 11, 4), [6, 11]);
    const before = tf.memory().numTensors;
    const { value, grad } = tf.tidy(() => {
      const g = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(dropoutKernelOp(t, 0.3, 9), dy)))(x);
      return { value: g.value.dataSync(), grad: g.grad.dataSync() };
    });
    expect(tf.memory().numTensors).toBe(before);
    const mask = tf.tidy(() => tf.div(dropoutKernelOp(tf.onesLike(x), 0.3, 9), 1).dataSync());
    const dys = dy.dataSync();
    const xs = x.dataSync();
    let sum = 0;
    for (let i = 0; i < mask.length; i++) {
      expect(grad[i]).toBeCloseTo(dys[i]! * mask[i]!, 5);
      sum += xs[i]! * mask[i]! * dys[i]!;
    }
    expect(value[0]).toBeCloseTo(sum, 4);
  });
});

describe('Dropout layer (ours, registered as Dropout)', () => {
  beforeAll(ready);

  const masks = (layer: Dropout, calls: number) => {
    const x = tf.ones([4, 50]);
    const out = Array.from({ length: calls }, () => tf.tidy(() => Array.from((layer.apply(x, { training: true }) as tf.Tensor).dataSync())));
    x.dispose();
    return out;
  };

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`on ${backend}: a new mask on every training call, the same sequence for the same seed, identity in inference`, async () => {
      await tf.setBackend(backend);
      const [m1, m2] = masks(new Dropout({ rate: 0.5, seed: 7 }), 2);
      expect(m1).not.toEqual(m2);
      expect(masks(new Dropout({ rate: 0.5, seed: 7 }), 2)).toEqual([m1, m2]);
      const x = tf.tensor(signed(20, 1), [4, 5]);
      const y = new Dropout({ rate: 0.5 }).apply(x, { training: false }) as tf.Tensor;
      expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
      tf.dispose([x, y]);
    });
  }

  it('is what training runs on wasm', async () => {
    await tf.setBackend('wasm');
    const x = tf.ones([8, 8]);
    const info = await tf.profile(() => tf.grad((t: tf.Tensor) => tf.sum(dropout(t, 0.2, 1)))(x));
    expect(info.kernelNames).toContain(DropoutKernel);
    expect(info.kernelNames).not.toContain('Floor');
    tf.dispose([x, info.result as tf.Tensor]);
  });
});
