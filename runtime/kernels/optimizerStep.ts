/**
 * One kernel for a whole SGD or momentum step on wasm: every variable's update in a single
 * engine call (simd/optim.c's optimizer_steps over a table of them, split across the threads
 * by elements, or the loops below without our SIMD module),
 * in tfjs's own float32 order, where tfjs's optimizers run two to four kernels per variable
 * (ResNet-18: 62 variables, ~250 calls a step). runtime/train/optimizers.ts uses it.
 */
import { engine, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernels, simdPool, slice, slicesFor } from './simdModule';
import { alloc, free, heapF32, offsetOf } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

export const OptimizerStep = 'LayerlabOptimizerStep';

interface Attrs {
  /** Variables updated (inputs w0.., g0.., and a0.. with momentum). */
  count: number;
  /** -learning rate. */
  c: number;
  /** Momentum, or null for plain SGD. */
  m: number | null;
}

function optimizerStep(args: { inputs: Record<string, TensorInfo>; backend: WasmBackend; attrs: Attrs }): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const f = Math.fround;
  const c = f(attrs.c);
  const m = attrs.m === null ? null : f(attrs.m);
  const values: TensorInfo[] = [];
  const accumulators: TensorInfo[] = [];
  for (let i = 0; i < attrs.count; i++) {
    values.push(alloc(backend, [...inputs[`w${i}`]!.shape]));
    if (m !== null) accumulators.push(alloc(backend, [...inputs[`w${i}`]!.shape]));
  }
  const simd = simdKernels(backend);
  if (simd) {
    // One table of (w, g, a, out, aout, n) for optim.c, the elements split across the threads.
    const table = alloc(backend, [6 * attrs.count], 'int32');
    const t = new Int32Array(heapF32(backend, table).buffer, offsetOf(backend, table), 6 * attrs.count);
    const at = (info: TensorInfo | undefined) => (info ? offsetOf(backend, info) : 0);
    let total = 0;
    for (let i = 0; i < attrs.count; i++) {
      const n = util.sizeFromShape(inputs[`w${i}`]!.shape);
      t.set([at(inputs[`w${i}`]), at(inputs[`g${i}`]), at(inputs[`a${i}`]), at(values[i]), at(accumulators[i]), n], 6 * i);
      total += n;
    }
    const parts = slicesFor(backend, total);
    simdPool(backend).run('optimizer_steps', Array.from({ length: parts }, (_, i) => [at(table), attrs.count, ...slice(total, parts, i, 4), c, m ?? 0, m === null ? 0 : 1]));
    free(backend, table);
    return [...values, ...accumulators];
  }
  for (let i = 0; i < attrs.count; i++) {
    const [w, g, a] = [inputs[`w${i}`]!, inputs[`g${i}`]!, inputs[`a${i}`]];
    const n = heapF32(backend, w).length;
    const [wv, gv, out] = [heapF32(backend, w), heapF32(backend, g), heapF32(backend, values[i]!)];
    if (m === null) {
      for (let j = 0; j < n; j++) out[j] = f(f(c * gv[j]!) + wv[j]!);
    } else {
      const [av, aout] = [heapF32(backend, a!), heapF32(backend, accumulators[i]!)];
      for (let j = 0; j < n; j++) {
        const acc = f(f(m * av[j]!) + gv[j]!);
        aout[j] = acc;
        out[j] = f(f(c * acc) + wv[j]!);
      }
    }
  }
  return [...values, ...accumulators];
}

export const optimizerStepConfig: KernelConfig = { kernelName: OptimizerStep, backendName: 'wasm', kernelFunc: optimizerStep as unknown as KernelFunc };

/**
 * The new values (then, with momentum, the new accumulators) of `weights` after one step on
 * `grads` (wasm only; float32 tensors).
 */
export function optimizerStepOp(weights: Tensor[], grads: Tensor[], accumulators: Tensor[] | null, learningRate: number, momentum: number | null): Tensor[] {
  const inputs: Record<string, Tensor> = {};
  weights.forEach((w, i) => {
    inputs[`w${i}`] = w;
    inputs[`g${i}`] = grads[i]!;
    if (accumulators) inputs[`a${i}`] = accumulators[i]!;
  });
  const attrs: Attrs = { count: weights.length, c: -learningRate, m: momentum };
  return engine().runKernel(OptimizerStep, inputs, attrs as unknown as NamedAttrMap) as unknown as Tensor[];
}
