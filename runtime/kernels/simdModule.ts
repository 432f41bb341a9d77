/**
 * Our WASM SIMD kernels (runtime/kernels/simd/*.c, compiled by scripts/build.mjs with clang
 * into dist/simd/), instantiated on the wasm backend's own memory so that they work on
 * tensors in place. Two builds: one importing plain memory (tfjs's single-thread build) and
 * one importing shared memory (its threaded build). When clang was missing at build time,
 * or LAYERLAB_SIMD=0, there is no module and callers keep their XNNPACK/JS paths.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { backend_util } from '@tensorflow/tfjs-core';
import type { ConvGeometry } from './convGeometry';

type PoolInfo = backend_util.Conv2DInfo;
import { wasmThreadsInUse } from '../wasmThreads';
import { createSimdPool } from './simdPool';
import type { SimdPool } from './simdPool';
import type { WasmBackend } from './wasmBackend';

/** The slice of the WebAssembly JS API used here: Node has it, the ES lib runtime/ compiles against does not declare it. */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
};
interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}

/** NHWC convolution geometry as conv.c takes it: N, H, W, C, OH, OW, O, KH, KW, SH, SW, DH, DW, PT, PL. */
type ConvArgs = [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];

/** Pointers are byte offsets on the backend heap; sizes and strides are in elements. */
export interface SimdKernels {
  /** See bmm.c (bias: 0 or n floats). */
  bmm_scratch_floats(m: number, k: number, n: number): number;
  bmm(a: number, b: number, bias: number, c: number, scratch: number, batch: number, m: number, k: number, n: number, aBatch: number, aRow: number, aCol: number, bBatch: number, transB: number): void;
  /** See conv.c: dW of an NHWC convolution, in filter-row slices over a padded copy of x. */
  conv_pad_floats(...geometry: ConvArgs): number;
  conv_work_floats(rows: number, O: number): number;
  conv_pad_input(x: number, xp: number, ...geometry: ConvArgs): void;
  conv_filter_grad_rows(xp: number, dy: number, dw: number, work: number, r0: number, r1: number, ...geometry: ConvArgs): void;
  /** See conv.c: dW rows r0..r1 over the outputs each tap meets, x and dy in place (C % 4 = 0, O % 8 = 0). */
  conv_filter_grad_taps(x: number, dy: number, dw: number, r0: number, r1: number, ...geometry: ConvArgs): void;
  /** See conv.c: a forward convolution over output positions q0..q1. */
  pack_filter(w: number, dst: number, K: number, O: number): void;
  conv_forward_rows(xp: number, wpack: number, bias8: number, out: number, q0: number, q1: number, ...geometry: ConvArgs): void;
  /** See conv.c: a strided convolution's input gradient over images n0..n1, gathered from the taps that read each input. */
  conv_input_grad_images(dy: number, wt: number, dx: number, n0: number, n1: number, ...geometry: ConvArgs): void;
  pack_filter_transposed(w: number, dst: number, taps: number, C: number, O: number): void;
  /** See conv.c: an unpadded unit-stride input gradient over images n0..n1, scattered along dx rows. */
  conv_input_grad_scatter(dy: number, wt: number, dx: number, n0: number, n1: number, ...geometry: ConvArgs): void;
  /** See conv.c: the flipped, in/out-swapped filter of a unit-stride input gradient. */
  flip_filter(w: number, dst: number, KH: number, KW: number, C: number, O: number): void;
  /** See conv.c: a forward convolution over images n0..n1, four at a time, valid taps only. */
  conv_forward_images(x: number, wpack: number, bias8: number, out: number, n0: number, n1: number, ...geometry: ConvArgs): void;
  /** See conv.c: a one-channel input into six channels over images n0..n1, lanes along output rows (unit stride along the width). */
  conv_c1o6_pad_floats(...geometry: ConvArgs): number;
  conv_c1o6_pad(x: number, xp: number, ...geometry: ConvArgs): void;
  conv_forward_c1o6(xp: number, w: number, bias: number, out: number, n0: number, n1: number, ...geometry: ConvArgs): void;
  /** See winograd.c: F(4x4, 3x3) for 3x3 unit-stride convolutions, C and O multiples of 4. */
  winograd_filter(w: number, u: number, scratch: number, C: number, O: number, c0: number, c1: number): void;
  /** Scratch of one thread's call for `tiles` tiles a chunk; `points` 36 (6x6 patches), or 49 for F(4x4, 4x4). */
  winograd_scratch_floats(tiles: number, C: number, O: number, points: number): number;
  winograd_forward(x: number, u: number, bias: number, out: number, scratch: number, t0: number, t1: number, chunk: number, H: number, W: number, C: number, OH: number, OW: number, O: number, PT: number, PL: number): void;
  winograd_grad_scratch_floats(tiles: number, C: number, O: number, points: number): number;
  winograd_filter_grad(x: number, dy: number, scratch: number, t0: number, t1: number, chunk: number, H: number, W: number, C: number, OH: number, OW: number, O: number, PT: number, PL: number, CR: number): void;
  winograd_filter_grad_finish(p0: number, parts: number, stride: number, dw: number, scratch: number, C: number, O: number, c0: number, c1: number): void;
  /** See winograd45.c: 5x5 convolutions by F(4x4, 5x5), 64 points, otherwise as F(3x3, 4x4). */
  winograd45_filter_grad(x: number, dy: number, scratch: number, t0: number, t1: number, chunk: number, H: number, W: number, C: number, OH: number, OW: number, O: number, PT: number, PL: number, CR: number): void;
  winograd45_filter_grad_finish(p0: number, parts: number, stride: number, dw: number, scratch: number, C: number, O: number, c0: number, c1: number): void;
  winograd45_filter(w: number, u: number, scratch: number, C: number, O: number, c0: number, c1: number): void;
  winograd45_forward(x: number, u: number, bias: number, out: number, scratch: number, t0: number, t1: number, chunk: number, H: number, W: number, C: number, OH: number, OW: number, O: number, PT: number, PL: number): void;
  copy_columns(src: number, dst: number, rows: number, n: number, m: number): void;
  /** See rows45.c: 5x5 convolutions of one channel into 4-8 by F(4, 5) along rows, images n0..n1: the filter gradient's sums into scratch, and the forward pass. */
  rows45_scratch_floats(OH: number, OW: number): number;
  rows45_filter_grad(x: number, dy: number, scratch: number, n0: number, n1: number, H: number, W: number, OH: number, OW: number, O: number, PT: number, PL: number): void;
  rows45_filter_grad_finish(p0: number, parts: number, stride: number, dw: number, O: number): void;
  rows45_forward(x: number, w: number, bias: number, out: number, scratch: number, n0: number, n1: number, H: number, W: number, OH: number, OW: number, O: number, PT: number, PL: number): void;
  /** See rows45c.c: the forward pass of 5x5 convolutions over 4+ channels into multiples of 8 by F(4, 5) along rows, images n0..n1 `chunk` at a time. */
  rows45c_scratch_floats(chunk: number, C: number, OH: number, OW: number, O: number): number;
  rows45c_filter(w: number, u: number, C: number, O: number): void;
  rows45c_forward(x: number, u: number, bias: number, out: number, scratch: number, n0: number, n1: number, chunk: number, H: number, W: number, C: number, OH: number, OW: number, O: number, PT: number, PL: number): void;
  /** See winograd34.c: F(3x3, 4x4), same scratch sizes as F(4x4, 3x3), and the space-to-depth rearrangements. */
  winograd34_filter(w: number, u: number, scratch: number, C: number, O: number, c0: number, c1: number): void;
  winograd34_forward(x: number, u: number, bias: number, out: number, scratch: number, t0: number, t1: number, chunk: number, H: number, W: number, C: number, OH: number, OW: number, O: number, PT: number, PL: number): void;
  winograd34_filter_grad(x: number, dy: number, scratch: number, t0: number, t1: number, chunk: number, H: number, W: number, C: number, OH: number, OW: number, O: number, PT: number, PL: number, CR: number): void;
  winograd34_filter_grad_finish(p0: number, parts: number, stride: number, dw: number, scratch: number, C: number, O: number, c0: number, c1: number): void;
  /** See winograd22.c: 3x3 filters over 2x2 maps padded by one, 9 points, otherwise as F(4x4, 3x3). */
  winograd22_filter(w: number, u: number, scratch: number, C: number, O: number, c0: number, c1: number): void;
  winograd22_forward(x: number, u: number, bias: number, out: number, scratch: number, t0: number, t1: number, chunk: number, H: number, W: number, C: number, OH: number, OW: number, O: number, PT: number, PL: number): void;
  winograd22_filter_grad(x: number, dy: number, scratch: number, t0: number, t1: number, chunk: number, H: number, W: number, C: number, OH: number, OW: number, O: number, PT: number, PL: number, CR: number): void;
  winograd22_filter_grad_finish(p0: number, parts: number, stride: number, dw: number, scratch: number, C: number, O: number, c0: number, c1: number): void;
  /** See winograd3s2.c: 3x3/2 convolutions by F(4, 2) on the even inputs and the odd ones direct, 81 points, otherwise as F(3x3, 4x4). */
  winograd3s2_filter(w: number, u: number, scratch: number, C: number, O: number, c0: number, c1: number): void;
  winograd3s2_forward(x: number, u: number, bias: number, out: number, scratch: number, t0: number, t1: number, chunk: number, H: number, W: number, C: number, OH: number, OW: number, O: number, PT: number, PL: number): void;
  winograd3s2_filter_grad(x: number, dy: number, scratch: number, t0: number, t1: number, chunk: number, H: number, W: number, C: number, OH: number, OW: number, O: number, PT: number, PL: number, CR: number): void;
  winograd3s2_filter_grad_finish(p0: number, parts: number, stride: number, dw: number, scratch: number, C: number, O: number, c0: number, c1: number): void;
  winograd3s2_input_grad(dy: number, u: number, bias: number, dx: number, scratch: number, t0: number, t1: number, chunk: number, H: number, W: number, C: number, OH: number, OW: number, O: number, PT: number, PL: number): void;
  /** See winograd44.c: F(4x4, 4x4), 49 points, otherwise as F(3x3, 4x4). */
  winograd44_filter(w: number, u: number, scratch: number, C: number, O: number, c0: number, c1: number): void;
  winograd44_forward(x: number, u: number, bias: number, out: number, scratch: number, t0: number, t1: number, chunk: number, H: number, W: number, C: number, OH: number, OW: number, O: number, PT: number, PL: number): void;
  winograd44_filter_grad(x: number, dy: number, scratch: number, t0: number, t1: number, chunk: number, H: number, W: number, C: number, OH: number, OW: number, O: number, PT: number, PL: number, CR: number): void;
  winograd44_filter_grad_finish(p0: number, parts: number, stride: number, dw: number, scratch: number, C: number, O: number, c0: number, c1: number): void;
  /** See winograd83.c: F(8x8, 3x3) forward, 100 points, otherwise as F(3x3, 4x4). */
  winograd83_filter(w: number, u: number, scratch: number, C: number, O: number, c0: number, c1: number): void;
  winograd83_forward(x: number, u: number, bias: number, out: number, scratch: number, t0: number, t1: number, chunk: number, H: number, W: number, C: number, OH: number, OW: number, O: number, PT: number, PL: number): void;
  space_to_depth(x: number, z: number, N: number, H: number, W: number, C: number, Hz: number, Wz: number, PT: number, PL: number): void;
  space_to_depth_filter(w: number, ws: number, KH: number, KW: number, C: number, O: number, toS2d: number): void;
  /** See act.c (n a multiple of 4). */
  sigmoid(x: number, y: number, n: number): void;
  add(x: number, y: number, z: number, n: number): void;
  relu(x: number, y: number, n: number): void;
  add_relu(x: number, y: number, z: number, n: number): void;
  /** See norm.c (C, D multiples of 4; acc is scratch of the size each names). */
  bn_forward_sums(x: number, shift: number, rows: number, C: number, acc: number, t: number): void;
  bn_forward_finish(t: number, parts: number, stride: number, shift: number, gamma: number, beta: number, eps: number, rows: number, C: number, mean: number, variance: number, k: number, b: number): void;
  bn_forward_rows(x: number, k: number, b: number, y: number, rows: number, C: number, relu: number): void;
  bn_coefficients(gamma: number, beta: number, mean: number, variance: number, eps: number, C: number, k: number, b: number): void;
  bn_backward_sums(dy: number, x: number, mean: number, kf: number, rows: number, C: number, acc: number, t: number): void;
  bn_backward_finish(t: number, parts: number, stride: number, gamma: number, mean: number, variance: number, eps: number, dmean: number, dvariance: number, rows: number, C: number, k: number, a: number, b: number, dgamma: number, dbeta: number): void;
  bn_backward_rows(dy: number, x: number, kf: number, k: number, a: number, b: number, dx: number, rows: number, C: number): void;
  ln_forward(x: number, gamma: number, beta: number, eps: number, y: number, mean: number, rstd: number, rows: number, D: number): void;
  ln_backward(dy: number, x: number, gamma: number, mean: number, rstd: number, dx: number, dgamma: number, dbeta: number, rows: number, D: number, acc: number): void;
  dropout(x: number, y: number, n: number, base: number, threshold: number, scale: number): void;
  col_sum(x: number, out: number, scale: number, rows: number, C: number, acc: number): void;
  /** See attention.c (q, k, v, out in [N, tokens, heads, dim]; p [N, heads, T, S]). */
  attention_scratch_floats(T: number, S: number, D: number, DV: number): number;
  attention_forward(q: number, k: number, v: number, o: number, p: number, scratch: number, bh0: number, bh1: number, H: number, T: number, S: number, D: number, DV: number, scale: number, causal: number, drop: number, base: number, threshold: number, keep: number): void;
  attention_backward(dout: number, q: number, k: number, v: number, p: number, dq: number, dk: number, dv: number, scratch: number, bh0: number, bh1: number, H: number, T: number, S: number, D: number, DV: number, scale: number, drop: number, base: number, threshold: number, keep: number): void;
  /** See transpose.c ([A, B, C, D] → [A, C, B, D], D a multiple of 4). */
  swap_middle_axes(x: number, y: number, A: number, B: number, C: number, D: number): void;
  /** See optim.c. */
  sgd_step(w: number, g: number, out: number, n: number, c: number): void;
  optimizer_steps(table: number, count: number, e0: number, e1: number, c: number, m: number, momentum: number): void;
  /** See act.c (n a multiple of 4; kind 0 sigmoid, 1 tanh, 2 relu). */
  act_grad(dy: number, s: number, dx: number, n: number, kind: number): void;
  /** See gelu.c (n a multiple of 4). */
  gelu(x: number, y: number, n: number): void;
  gelu_train(x: number, y: number, d: number, n: number): void;
  /** See pool.c; geometry: N, H, W, C, OH, OW, KH, KW, SH, SW, PT, PL. */
  max_pool(x: number, y: number, ...geometry: PoolArgs): void;
  max_pool_grad(x: number, dy: number, dx: number, ...geometry: PoolArgs): void;
  avg_pool_grad(dy: number, dx: number, scale: number, ...geometry: PoolArgs): void;
  avg_pool_tiled(x: number, y: number, scale: number, N: number, H: number, W: number, C: number, OH: number, OW: number, KH: number, KW: number): void;
}

