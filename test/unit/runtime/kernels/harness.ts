/**
 * Shared harness for the wasm-kernel tests: both backends ready, our kernels registered,
 * seeded inputs of both signs, and a run-on-backend-then-compare helper.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../../../../runtime/kernels';

export { tf };

/** Both backends initialised, our kernels registered, wasm current. */
export async function ready(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.setBackend('wasm');
  registerWasmTrainingKernels();
  tf.env().set('IS_TEST', true);
}

/** `n` values uniform in [-1, 1) from `seed` (mulberry32): deterministic, both signs. */
export function signed(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

/** Runs `f` with `backend` current and returns its result's values (tensors are disposed). */
export async function on(backend: 'cpu' | 'wasm', f: () => tf.Tensor): Promise<{ shape: number[]; values: Float32Array }> {
  await tf.setBackend(backend);
  const r = tf.tidy(f);
  const values = Float32Array.from(r.dataSync() as Float32Array);
  const shape = r.shape;
  r.dispose();
  return { shape, values };
}

/** Largest |a - b| over the largest |b| (0 when both are all zeros). */
export function relError(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= diff)) diff = d; // NaN propagates as a failure
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Runs a kernel by name on the current backend. */
export function kernel(name: string, inputs: tf.NamedTensorMap, attrs: object): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;
}

/** Output size of a conv/pool along one axis, or 0 when the window does not fit. */
export function convOut(xShape: number[], fShape: number[], strides: [number, number], pad: unknown, dil: [number, number], depthwise = false): [number, number, number, number] | undefined {
  try {
    const info = tf.backend_util.computeConv2DInfo(
      xShape as [number, number, number, number],
      fShape as [number, number, number, number],
      strides,
      dil,
      pad as 'same',
      undefined,
      depthwise,
    );
    if (info.outHeight <= 0 || info.outWidth <= 0) return undefined;
    return info.outShape;
  } catch {
    return undefined;
  }
}
