/**
 * Batch normalisation in training mode as one kernel with one gradient, on wasm.
 *
 * tfjs-layers normalises a training batch with `tf.moments` then `tf.batchNorm`, so a step
 * runs ~12 full-size kernels per batch-norm layer (moments forward, FusedBatchNorm, the
 * gradients of both and the broadcasts between them): about a third of a ResNet-18 step.
 * Like PyTorch's and cuDNN's batch norm, this does it in four passes over the data, with
 * per-channel sums in float64:
 *   forward   pass 1: per-channel mean and (biased) variance, shifted by the first row's
 *                     value so that large means do not cancel;
 *             pass 2: y = x·k + b with k = γ·r, b = β - μ·k, r = 1/√(var + ε);
 *   backward  pass 1: Σdy and Σdy·(x - μ) per channel;
 *             pass 2: dx = γ·r·(dy - Σdy/N - (x - μ)·r²·Σdy(x - μ)/N)
 *                     (+ the gradients of the mean and variance outputs when they are used),
 *             dγ = r·Σdy(x - μ), dβ = Σdy.
 * With our SIMD module built and channels a multiple of 4, simd/norm.c runs the same passes.
 *
 * BatchNormReluTrain is the same with a ReLU applied in the forward's pass 2, where a ReLU
 * layer follows batch norm (ResNet, DenseNet): its gradient masks dy by y > 0 inside the
 * backward passes, so the ReLU and its gradient cost no kernel calls or passes of their own
 * (graph-compiler/passes/fuse.ts picks the pairs).
 * Channels are the last axis (NHWC / [..., features]); runtime/layers/BatchNormalization.ts
 * uses it for that case on wasm and tfjs-layers' own path otherwise.
 */