/** pool.c's geometry arguments: N, H, W, C, OH, OW, KH, KW, SH, SW, PT, PL. */
type PoolArgs = [number, number, number, number, number, number, number, number, number, number, number, number];

/** pool.c's geometry arguments for tfjs's pooling info. */
export function poolArgs(info: PoolInfo): PoolArgs {
  return [info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth, info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left];
}

/** conv.c's geometry arguments for `g`. */
export function convArgs(g: ConvGeometry): ConvArgs {
  return [g.batch, g.inH, g.inW, g.inC, g.outH, g.outW, g.outC, g.kH, g.kW, g.strideH, g.strideW, g.dilationH, g.dilationW, g.padTop, g.padLeft];
}

/** Where the build puts the modules, seen from the source tree and from each bundle. */
const CANDIDATES = ['./simd/', '../simd/', '../../dist/simd/'];

/** The built module `file` (plain or -mt), or undefined when the build made none. */
function modulePath(file: string): string | undefined {
  return CANDIDATES.map((dir) => fileURLToPath(new URL(dir + file, import.meta.url))).find((path) => existsSync(path));
}

let cached: { memory: WasmMemory; kernels: SimdKernels | null; pool: SimdPool } | undefined;

/** The pool without a module: a caller that forgot to check simdKernels() hears of it. */
const absent: SimdPool = {
  size: 1,
  run(fn) {
    throw new Error(`SIMD kernel ${fn} called, but our SIMD module is not loaded (check simdKernels() first)`);
  },
};

