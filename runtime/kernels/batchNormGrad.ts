/**
 * Batch-norm training gradients on wasm in one pass each. tfjs-core's FusedBatchNorm
 * gradient builds each derivative from several full-size ops (and computes x - mean and
 * dy · scale eagerly even when unused): with the moments' own gradients that is ~40 ms of a
 * ~210 ms ResNet-18 step. Here each derivative is one JS loop over dy (and x), channels
 * innermost, sums in float64:
 *   dx = dy · scale · r,  dmean = -r · scale · Σdy,  dvar = -½ r³ · scale · Σ(x - mean)·dy,
 *   dscale = r · Σ(x - mean)·dy,  doffset = Σdy,  with r = 1/√(var + ε).
 * Only per-channel statistics (mean of rank 1 over the last axis, as tfjs-layers'
 * BatchNormalization passes them) on the wasm backend take this path; anything else uses
 * tfjs-core's gradient unchanged.
 */
import { engine, util } from '@tensorflow/tfjs-core';
import { wasmGradient } from './gradients';
import type { GradConfig, KernelConfig, KernelFunc, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import { alloc, heapF32 } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

/** Name of our kernel computing one batch-norm derivative. */
export const BatchNormGradPart = 'LayerlabBatchNormGradPart';

type Part = 'x' | 'mean' | 'variance' | 'scale' | 'offset';

function batchNormGradPart(args: {
  inputs: { dy: TensorInfo; x: TensorInfo; mean: TensorInfo; variance: TensorInfo; scale?: TensorInfo };
  backend: WasmBackend;
  attrs: { varianceEpsilon: number; part: Part };
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const C = inputs.mean.shape[0]!;
  const total = util.sizeFromShape(inputs.x.shape);
  const out = alloc(backend, attrs.part === 'x' ? [...inputs.x.shape] : [C]);
  const dy = heapF32(backend, inputs.dy);
  const mean = heapF32(backend, inputs.mean);
  const variance = heapF32(backend, inputs.variance);
  const scale = inputs.scale ? heapF32(backend, inputs.scale) : undefined;
  const r = new Float64Array(C);
  const s = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    r[c] = 1 / Math.sqrt(variance[c]! + attrs.varianceEpsilon);
    s[c] = scale ? scale[c]! : 1;
  }
  const o = heapF32(backend, out);
  if (attrs.part === 'x') {
    const k = new Float32Array(C);
    for (let c = 0; c < C; c++) k[c] = s[c]! * r[c]!;
    for (let i = 0; i < total; i += C) for (let c = 0; c < C; c++) o[i + c] = dy[i + c]! * k[c]!;
    return out;
  }
  const acc = new Float64Array(C);
  if (attrs.part === 'mean' || attrs.part === 'offset') {
    for (let i = 0; i < total; i += C) for (let c = 0; c < C; c++) acc[c] = acc[c]! + dy[i + c]!;
    for (let c = 0; c < C; c++) o[c] = attrs.part === 'offset' ? acc[c]! : -r[c]! * s[c]! * acc[c]!;
    return out;
  }
  const x = heapF32(backend, inputs.x);
  for (let i = 0; i < total; i += C) for (let c = 0; c < C; c++) acc[c] = acc[c]! + (x[i + c]! - mean[c]!) * dy[i + c]!;
  for (let c = 0; c < C; c++) {
    const rc = r[c]!;
    o[c] = attrs.part === 'scale' ? rc * acc[c]! : -0.5 * rc * rc * rc * s[c]! * acc[c]!;
  }
  return out;
}

/** The kernel behind {@link batchNormGradConfig}, wasm only. */
export const batchNormGradPartConfig: KernelConfig = {
  kernelName: BatchNormGradPart,
  backendName: 'wasm',
  kernelFunc: batchNormGradPart as unknown as KernelFunc,
};

/** FusedBatchNorm's gradient: ours on wasm for per-channel statistics, tfjs-core's otherwise. */
export const batchNormGradConfig: GradConfig = wasmGradient(
  { kernelName: 'FusedBatchNorm', inputsToSave: ['x', 'mean', 'variance', 'scale'] },
  (g, saved, attrs) => {
    const [x, mean, variance, scale] = saved as [Tensor, Tensor, Tensor, Tensor | undefined];
    const C = x.shape[x.shape.length - 1];
    const perChannel = mean.rank === 1 && variance.rank === 1 && mean.shape[0] === C && variance.shape[0] === C && (scale == null || (scale.rank === 1 && scale.shape[0] === C));
    if (!perChannel || x.dtype !== 'float32') return undefined;
    const part = (p: Part) => (): Tensor => {
      const inputs: Record<string, Tensor> = { dy: g, x, mean, variance };
      if (scale != null) inputs.scale = scale;
      return engine().runKernel(BatchNormGradPart, inputs, { varianceEpsilon: attrs.varianceEpsilon as number, part: p }) as Tensor;
    };
    return { x: part('x'), mean: part('mean'), variance: part('variance'), scale: part('scale'), offset: part('offset') };
  },
);
