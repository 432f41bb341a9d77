import { beforeAll, describe, expect, it } from 'vitest';
import { kernel, on, ready, tf } from './harness';

describe('Cast (wasm)', () => {
  beforeAll(ready);

  it('to the dtype a tensor already has: no copy (one more tensor, no more data), values kept after the input is disposed', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend();
    const before = { tensors: tf.memory().numTensors, data: backend.numDataIds() };
    const x = tf.tensor([1.5, -2, 3, Number.NaN], [2, 2]);
    const y = kernel('Cast', { x }, { dtype: 'float32' });
    expect(backend.numDataIds()).toBe(before.data + 1);
    x.dispose();
    expect(y.dtype).toBe('float32');
    expect(y.shape).toEqual([2, 2]);
    expect(Array.from(y.dataSync())).toEqual([1.5, -2, 3, Number.NaN]);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before.tensors);
    expect(backend.numDataIds()).toBe(before.data);
  });

  it.each([
    ['float32', 'int32', [1.7, -2.2, 0, 3.5]],
    ['float32', 'bool', [1.7, 0, -0.5, 0.3, 256, -0, Number.NaN, -1e-30]],
    ['int32', 'bool', [256, 0, -1, 1]],
    ['int32', 'float32', [7, -3, 0, 2]],
    ['bool', 'int32', [1, 0, 1, 1]],
  ] as const)('from %s to %s: what the CPU backend computes', async (from, to, values) => {
    const run = () => kernel('Cast', { x: tf.tensor([...values], [values.length], from) }, { dtype: to });
    const ours = await on('wasm', run);
    const ref = await on('cpu', run);
    expect(Array.from(ours.values)).toEqual(Array.from(ref.values));
  });
});