/** Largest padded copy of an input our convolution kernels make: 64 Mi floats, 256 MiB (bigger inputs take the chunked paths). */
export const SIMD_PAD_FLOATS = 1 << 26;

/** Runs a single call on this thread: the pool when there are no helpers. */
const serial = (kernels: SimdKernels): SimdPool => ({
  size: 1,
  run(fn, calls) {
    const f = (kernels as unknown as Record<string, (...a: number[]) => void>)[fn]!;
    for (const c of calls) f(...c);
  },
});

function memoryOf(backend: WasmBackend): WasmMemory | undefined {
  const m = backend.wasm as unknown as { wasmMemory?: WasmMemory; asm?: { memory?: WasmMemory } };
  return m.wasmMemory ?? m.asm?.memory;
}

function load(backend: WasmBackend): typeof cached {
  const memory = memoryOf(backend);
  if (!memory) return undefined;
  if (cached !== undefined && cached.memory === memory) return cached;
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const file = shared ? 'layerlab-kernels-mt.wasm' : 'layerlab-kernels.wasm';
  cached = { memory, kernels: null, pool: absent };
  const path = modulePath(file);
  if (path !== undefined) {
    try {
      const module = new WebAssembly.Module(readFileSync(path));
      const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
      const kernels = exports as unknown as SimdKernels;
      const threads = shared ? wasmThreadsInUse() : 1;
      cached = { memory, kernels, pool: threads > 1 ? createSimdPool(module, memory, exports, threads) : serial(kernels) };
    } catch {
      // An unloadable module (a build for another memory, say) leaves the JS/XNNPACK paths.
    }
  }
  return cached;
}

