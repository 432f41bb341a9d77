/**
 * Multi-head attention's core as one kernel with one gradient on wasm (simd/attention.c):
 * softmax(Q·Kᵀ·scale (+ causal mask)) → dropout → ·V, one (example, head) tile at a time,
 * with Q, K, V and the output in their [batch, tokens, heads, dim] layout. Unfused, a
 * ViT-tiny step ran 24 transposes to split and merge the heads, and each of the [128, 4,
 * 65, 65] maps (scores, weights, dropped weights and their gradients) went through memory
 * between a dozen kernels. The dropout mask is LayerlabDropout's, bit for bit, on the
 * [batch, heads, T, S] map with the same seed, so fused and unfused layers train alike.
 * runtime/layers/MultiHeadAttention.ts uses it on wasm when our SIMD module is built.
 */
import { engine } from '@tensorflow/tfjs-core';
import type { GradConfig, KernelConfig, KernelFunc, NamedAttrMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import { dropoutThreshold, fmix32 } from './dropout';
import { simdKernels, simdPool, slice } from './simdModule';
import { alloc, free, offsetOf } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

export const Attention = 'LayerlabAttention';
export const AttentionGrad = 'LayerlabAttentionGrad';

interface Attrs {
  scale: number;
  causal: boolean;
  /** Dropout rate of the weights (0: none). */
  rate: number;
  seed: number;
}

/** [N, T, H, D, S, DV] of q [N, T, H, D], k [N, S, H, D], v [N, S, H, DV]. */
function dims(q: TensorInfo, v: TensorInfo): [number, number, number, number, number, number] {
  const [N, T, H, D] = q.shape as [number, number, number, number];
  return [N, T, H, D, v.shape[1]!, v.shape[3]!];
}

/** The dropout arguments simd/attention.c takes: drop, base, threshold, keep scale. */
function dropoutArgs(attrs: Attrs): [number, number, number, number] {
  if (!(attrs.rate > 0)) return [0, 0, 0, 1];
  const { threshold, scale } = dropoutThreshold(attrs.rate);
  return [1, fmix32(attrs.seed >>> 0), threshold, scale];
}

/** Runs `fn` over the N·H tiles split across the threads, each with its own scratch. */
function onTiles(backend: WasmBackend, fn: 'attention_forward' | 'attention_backward', tiles: number, T: number, S: number, D: number, DV: number, args: (scratch: number, bh0: number, bh1: number) => number[]): void {
  const simd = simdKernels(backend)!;
  const pool = simdPool(backend);
  const parts = tiles < 2 ? 1 : pool.size;
  const per = simd.attention_scratch_floats(T, S, D, DV);
  const scratch = alloc(backend, [per * parts]);
  const base = offsetOf(backend, scratch);
  pool.run(fn, Array.from({ length: parts }, (_, i) => args(base + i * per * 4, ...slice(tiles, parts, i))));
  free(backend, scratch);
}

function attention(args: { inputs: { q: TensorInfo; k: TensorInfo; v: TensorInfo }; backend: WasmBackend; attrs: Attrs }): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const [N, T, H, D, S, DV] = dims(inputs.q, inputs.v);
  const o = alloc(backend, [N, T, H, DV]);
  const p = alloc(backend, [N, H, T, S]);
  const at = (t: TensorInfo) => offsetOf(backend, t);
  onTiles(backend, 'attention_forward', N * H, T, S, D, DV, (scratch, bh0, bh1) => [
    at(inputs.q), at(inputs.k), at(inputs.v), at(o), at(p), scratch, bh0, bh1, H, T, S, D, DV, attrs.scale, attrs.causal ? 1 : 0, ...dropoutArgs(attrs),
  ]);
  return [o, p];
}

function attentionGrad(args: { inputs: { dy: TensorInfo; q: TensorInfo; k: TensorInfo; v: TensorInfo; p: TensorInfo }; backend: WasmBackend; attrs: Attrs }): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const [N, T, H, D, S, DV] = dims(inputs.q, inputs.v);
  const dq = alloc(backend, [...inputs.q.shape]);
  const dk = alloc(backend, [...inputs.k.shape]);
  const dv = alloc(backend, [...inputs.v.shape]);
  const at = (t: TensorInfo) => offsetOf(backend, t);
  const i = inputs;
  onTiles(backend, 'attention_backward', N * H, T, S, D, DV, (scratch, bh0, bh1) => [
    at(i.dy), at(i.q), at(i.k), at(i.v), at(i.p), at(dq), at(dk), at(dv), scratch, bh0, bh1, H, T, S, D, DV, attrs.scale, ...dropoutArgs(attrs),
  ]);
  return [dq, dk, dv];
}

export const attentionConfig: KernelConfig = { kernelName: Attention, backendName: 'wasm', kernelFunc: attention as unknown as KernelFunc };
export const attentionGradConfig: KernelConfig = { kernelName: AttentionGrad, backendName: 'wasm', kernelFunc: attentionGrad as unknown as KernelFunc };

/** The gradient kernel runs once in gradFunc (not per input closure, which the tape tidies apart). */
export const attentionGradient: GradConfig = {
  kernelName: Attention,
  inputsToSave: ['q', 'k', 'v'],
  outputsToSave: [false, true],
  gradFunc: (dys: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [q, k, v, p] = saved as [Tensor, Tensor, Tensor, Tensor];
    const dy = (dys as (Tensor | null)[])[0]!;
    const [dq, dk, dv] = engine().runKernel(AttentionGrad, { dy, q, k, v, p }, attrs) as unknown as Tensor[];
    return { q: () => dq!, k: () => dk!, v: () => dv! };
  },
};

/** Whether {@link attentionOp} can run: wasm with our SIMD module. */
export function attentionAvailable(): boolean {
  const backend = engine().backend as unknown as WasmBackend;
  return engine().backendName === 'wasm' && simdKernels(backend) !== null;
}

/**
 * softmax(q·kᵀ·scale (+ causal mask)) with dropout at `rate` (seeded; 0 for none), times v:
 * q [N, T, H, D], k [N, S, H, D], v [N, S, H, DV] → [N, T, H, DV] (wasm with our SIMD module).
 */
export function attentionOp(q: Tensor, k: Tensor, v: Tensor, attrs: Attrs): Tensor {
  const [o, p] = engine().runKernel(Attention, { q, k, v }, attrs as unknown as NamedAttrMap) as unknown as [Tensor, Tensor];
  p.dispose();
  return o;
}