import { engine, util } from '@tensorflow/tfjs-core';
import type { GradConfig, KernelConfig, KernelFunc, NamedAttrMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import { gradOne } from './activationGrad';
import { normGradient } from './normGradient';
import { simdKernels, simdPool, slice, slicesFor } from './simdModule';
import { alloc, free, heapF32, offsetOf } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

export const BatchNormTrain = 'LayerlabBatchNormTrain';
export const BatchNormReluTrain = 'LayerlabBatchNormReluTrain';
export const BatchNormTrainGrad = 'LayerlabBatchNormTrainGrad';
export const MovingStats = 'LayerlabMovingStats';

/**
 * Scratch for the SIMD passes split over the rows (simd/norm.c): per thread 2·C floats of
 * running sums then 2·C doubles (`part(i)`, 6·C floats apart; `sums` is part 0's doubles),
 * then `n` vectors of C coefficients (k, b or k, a, b).
 */
function phases(backend: WasmBackend, rows: number, C: number, n: number) {
  const parts = slicesFor(backend, rows * C);
  const scratch = alloc(backend, [parts * 6 * C + n * C]);
  const base = offsetOf(backend, scratch);
  const part = (i: number) => base + 4 * i * 6 * C;
  return {
    parts,
    rows: (i: number) => slice(rows, parts, i),
    scratch,
    part,
    sums: part(0) + 8 * C,
    coefficients: Array.from({ length: n }, (_, j) => base + 4 * (parts * 6 * C + j * C)),
  };
}

const trainKernel = (relu: boolean) => (args: { inputs: { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo }; backend: WasmBackend; attrs: { epsilon: number } }) => batchNormTrain(args, relu);

function batchNormTrain(args: { inputs: { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo }; backend: WasmBackend; attrs: { epsilon: number } }, relu: boolean): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const C = inputs.x.shape.at(-1)!;
  const total = util.sizeFromShape(inputs.x.shape);
  const N = total / C;
  const y = alloc(backend, [...inputs.x.shape]);
  const meanOut = alloc(backend, [C]);
  const varOut = alloc(backend, [C]);
  const simd = C % 4 === 0 ? simdKernels(backend) : null;
  if (simd) {
    // The same passes four channels at a time (simd/norm.c), rows split across the threads.
    const at = (t: TensorInfo) => offsetOf(backend, t);
    const { parts, rows, scratch, part, sums, coefficients } = phases(backend, N, C, 2);
    const x = at(inputs.x);
    simdPool(backend).run('bn_forward_sums', Array.from({ length: parts }, (_, i) => [x + 4 * rows(i)[0] * C, x, rows(i)[1] - rows(i)[0], C, part(i), part(i) + 8 * C]));
    const [k, b] = coefficients;
    simd.bn_forward_finish(sums, parts, 3 * C, x, at(inputs.gamma), at(inputs.beta), attrs.epsilon, N, C, at(meanOut), at(varOut), k!, b!);
    simdPool(backend).run('bn_forward_rows', Array.from({ length: parts }, (_, i) => [x + 4 * rows(i)[0] * C, k!, b!, at(y) + 4 * rows(i)[0] * C, rows(i)[1] - rows(i)[0], C, relu ? 1 : 0]));
    free(backend, scratch);
    return [y, meanOut, varOut];
  }
  const x = heapF32(backend, inputs.x);
  const gamma = heapF32(backend, inputs.gamma);
  const beta = heapF32(backend, inputs.beta);
  const shift = new Float64Array(C);
  for (let c = 0; c < C; c++) shift[c] = x[c]!;
  const s1 = new Float64Array(C);
  const s2 = new Float64Array(C);
  for (let i = 0; i < total; i += C) {
    for (let c = 0; c < C; c++) {
      const d = x[i + c]! - shift[c]!;
      s1[c] = s1[c]! + d;
      s2[c] = s2[c]! + d * d;
    }
  }
  const mean = heapF32(backend, meanOut);
  const variance = heapF32(backend, varOut);
  const k = new Float32Array(C);
  const b = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    const m = s1[c]! / N;
    const v = Math.max(0, s2[c]! / N - m * m);
    mean[c] = shift[c]! + m;
    variance[c] = v;
    const kc = gamma[c]! / Math.sqrt(v + attrs.epsilon);
    k[c] = kc;
    b[c] = beta[c]! - (shift[c]! + m) * kc;
  }
  const out = heapF32(backend, y);
  for (let i = 0; i < total; i += C) for (let c = 0; c < C; c++) out[i + c] = x[i + c]! * k[c]! + b[c]!;
  if (relu) for (let i = 0; i < total; i++) if (out[i]! < 0) out[i] = 0;
  return [y, meanOut, varOut];
}