/**
 * LAYERLAB_SIMD=0 turns our module off (read once: a process.env lookup costs ~0.1 µs, and
 * kernels ask on every call); tests set `off` to compare with the paths without it.
 */
export const simdSwitch = { off: process.env.LAYERLAB_SIMD === '0' };

/** Whether our module for the threaded build is built (and not disabled), before any backend starts. */
export function simdModuleBuilt(): boolean {
  if (simdSwitch.off) return false;
  return modulePath('layerlab-kernels-mt.wasm') !== undefined;
}

/** Our kernels on `backend`'s memory, or null when they are not built, disabled or cannot load. */
export function simdKernels(backend: WasmBackend): SimdKernels | null {
  if (simdSwitch.off) return null;
  return load(backend)?.kernels ?? null;
}

/**
 * Runs our kernels' slices on every thread the backend uses (see simdPool.ts); a pool of
 * size 1 on the single-thread build. Only meaningful when {@link simdKernels} is non-null.
 */
export function simdPool(backend: WasmBackend): SimdPool {
  return load(backend)?.pool ?? absent;
}

/**
 * Elements below which {@link runSliced} keeps a job on one thread: a hand-off costs more than
 * it saves on these one-pass kernels (ResNet-18's ReLU gradients over [128, 8, 8, 16], 131k
 * elements, took 0.57 ms a step on one thread and 1.0 split in two). 2^18: two-thread
 * ResNet-18 steps 2-6% faster than at 2^16 in interleaved A/Bs, ViT-tiny's unchanged. With
 * spinning hand-offs, 2^15 measured alike on ResNet-18 and 3% slower on ViT-tiny.
 */
