/**
 * Sum and Mean for the wasm backend when the reduced axes come before all kept ones
 * (ignoring axes of size 1): bias gradients and batch/layer statistics, e.g. a sum over
 * [0, 1, 2] of NHWC activations. The stock kernels first transpose the reduced axes to the
 * end (10-20 ns per element on wasm); here each row is added into per-column float64
 * accumulators in one streaming pass (four columns at a time in simd/norm.c when our SIMD
 * module is built, rows split across the threads; ragged columns as rows side by side).
 * Reduced axes all of size 1 (ResNet-18's global pool over its 1x1 map at 32x32 inputs, 0.1 ms
 * a step as a reduction) give x itself, reshaped on the same memory. Other reductions go to
 * the stock kernels.
 */
import { Mean, Sum, div, reshape, tile, util } from '@tensorflow/tfjs-core';
import type { GradConfig, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { wasmGradient } from './gradients';
import { shared } from './identity';
import { simdKernels, simdPool, slice, slicesFor } from './simdModule';
import { alloc, free, heapF32, offsetOf, stockKernel } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

/** Tests and benchmarks turn the JS path off to compare. */
export const tuning = { enabled: true };

/** [rows, cols] of the column reduction `axis` amounts to, or undefined if it is not one. */
export function leadingReduction(shape: readonly number[], axis: number | number[]): [number, number] | undefined {
  const axes = new Set((Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + shape.length : a)));
  let rows = 1;
  let cols = 1;
  let keptSeen = false;
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d]!;
    if (size === 1) continue;
    if (axes.has(d)) {
      if (keptSeen) return undefined;
      rows *= size;
    } else {
      keptSeen = true;
      cols *= size;
    }
  }
  return [rows, cols];
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

function reduce(name: typeof Sum | typeof Mean) {
  return (args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: { axis: number | number[]; keepDims: boolean } }): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs;
    // `axis` may be null (every axis) or negative; parseAxisParam turns it into the real list.
    const axisList = util.parseAxisParam(attrs.axis, x.shape);
    const plan = tuning.enabled && x.dtype === 'float32' && util.sizeFromShape(x.shape) > 0 ? leadingReduction(x.shape, axisList) : undefined;
    if (plan === undefined) return stockKernel(name)(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
    const [rows, cols] = plan;
    const axes = new Set(axisList);
    const outShape = attrs.keepDims ? x.shape.map((d, i) => (axes.has(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.has(i));
    // Every reduced axis of size 1 (a global pool over a 1x1 map): x itself, reshaped, on the same memory.
    const same = rows === 1 ? shared(backend, x) : undefined;
    if (same) return { ...same, shape: outShape };
    const out = alloc(backend, outShape);
    const scale = name === Mean ? 1 / rows : 1;
    // Ragged columns (LeNet's 6 channels) as f rows side by side: [rows / f, cols · f] with
    // cols · f a multiple of 4, whose f column groups are then added up.
    // Small ones stay on the float64 JS loop below (no call overhead to win back).
    const f = 4 / gcd(cols, 4);
    const simd = rows % f === 0 && (f === 1 || rows * cols >= 1 << 14) ? simdKernels(backend) : null;
    if (simd) {
      // The same sums four columns at a time (simd/norm.c), rows split across the threads,
      // each slice's sums added up here in float64.
      const wide = cols * f;
      const n = rows / f;
      const parts = slicesFor(backend, n * wide);
      const accFloats = 3 * wide + 2;
      const scratch = alloc(backend, [parts * (accFloats + wide)]);
      const at = offsetOf(backend, scratch);
      const sumsAt = (i: number) => at + 4 * (parts * accFloats + i * wide);
      simdPool(backend).run(
        'col_sum',
        Array.from({ length: parts }, (_, i) => {
          const [r0, r1] = slice(n, parts, i);
          return [offsetOf(backend, x) + 4 * r0 * wide, sumsAt(i), 1, r1 - r0, wide, at + 4 * i * accFloats];
        }),
      );
      const s = heapF32(backend, scratch).subarray(parts * accFloats);
      const dst = heapF32(backend, out);
      for (let c = 0; c < cols; c++) {
        let t = 0;
        for (let g = 0; g < f * parts; g++) t += s[g * cols + c]!;
        dst[c] = t * scale;
      }
      free(backend, scratch);
      return out;
    }
    const src = heapF32(backend, x);
    const acc = new Float64Array(cols);
    // Four rows per pass: a quarter of the accumulator traffic (sums stay in float64).
    let r = 0;
    for (; r + 4 <= rows; r += 4) {
      const o = r * cols;
      for (let c = 0; c < cols; c++) acc[c] = acc[c]! + (src[o + c]! + src[o + cols + c]! + (src[o + 2 * cols + c]! + src[o + 3 * cols + c]!));
    }
    for (; r < rows; r++) for (let c = 0, o = r * cols; c < cols; c++) acc[c] = acc[c]! + src[o + c]!;
    const dst = heapF32(backend, out);
    for (let c = 0; c < cols; c++) dst[c] = acc[c]! * scale;
    return out;
  };
}

/** Sum for backend 'wasm' (column sums in JS where that applies; see module note). */
export const sumConfig: KernelConfig = { kernelName: Sum, backendName: 'wasm', kernelFunc: reduce(Sum) as unknown as KernelFunc };

/** Mean for backend 'wasm' (column means in JS where that applies; see module note). */
export const meanConfig: KernelConfig = { kernelName: Mean, backendName: 'wasm', kernelFunc: reduce(Mean) as unknown as KernelFunc };

/**
 * Mean's gradient, dy / n tiled over the reduced axes. tfjs-core's multiplies dy by a
 * full-size `ones` tensor that it fills in JS (a CIFAR-stem ResNet-18's global pool: a 1 MiB
 * Float32Array every step, uploaded, then a broadcast Mul and a RealDiv over it), and those
 * arrays' external memory set off a garbage collection every few steps.
 */
export const meanGradient: GradConfig = wasmGradient({ kernelName: Mean, inputsToSave: ['x'] }, (dy, [x], attrs) => {
  const axes = util.parseAxisParam(attrs.axis as number | number[], x!.shape);
  const expanded = x!.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const reps = x!.shape.map((d, i) => (axes.includes(i) ? d : 1));
  const n = axes.reduce((p, a) => p * x!.shape[a]!, 1);
  return { x: () => tile(div(reshape(dy, expanded), n), reps) };
});