function batchNormTrainGrad(args: {
  /**
   * y: the rectified output of BatchNormReluTrain, whose zeros mask dy; beta with it. The SIMD
   * passes recompute where y was rectified from x, beta and the statistics (simd/norm.c's
   * grad_at) instead of reading y.
   */
  inputs: { dy: TensorInfo; x: TensorInfo; gamma: TensorInfo; mean: TensorInfo; variance: TensorInfo; dmean?: TensorInfo; dvariance?: TensorInfo; y?: TensorInfo; beta?: TensorInfo };
  backend: WasmBackend;
  attrs: { epsilon: number };
}): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const C = inputs.x.shape.at(-1)!;
  const total = util.sizeFromShape(inputs.x.shape);
  const N = total / C;
  const dxOut = alloc(backend, [...inputs.x.shape]);
  const dgammaOut = alloc(backend, [C]);
  const dbetaOut = alloc(backend, [C]);
  const simd = C % 4 === 0 ? simdKernels(backend) : null;
  if (simd) {
    // The same passes four channels at a time (simd/norm.c), rows split across the threads.
    const at = (t: TensorInfo | undefined) => (t ? offsetOf(backend, t) : 0);
    const i = inputs;
    const { parts, rows, scratch, part, sums, coefficients } = phases(backend, N, C, 5);
    const slice = (t: TensorInfo | undefined, p: number) => (t ? at(t) + 4 * rows(p)[0] * C : 0);
    // The forward's k and b (kf, then bf C floats on) where a ReLU masks dy.
    const [k, a, b, kf] = coefficients;
    const mask = i.y ? kf! : 0;
    if (i.y) simd.bn_coefficients(at(i.gamma), at(i.beta), at(i.mean), at(i.variance), attrs.epsilon, C, kf!, kf! + 4 * C);
    simdPool(backend).run('bn_backward_sums', Array.from({ length: parts }, (_, p) => [slice(i.dy, p), slice(i.x, p), at(i.mean), mask, rows(p)[1] - rows(p)[0], C, part(p), part(p) + 8 * C]));
    simd.bn_backward_finish(sums, parts, 3 * C, at(i.gamma), at(i.mean), at(i.variance), attrs.epsilon, at(i.dmean), at(i.dvariance), N, C, k!, a!, b!, at(dgammaOut), at(dbetaOut));
    simdPool(backend).run('bn_backward_rows', Array.from({ length: parts }, (_, p) => [slice(i.dy, p), slice(i.x, p), mask, k!, a!, b!, slice(dxOut, p), rows(p)[1] - rows(p)[0], C]));
    free(backend, scratch);
    return [dxOut, dgammaOut, dbetaOut];
  }
  const dy = inputs.y ? rectified(heapF32(backend, inputs.dy), heapF32(backend, inputs.y)) : heapF32(backend, inputs.dy);
  const x = heapF32(backend, inputs.x);
  const gamma = heapF32(backend, inputs.gamma);
  const mean = heapF32(backend, inputs.mean);
  const variance = heapF32(backend, inputs.variance);
  const dmean = inputs.dmean ? heapF32(backend, inputs.dmean) : undefined;
  const dvariance = inputs.dvariance ? heapF32(backend, inputs.dvariance) : undefined;
  const sdy = new Float64Array(C);
  const sdyx = new Float64Array(C);
  for (let i = 0; i < total; i += C) {
    for (let c = 0; c < C; c++) {
      const g = dy[i + c]!;
      sdy[c] = sdy[c]! + g;
      sdyx[c] = sdyx[c]! + g * (x[i + c]! - mean[c]!);
    }
  }
  const dgamma = heapF32(backend, dgammaOut);
  const dbeta = heapF32(backend, dbetaOut);
  // dx = dy·k + x·a + b per channel.
  const k = new Float32Array(C);
  const a = new Float32Array(C);
  const b = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    const r = 1 / Math.sqrt(variance[c]! + attrs.epsilon);
    const kc = gamma[c]! * r;
    let ac = (-kc * r * r * sdyx[c]!) / N;
    let bc = (-kc * sdy[c]!) / N;
    if (dvariance) ac += (2 * dvariance[c]!) / N;
    if (dmean) bc += dmean[c]! / N;
    k[c] = kc;
    a[c] = ac;
    b[c] = bc - ac * mean[c]!;
    dgamma[c] = r * sdyx[c]!;
    dbeta[c] = sdy[c]!;
  }
  const dx = heapF32(backend, dxOut);
  for (let i = 0; i < total; i += C) for (let c = 0; c < C; c++) dx[i + c] = dy[i + c]! * k[c]! + x[i + c]! * a[c]! + b[c]!;
  return [dxOut, dgammaOut, dbetaOut];
}

/** dy masked by the rectified output y: ReLU's gradient (activationGrad.ts's). */
function rectified(dy: Float32Array, y: Float32Array): Float32Array {
  return dy.map((g, i) => gradOne('relu', g, y[i]!));
}

/**
 * Batch norm's moving averages in one kernel: v ← v - (v - batch)·decay for the mean and the
 * variance (tfjs-layers' formula, in float32 as its Sub, Mul, Sub chain computes it), where
 * those ops were six kernel calls per layer and step. Not differentiable (nothing needs it).
 */