export const sliceTuning = { parallelFrom: 1 << 18 };

/**
 * Runs export `fn` over items [0, n) (of `perItem` elements each: a row, say) in one slice
 * per thread, boundaries on multiples of `align`, or in one call when the job is small;
 * `args(i0, i1)` gives a slice's call.
 */
export function runSliced(backend: WasmBackend, fn: string, n: number, align: number, args: (i0: number, i1: number) => number[], perItem = 1): void {
  const parts = slicesFor(backend, n * perItem);
  simdPool(backend).run(fn, Array.from({ length: parts }, (_, i) => args(...slice(n, parts, i, align))));
}

/** Slices a one-pass job over `elements` elements runs in: one below {@link sliceTuning}'s threshold, else one per thread. */
export function slicesFor(backend: WasmBackend, elements: number): number {
  return elements < sliceTuning.parallelFrom ? 1 : simdPool(backend).size;
}

/**
 * Multiply-adds below which a convolution runs on one thread: handing half of a tiny job to a
 * helper costs about what it saves (data in the other core's cache). With sleeping hand-offs
 * (~50 µs a job) 6M was best; since they spin (simdPool.ts), 1M: ResNet-18 (d2l stem) steps
 * on two threads 4% faster than at 6M and alike at 0 (interleaved A/Bs). Tests set it to 0 to
 * split everything.
 */
export const convTuning = { parallelFromMacs: 1_000_000 };

/** Threads a convolution of geometry g runs on: all of them, or one for a small one (a hand-off costs more than it saves). */
export function convParts(backend: WasmBackend, g: { batch: number; outH: number; outW: number; outC: number; kH: number; kW: number; inC: number }): number {
  return g.batch * g.outH * g.outW * g.outC * g.kH * g.kW * g.inC < convTuning.parallelFromMacs ? 1 : simdPool(backend).size;
}

/** [start, end) of slice `i` of `n` items cut into `parts`, boundaries on multiples of `align`. */
export function slice(n: number, parts: number, i: number, align = 1): [number, number] {
  const per = Math.ceil(n / parts / align) * align;
  return [Math.min(n, i * per), Math.min(n, (i + 1) * per)];
}
