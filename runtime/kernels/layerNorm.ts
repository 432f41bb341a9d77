/**
 * Layer normalisation over the last axis as one kernel with one gradient, on wasm.
 *
 * tfjs-layers' LayerNormalization takes `tf.moments`, tiles the mean, variance, γ and β to
 * the input's full shape (a workaround for tfjs-core's batchNorm gradients, which do not
 * broadcast) and runs FusedBatchNorm on five full-size tensors; its gradient then sums the
 * tiles back. That was ~10% of a ViT-tiny step. Here each row of D features is read while
 * it sits in cache, with sums in float64:
 *   forward   μ, σ² of the row; y = (x - μ)·r·γ + β with r = 1/√(σ² + ε); saves μ and r;
 *   backward  x̂ = (x - μ)·r, g = dy·γ:  dx = r·(g - mean(g) - x̂·mean(g·x̂)),
 *             dγ = Σ_rows dy·x̂, dβ = Σ_rows dy.
 * With our SIMD module built and D a multiple of 4, simd/norm.c runs the same arithmetic.
 * runtime/layers/LayerNormalization.ts uses it for the last axis on wasm.
 */
import { engine, util } from '@tensorflow/tfjs-core';
import type { GradConfig, KernelConfig, KernelFunc, NamedAttrMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import { normGradient } from './normGradient';
import { simdKernels } from './simdModule';
import { alloc, free, heapF32, offsetOf } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

export const LayerNorm = 'LayerlabLayerNorm';
export const LayerNormGrad = 'LayerlabLayerNormGrad';

function layerNorm(args: { inputs: { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo }; backend: WasmBackend; attrs: { epsilon: number } }): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const D = inputs.x.shape.at(-1)!;
  const rows = util.sizeFromShape(inputs.x.shape) / D;
  const yOut = alloc(backend, [...inputs.x.shape]);
  const meanOut = alloc(backend, [rows]);
  const rstdOut = alloc(backend, [rows]);
  const simd = D % 4 === 0 ? simdKernels(backend) : null;
  if (simd) {
    // The same arithmetic four features at a time (simd/norm.c).
    const at = (t: TensorInfo) => offsetOf(backend, t);
    simd.ln_forward(at(inputs.x), at(inputs.gamma), at(inputs.beta), attrs.epsilon, at(yOut), at(meanOut), at(rstdOut), rows, D);
    return [yOut, meanOut, rstdOut];
  }
  const x = heapF32(backend, inputs.x);
  const gamma = heapF32(backend, inputs.gamma);
  const beta = heapF32(backend, inputs.beta);
  const y = heapF32(backend, yOut);
  const means = heapF32(backend, meanOut);
  const rstds = heapF32(backend, rstdOut);
  for (let r = 0, o = 0; r < rows; r++, o += D) {
    let s = 0;
    for (let d = 0; d < D; d++) s += x[o + d]!;
    const mean = s / D;
    let v = 0;
    for (let d = 0; d < D; d++) {
      const c = x[o + d]! - mean;
      v += c * c;
    }
    const rstd = 1 / Math.sqrt(v / D + attrs.epsilon);
    means[r] = mean;
    rstds[r] = rstd;
    for (let d = 0; d < D; d++) y[o + d] = (x[o + d]! - mean) * rstd * gamma[d]! + beta[d]!;
  }
  return [yOut, meanOut, rstdOut];
}

function layerNormGrad(args: { inputs: { dy: TensorInfo; x: TensorInfo; gamma: TensorInfo; mean: TensorInfo; rstd: TensorInfo }; backend: WasmBackend }): TensorInfo[] {
  const { inputs, backend } = args;
  const D = inputs.x.shape.at(-1)!;
  const rows = util.sizeFromShape(inputs.x.shape) / D;
  const dxOut = alloc(backend, [...inputs.x.shape]);
  const dgammaOut = alloc(backend, [D]);
  const dbetaOut = alloc(backend, [D]);
  const simd = D % 4 === 0 ? simdKernels(backend) : null;
  if (simd) {
    const acc = alloc(backend, [6 * D]);
    const at = (t: TensorInfo) => offsetOf(backend, t);
    const i = inputs;
    simd.ln_backward(at(i.dy), at(i.x), at(i.gamma), at(i.mean), at(i.rstd), at(dxOut), at(dgammaOut), at(dbetaOut), rows, D, at(acc));
    free(backend, acc);
    return [dxOut, dgammaOut, dbetaOut];
  }
  const dy = heapF32(backend, inputs.dy);
  const x = heapF32(backend, inputs.x);
  const gamma = heapF32(backend, inputs.gamma);
  const means = heapF32(backend, inputs.mean);
  const rstds = heapF32(backend, inputs.rstd);
  const dx = heapF32(backend, dxOut);
  const dg = new Float64Array(D);
  const db = new Float64Array(D);
  for (let r = 0, o = 0; r < rows; r++, o += D) {
    const mean = means[r]!;
    const rstd = rstds[r]!;
    let sg = 0;
    let sgx = 0;
    for (let d = 0; d < D; d++) {
      const g = dy[o + d]!;
      const xhat = (x[o + d]! - mean) * rstd;
      dg[d] = dg[d]! + g * xhat;
      db[d] = db[d]! + g;
      const gg = g * gamma[d]!;
      sg += gg;
      sgx += gg * xhat;
    }
    const mg = sg / D;
    const mgx = sgx / D;
    for (let d = 0; d < D; d++) dx[o + d] = rstd * (dy[o + d]! * gamma[d]! - mg - (x[o + d]! - mean) * rstd * mgx);
  }
  const dgamma = heapF32(backend, dgammaOut);
  const dbeta = heapF32(backend, dbetaOut);
  for (let d = 0; d < D; d++) {
    dgamma[d] = dg[d]!;
    dbeta[d] = db[d]!;
  }
  return [dxOut, dgammaOut, dbetaOut];
}

export const layerNormConfig: KernelConfig = { kernelName: LayerNorm, backendName: 'wasm', kernelFunc: layerNorm as unknown as KernelFunc };
export const layerNormGradConfig: KernelConfig = { kernelName: LayerNormGrad, backendName: 'wasm', kernelFunc: layerNormGrad as unknown as KernelFunc };

/** The gradient of {@link LayerNorm}: the saved row statistics are not differentiated (nothing uses them). */
export const layerNormGradient: GradConfig = normGradient(LayerNorm, LayerNormGrad, ([dy], [x, gamma, mean, rstd]) => ({ dy: dy!, x: x!, gamma: gamma!, mean: mean!, rstd: rstd! }));

/** `x` normalised over its last axis, scaled by γ and shifted by β (wasm only). */
export function layerNormOp(x: Tensor, gamma: Tensor, beta: Tensor, epsilon: number): Tensor {
  const [y, mean, rstd] = engine().runKernel(LayerNorm, { x, gamma, beta }, { epsilon } as unknown as NamedAttrMap) as unknown as Tensor[];
  mean!.dispose();
  rstd!.dispose();
  return y!;
}