function movingStats(args: { inputs: { mean: TensorInfo; variance: TensorInfo; batchMean: TensorInfo; batchVariance: TensorInfo }; backend: WasmBackend; attrs: { decay: number } }): TensorInfo[] {
  const { inputs, backend } = args;
  const decay = Math.fround(args.attrs.decay);
  const outs = [alloc(backend, [...inputs.mean.shape]), alloc(backend, [...inputs.variance.shape])];
  const f = Math.fround;
  for (const [i, [v, batch]] of ([[inputs.mean, inputs.batchMean], [inputs.variance, inputs.batchVariance]] as const).entries()) {
    const old = heapF32(backend, v);
    const b = heapF32(backend, batch);
    const out = heapF32(backend, outs[i]!);
    for (let c = 0; c < old.length; c++) out[c] = f(old[c]! - f(f(old[c]! - b[c]!) * decay));
  }
  return outs;
}

/** Moving mean and variance after one more batch (wasm only); see {@link movingStats}. */
export function movingStatsOp(mean: Tensor, variance: Tensor, batchMean: Tensor, batchVariance: Tensor, decay: number): [Tensor, Tensor] {
  return engine().runKernel(MovingStats, { mean, variance, batchMean, batchVariance }, { decay }) as unknown as [Tensor, Tensor];
}

export const movingStatsConfig: KernelConfig = { kernelName: MovingStats, backendName: 'wasm', kernelFunc: movingStats as unknown as KernelFunc };
export const batchNormTrainConfig: KernelConfig = { kernelName: BatchNormTrain, backendName: 'wasm', kernelFunc: trainKernel(false) as unknown as KernelFunc };
export const batchNormReluTrainConfig: KernelConfig = { kernelName: BatchNormReluTrain, backendName: 'wasm', kernelFunc: trainKernel(true) as unknown as KernelFunc };
export const batchNormTrainGradConfig: KernelConfig = { kernelName: BatchNormTrainGrad, backendName: 'wasm', kernelFunc: batchNormTrainGrad as unknown as KernelFunc };

/** The gradient kernel's inputs: dy (zeros when only the statistics are used), x, γ, the batch statistics and their gradients when used, and y and β when a ReLU masks dy. */
function gradInputs([dy, dmean, dvariance]: (Tensor | null)[], [x, gamma, ...rest]: Tensor[], relu: boolean): Record<string, Tensor> {
  const [beta, y, mean, variance] = relu ? rest : [undefined, undefined, ...rest];
  const inputs: Record<string, Tensor> = { dy: dy ?? (engine().runKernel('ZerosLike', { x: x! }) as Tensor), x: x!, gamma: gamma!, mean: mean!, variance: variance! };
  if (dmean) inputs.dmean = dmean;
  if (dvariance) inputs.dvariance = dvariance;
  if (y) inputs.y = y;
  if (beta) inputs.beta = beta;
  return inputs;
}

const epsilonOf = (attrs: NamedAttrMap) => ({ epsilon: attrs.epsilon as number });

/** The gradient of {@link BatchNormTrain} (wasm only, like the kernel); the mean and variance outputs' gradients join dx when used. */
export const batchNormTrainGradient: GradConfig = normGradient(BatchNormTrain, BatchNormTrainGrad, (dys, saved) => gradInputs(dys, saved, false), epsilonOf);

/** The gradient of {@link BatchNormReluTrain}: the same kernel, with the saved output (or, on SIMD, x and β) masking dy. */
export const batchNormReluTrainGradient: GradConfig = normGradient(BatchNormReluTrain, BatchNormTrainGrad, (dys, saved) => gradInputs(dys, saved, true), epsilonOf, [true, true, true], ['x', 'gamma', 'beta']);

/** [y, batch mean, batch variance] of `x` normalised over every axis but the last (wasm only). */
export function batchNormTrainOp(x: Tensor, gamma: Tensor, beta: Tensor, epsilon: number, relu = false): [Tensor, Tensor, Tensor] {
  return engine().runKernel(relu ? BatchNormReluTrain : BatchNormTrain, { x, gamma, beta }, { epsilon }) as unknown as [Tensor, Tensor, Tensor];
}
