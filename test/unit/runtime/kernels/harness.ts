/**
 * Shared harness for the wasm-kernel tests: both backends ready, our kernels registered,
 * seeded inputs of both signs, and a run-on-backend-then-compare helper.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../../../../runtime/kernels';
import { convTuning, simdKernels, simdModuleBuilt, simdSwitch, sliceTuning } from '../../../../runtime/kernels/simdModule';
import type { WasmBackend } from '../../../../runtime/kernels/wasmBackend';
import { withWasmThreads } from '../../../../runtime/wasmThreads';

export { tf };

/**
 * Both backends initialised, our kernels registered, wasm current. WASM runs the threaded
 * build on two threads, as the product does on any multi-core machine (the kernels' JS is
 * the same on the single-thread build; its heap is a SharedArrayBuffer here).
 */
export async function ready(): Promise<void> {
  await tf.setBackend('cpu');
  // As the product starts it (runtime/backend.ts): our kernels on both threads, XNNPACK on one.
  await withWasmThreads(2, () => tf.setBackend('wasm'), simdModuleBuilt() ? 1 : 2);
  registerWasmTrainingKernels();
  // The tests' small jobs split across both threads too (the product keeps small ones on one).
  convTuning.parallelFromMacs = 0;
  sliceTuning.parallelFrom = 1 << 12;
}

/** Whether `npm run build` compiled runtime/kernels/simd (it needs clang and lld); call after {@link ready}. */
export const simdBuilt = (): boolean => simdKernels(tf.findBackend('wasm') as WasmBackend) !== null;

/** The label of a kernel test's path without our SIMD module (as with LAYERLAB_SIMD=0). */
export const JS_ONLY = 'JavaScript only';

/**
 * Runs a test body on one path of a kernel that has a SIMD version: `JS_ONLY` with the module
 * turned off, anything else with it (skipped, saying why, when the build had no clang).
 */
export async function onPath(path: string, ctx: { skip: (note?: string) => void }, body: () => Promise<void> | void): Promise<void> {
  if (path !== JS_ONLY && !simdBuilt()) return ctx.skip('skipped: dist/simd is not built (npm run build compiles it when clang and lld are installed)');
  if (path === JS_ONLY) simdSwitch.off = true;
  try {
    await body();
  } finally {
    simdSwitch.off = false;
  }
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

/**
 * Largest |a - b| over the largest |b| (0 when both are all zeros). `termScale` is a floor for
 * that scale: where every output sums terms of about that size, a ReLU can leave only one output
 * that nearly cancelled (0.0027 from terms of ~0.5), whose rounding is an ulp of the terms, not
 * of itself.
 */
export function relError(a: Float32Array, b: Float32Array, termScale = 0): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = termScale;
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

/** Shape [kh, kw, a, b] of a filter dilated by (dh, dw): the zero-stuffed equivalent. */
export function dilatedShape(shape: number[], [dh, dw]: [number, number]): number[] {
  return [(shape[0]! - 1) * dh + 1, (shape[1]! - 1) * dw + 1, shape[2]!, shape[3]!];
}

/** The zero-stuffed filter equivalent to `w` (shape [kh, kw, a, b]) dilated by (dh, dw). */
export function dilateFilter(w: Float32Array, shape: number[], d: [number, number]): Float32Array {
  const eff = dilatedShape(shape, d);
  const inner = shape[2]! * shape[3]!;
  const out = new Float32Array(eff.reduce((a, b) => a * b));
  for (let i = 0; i < shape[0]!; i++)
    for (let j = 0; j < shape[1]!; j++)
      for (let c = 0; c < inner; c++) out[(i * d[0] * eff[1]! + j * d[1]) * inner + c] = w[(i * shape[1]! + j) * inner + c]!;
  return out;
}

/** Reads the taps of a dilated filter (shape [kh, kw, a, b]) back out of its zero-stuffed equivalent. */
export function filterTaps(full: Float32Array, shape: number[], d: [number, number]): Float32Array {
  const eff = dilatedShape(shape, d);
  const inner = shape[2]! * shape[3]!;
  const out = new Float32Array(shape.reduce((a, b) => a * b));
  for (let i = 0; i < shape[0]!; i++)
    for (let j = 0; j < shape[1]!; j++)
      for (let c = 0; c < inner; c++) out[(i * shape[1]! + j) * inner + c] = full[(i * d[0] * eff[1]! + j * d[1]) * inner + c]!;
  return out;
}
