import { beforeAll, describe, expect, it } from 'vitest';
import { OptimizerStep } from '../../../../runtime/kernels/optimizerStep';
import { makeOptimizer } from '../../../../runtime/train/optimizers';
import { JS_ONLY, onPath, ready, signed, tf } from './harness';

/**
 * Three steps of `make()` on a least-squares problem with variables of ragged sizes; the final
 * values and what ran. 4,235 elements in all: over the tests' split threshold (4096), so the
 * step runs on both threads, cut inside the first variable (at 2,120).
 */
async function threeSteps(make: () => tf.Optimizer): Promise<{ values: number[][]; kernels: string[] }> {
  await tf.setBackend('wasm');
  const vars = [tf.variable(tf.tensor2d(signed(7 * 603, 1), [7, 603])), tf.variable(tf.tensor1d(signed(603, 2))), tf.variable(tf.tensor1d(signed(11, 3)))];
  const x = tf.tensor2d(signed(4 * 7, 4), [4, 7]);
  const opt = make();
  const loss = () => tf.add(tf.sum(tf.square(tf.add(tf.matMul(x, vars[0]!), vars[1]!))), tf.sum(tf.mul(vars[2]!, vars[2]!))) as tf.Scalar;
  let kernels: string[] = [];
  for (let i = 0; i < 3; i++) {
    const info = await tf.profile(() => opt.minimize(loss, false, vars) ?? tf.scalar(0));
    kernels = info.kernelNames;
  }
  const values = vars.map((v) => Array.from(v.dataSync()));
  opt.dispose();
  tf.dispose([...vars, x]);
  return { values, kernels };
}

describe('SGD and momentum as one kernel per step on wasm (runtime/train/optimizers.ts)', () => {
  beforeAll(ready);

  it.for(['our SIMD module (simd/optim.c)', JS_ONLY] as const)('give bit for bit what tfjs’s own optimizers give: %s', async (path, ctx) => {
    await onPath(path, ctx, async () => {
      const sgd = await threeSteps(() => makeOptimizer({ type: 'sgd', learningRate: 0.05 }));
      const sgdRef = await threeSteps(() => tf.train.sgd(0.05));
      expect(sgd.kernels).toContain(OptimizerStep);
      expect(sgd.values).toEqual(sgdRef.values);
      const momentum = await threeSteps(() => makeOptimizer({ type: 'momentum', learningRate: 0.05, momentum: 0.9 }));
      const momentumRef = await threeSteps(() => tf.train.momentum(0.05, 0.9));
      expect(momentum.kernels).toContain(OptimizerStep);
      expect(momentum.values).toEqual(momentumRef.values);
    });
  });

  it("keeps tfjs's momentum state, so getWeights/setWeights carry it", async () => {
    await tf.setBackend('wasm');
    const w = tf.variable(tf.tensor1d([1, -2]));
    const opt = makeOptimizer({ type: 'momentum', learningRate: 0.1, momentum: 0.9 });
    opt.minimize(() => tf.sum(tf.mul(0.5, tf.square(w))) as tf.Scalar, false, [w]);
    const weights = await opt.getWeights();
    // The iteration count, then the accumulator (after one step: the gradient, w itself).
    expect(weights.map((n) => n.name)).toEqual(['iter', `${w.name}/momentum`]);
    expect(Array.from(weights[1]!.tensor.dataSync())).toEqual([1, -2]);
    opt.dispose();
    w.dispose();
  });
});
