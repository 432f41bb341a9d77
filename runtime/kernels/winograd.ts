/**
 * Convolutions by Winograd's minimal filtering, forward (conv2DCropped.ts; the unit-stride
 * input gradient is one too) and filter gradient (conv2DBackpropFilter.ts):
 * - 3x3, unit stride: F(4x4, 3x3) (simd/winograd.c), 36 multiplications per 4x4 outputs and
 *   channel pair instead of 144; forward passes over 32+ channels and 8x8+ maps F(8x8, 3x3)
 *   (simd/winograd83.c), 100 per 8x8 outputs; over a 2x2 map padded by one, 9 instead of the
 *   16 that meet the map (simd/winograd22.c);
 * - 7x7/2 and 8x8/2 (a ResNet stem): space-to-depth makes them 4x4/1 over 4x the channels,
 *   then F(4x4, 4x4) (simd/winograd44.c) or F(3x3, 4x4) (simd/winograd34.c), whichever does
 *   fewer products over the output;
 * - 3x3/2 (ResNet's downsampling layers): F(4, 2) on the even inputs, the odd ones direct
 *   (simd/winograd3s2.c), 81 per 4x4 outputs instead of 144; its input gradient
 *   (conv2DBackpropInput.ts) by the transposed form, 8x8 of dx a tile;
 * - 5x5, unit stride, filter gradient only: F(4x4, 5x5) (simd/winograd45.c), 64 per 4x4
 *   outputs instead of 400, 4+ channels read as they are (LeNet's 6), fewer padded to 4.
 * Tiles split across the threads, each with its own scratch; channels run four at a time.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { unitStride, type ConvGeometry } from './convGeometry';
import { convParts, runSliced, simdPool, slice, type SimdKernels } from './simdModule';
import { alloc, free, offsetOf } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

/** Tests turn it (or its stride-2 kernels) off to compare with the direct kernels, and count its uses (in all, and by kernel) to see it ran. */
export const tuning = { enabled: true, stride2: true, f8: true, uses: 0, byKernel: {} as Record<string, number> };

/**
 * Tiles a thread transforms at a time: the forward pass keeps a chunk's transformed inputs and
 * products in cache (8-32 tiles measured alike); the filter gradient reloads its sums P
 * ([36][C][O8]) for each chunk, so it takes chunks as large as 2^17 floats of V and E allow
 * (2^15 made 128-channel gradients 1.4x slower). Batch 128, 16-128 channels.
 */
const FORWARD_CHUNK = 16;

/**
 * F(8x8, 3x3)'s forward chunk: 100 points of V and M per tile overflow L1 sooner, so 4 tiles
 * where a point's transformed filter U[f] is small (16x16x32: 3.4 ms against 3.7 at 8 and 3.9
 * at 16), 16 where it is 16 KiB or more and each load of it should serve more tiles (8x8x64:
 * 3.1-3.3 against 3.3-3.8 at 4).
 */
const forwardChunk = (points: number, C: number, O8: number) => (points === 100 && C * O8 < 4096 ? 4 : FORWARD_CHUNK);
const GRADIENT_CHUNK_FLOATS = 1 << 17;

const ceil4 = (n: number) => (n + 3) & ~3;

/** Padding n channels to a multiple of 4 wastes at most a quarter of the products (6 → 8, 3 → 4; not 1 → 4). */
const pads = (n: number) => ceil4(n) * 3 <= n * 4;

/**
 * Where the forward F(4x4, 3x3) applies and measured faster than our direct kernels
 * (ResNet-18 shapes at batch 128: 1.7-3.3x): 3x3, unit stride, no dilation, channels in whole
 * lanes (the CIFAR stem's 3 padded to 4 gained nothing), outputs of at least 4x4 (over a 2x2
 * map a tile's 36 products make 4 outputs, which the direct kernel gets from the 4 taps each
 * meets).
 */
export function winogradFits(g: ConvGeometry): boolean {
  if (!(tuning.enabled && g.kH === 3 && g.kW === 3 && unitStride(g) && g.inC % 4 === 0 && g.outC % 4 === 0)) return false;
  return (g.outH >= 4 && g.outW >= 4) || twoByTwo(g);
}

/** Where the forward F(4x4, 5x5) applies: 5x5, unit stride, 4+ input channels (read as they are), output channels in whole lanes, outputs of at least 4x4. */
export function fiveFits(g: ConvGeometry): boolean {
  return tuning.enabled && g.kH === 5 && g.kW === 5 && unitStride(g) && g.inC >= 4 && g.outC % 4 === 0 && g.outH >= 4 && g.outW >= 4;
}

/**
 * A 3x3 convolution padded by one over a 2x2 map (a ResNet-18's third stage on 32x32 images):
 * simd/winograd22.c's 9 products an image where the direct kernel, which skips the taps that
 * meet padding, does 16.
 */
function twoByTwo(g: ConvGeometry): boolean {
  return g.inH === 2 && g.inW === 2 && g.outH === 2 && g.outW === 2 && g.padTop === 1 && g.padLeft === 1;
}

/**
 * Where a 3x3/2 convolution (ResNet's downsampling layers) runs as simd/winograd3s2.c: F(4, 2)
 * on the even inputs and the odd ones direct, 81 products per 4x4 outputs and channel pair
 * instead of 144; channels in whole lanes, and only where its 4x4 tiles do fewer products than
 * a direct kernel over the output (so not over 2x2 or 1x1 outputs).
 */
export function stride2Fits(g: ConvGeometry): boolean {
  return (
    tuning.enabled &&
    tuning.stride2 &&
    g.kH === 3 &&
    g.kW === 3 &&
    g.strideH === 2 &&
    g.strideW === 2 &&
    g.dilationH === 1 &&
    g.dilationW === 1 &&
    g.inC % 4 === 0 &&
    g.outC % 4 === 0 &&
    Math.ceil(g.outH / 4) * Math.ceil(g.outW / 4) * 81 < g.outH * g.outW * 9
  );
}

/** Where the filter gradient by Winograd applies: as {@link winogradFits} or {@link stride2Fits}, or 5x5 with channels padded (LeNet's second layer: 2.4 → 2.0 ms a step). */
export function winogradGradientFits(g: ConvGeometry): boolean {
  if (winogradFits(g) || stride2Fits(g)) return true;
  return tuning.enabled && g.kH === 5 && g.kW === 5 && unitStride(g) && pads(g.inC) && pads(g.outC) && g.outH >= 4 && g.outW >= 4;
}

/**
 * Where a stride-2 convolution runs as Winograd (F(4x4, 4x4) or F(3x3, 4x4)) over its input in space-to-depth form: a
 * 7x7/2 or 8x8/2 filter (a ResNet stem) is a 4x4/1 one over 2x2 blocks of the input, 4x the
 * channels (3 → 12, so any channel count fits the lanes).
 */
export function stridedFits(g: ConvGeometry): boolean {
  return (
    tuning.enabled &&
    g.strideH === 2 &&
    g.strideW === 2 &&
    g.dilationH === 1 &&
    g.dilationW === 1 &&
    (g.kH === 7 || g.kH === 8) &&
    (g.kW === 7 || g.kW === 8) &&
    g.outC % 4 === 0 &&
    g.outH >= 3 &&
    g.outW >= 3
  );
}

/**
 * The algorithm for g's filter size: its kernels' prefix, its tiles' side m (outputs) and its
 * frequency components (patch side squared). A 4x4 filter takes whichever of F(3x3, 4x4) and
 * F(4x4, 4x4) does fewer products over g's output: tiles × components (the d2l stem's 16x16
 * output: 36 × 36 against 16 × 49).
 */
type Algorithm = {
  kernel: 'winograd' | 'winograd83' | 'winograd22' | 'winograd3s2' | 'winograd34' | 'winograd44' | 'winograd45';
  m: number;
  points: number;
  /** The forward entry point, when not `${kernel}_forward` (and what tuning.byKernel counts it as). */
  entry?: string;
  /** Its input transform reads 4 or more channels as they are, the last four overlapping the ones before (winograd_gen.h's); others take x padded to whole lanes. */
  ragged?: true;
};

/** Products over g's output in m x m tiles of `points` components each. */
const tileProducts = (g: ConvGeometry, m: number, points: number) => Math.ceil(g.outH / m) * Math.ceil(g.outW / m) * points;

function algorithm(g: ConvGeometry, gradient = false): Algorithm {
  if (g.kH === 3 && g.strideH === 2) return { kernel: 'winograd3s2', m: 4, points: 81 };
  if (g.kH === 3 && twoByTwo(g)) return { kernel: 'winograd22', m: 2, points: 9 };
  if (g.kH === 3) return !gradient && eightByEight(g) ? { kernel: 'winograd83', m: 8, points: 100 } : { kernel: 'winograd', m: 4, points: 36 };
  if (g.kH === 5) return { kernel: 'winograd45', m: 4, points: 64, ragged: true };
  return tileProducts(g, 4, 49) < tileProducts(g, 3, 36) ? { kernel: 'winograd44', m: 4, points: 49 } : { kernel: 'winograd34', m: 3, points: 36 };
}

/**
 * Where a 3x3 forward pass (or input gradient) takes F(8x8, 3x3) (simd/winograd83.c) rather
 * than F(4x4, 3x3): where its 8x8 tiles need fewer products over the output (8x8 maps and
 * larger; not 4x4, where one tile of 100 replaces one of 36) and both channel counts are at
 * least 32, so that the products outweigh its transforms, which cost ~1.8x as much an output.
 * Batch 128, caches flushed, F(4x4, 3x3) → F(8x8, 3x3): 16x16x32 4.4 → 3.4 ms forward,
 * 8x8x64 3.5 → 3.2, 16x16x64 13.8 → 11.4; 32x32x16 5.5 → 5.4 and 8x8x16 alike, so they keep
 * F(4x4, 3x3). The filter gradient keeps it everywhere: its sums P ([100][C][O8]) outgrow the
 * caches, and it measured 3-15% slower.
 */
function eightByEight(g: ConvGeometry): boolean {
  return tuning.f8 && g.inC >= 32 && g.outC >= 32 && tileProducts(g, 8, 100) < tileProducts(g, 4, 36);
}

/**
 * The kernels for g's filter size, its tiles (m x m outputs each), a chunk's tiles, and how many
 * threads split them (by the multiply-adds of `work`, the convolution computed).
 */
function tiling(backend: WasmBackend, g: ConvGeometry, gradient: boolean, algo = algorithm(g, gradient), work = g) {
  const { kernel, m, points } = algo;
  const counted = algo.entry ?? kernel;
  tuning.byKernel[counted] = (tuning.byKernel[counted] ?? 0) + 1;
  const O8 = (g.outC + 7) & ~7;
  const tiles = g.batch * Math.ceil(g.outH / m) * Math.ceil(g.outW / m);
  // A filter gradient's chunk is at most half its tiles, so that two threads can split them
  // (128 images of 2x2 maps are 128 tiles, where its chunk by size would be 112).
  const chunk = gradient ? Math.max(4, Math.min(Math.floor(GRADIENT_CHUNK_FLOATS / (points * (g.inC + O8)) / 4), Math.ceil(tiles / 8)) * 4) : forwardChunk(points, g.inC, O8);
  const parts = tiles < 2 * chunk ? 1 : convParts(backend, work);
  const geometry = [g.inH, g.inW, g.inC, g.outH, g.outW, g.outC, g.padTop, g.padLeft];
  return { kernel, entry: algo.entry ?? `${kernel}_forward`, points, O8, chunk, parts, geometry, split: (i: number) => slice(tiles, parts, i, 1) };
}

/** Temporaries of one call, freed together. */
class Scope {
  private readonly owned: TensorInfo[] = [];
  constructor(readonly backend: WasmBackend) {}
  alloc(shape: number[]): TensorInfo {
    const t = alloc(this.backend, shape);
    this.owned.push(t);
    return t;
  }
  free(): void {
    for (const t of this.owned) free(this.backend, t);
  }
}

/** t ([rows, n] as laid out) with its rows resized to m floats (zero-padded or cropped); t itself when n = m. */
function columns(scope: Scope, t: TensorInfo, rows: number, n: number, m: number): TensorInfo {
  if (n === m) return t;
  const out = scope.alloc([rows * m]);
  const [src, dst] = [offsetOf(scope.backend, t), offsetOf(scope.backend, out)];
  runSliced(scope.backend, 'copy_columns', rows, 1, (r0, r1) => [src + 4 * r0 * n, dst + 4 * r0 * m, r1 - r0, n, m], Math.max(n, m));
  return out;
}

/** x convolved with the 3x3 (or space-to-depth 4x4) filter (+ bias) over geometry g (see {@link winogradFits}, {@link stride2Fits}). */
export function winogradConv(backend: WasmBackend, simd: SimdKernels, x: TensorInfo, filter: TensorInfo, bias: TensorInfo | undefined, g: ConvGeometry): TensorInfo {
  return forward(backend, simd, x, filter, bias, g, algorithm(g), g);
}

/** x through algo's forward entry point over geometry g: filter transform, then tiles across the threads. */
function forward(backend: WasmBackend, simd: SimdKernels, x: TensorInfo, filter: TensorInfo, bias: TensorInfo | undefined, g: ConvGeometry, algo: Algorithm, work: ConvGeometry): TensorInfo {
  tuning.uses++;
  const at = (t: TensorInfo) => offsetOf(backend, t);
  const { kernel, entry, points, O8, chunk, parts, geometry, split } = tiling(backend, g, false, algo, work);
  const scope = new Scope(backend);
  const perThread = simd.winograd_scratch_floats(chunk, g.inC, g.outC, points);
  const out = alloc(backend, [g.batch, g.outH, g.outW, g.outC]);
  const u = scope.alloc([points * (g.inC * O8 + 16)]); // `points` matrices u_stride() apart (simd/winograd.h)
  const scratch = scope.alloc([parts * perThread]);
  // The filter transform too splits across the threads, by input channels, in their scratch.
  simdPool(backend).run(`${kernel}_filter`, Array.from({ length: parts }, (_, i) => [at(filter), at(u), at(scratch) + i * perThread * 4, g.inC, g.outC, ...slice(g.inC, parts, i)]));
  simdPool(backend).run(entry, Array.from({ length: parts }, (_, i) => [at(x), at(u), bias ? at(bias) : 0, at(out), at(scratch) + i * perThread * 4, ...split(i), chunk, ...geometry]));
  scope.free();
  return out;
}

/**
 * Where dx of a 3x3/2 convolution runs as simd/winograd3s2.c's input gradient: as
 * {@link stride2Fits}, no padding before the map (TF's 'same' over even maps, 'valid'), and
 * 8x8 tiles of dx (81 products each) fewer than a direct gather's 2.25 taps an element.
 */
export function stride2InputGradFits(g: ConvGeometry): boolean {
  return stride2Fits(g) && g.padTop === 0 && g.padLeft === 0 && Math.ceil(g.inH / 8) * Math.ceil(g.inW / 8) * 81 < (g.inH * g.inW * 9) / 4;
}

/**
 * dx [batch, inH, inW, inC] of a 3x3/2 convolution over geometry g from dy (see
 * {@link stride2InputGradFits}): the transposed convolution, dy in and dx out in 8x8 tiles,
 * with the flipped, in/out-swapped filter.
 */
export function winogradStride2InputGrad(backend: WasmBackend, simd: SimdKernels, dy: TensorInfo, filter: TensorInfo, g: ConvGeometry): TensorInfo {
  const flipped = alloc(backend, [3, 3, g.outC, g.inC]);
  simd.flip_filter(offsetOf(backend, filter), offsetOf(backend, flipped), 3, 3, g.inC, g.outC);
  const transposed = { ...g, inH: g.outH, inW: g.outW, inC: g.outC, outH: g.inH, outW: g.inW, outC: g.inC, padTop: 0, padLeft: 0 };
  const out = forward(backend, simd, dy, flipped, undefined, transposed, { kernel: 'winograd3s2', entry: 'winograd3s2_input_grad', m: 8, points: 81 }, g);
  free(backend, flipped);
  return out;
}

/** A stride-2 convolution's input and geometry in space-to-depth form (see {@link stridedFits}): a 4x4/1 convolution over 4x the channels, no padding. */
function spaceToDepth(scope: Scope, simd: SimdKernels, x: TensorInfo, g: ConvGeometry): { z: TensorInfo; gz: ConvGeometry } {
  const Hz = g.outH + 3;
  const Wz = g.outW + 3;
  const z = scope.alloc([g.batch * Hz * Wz * 4 * g.inC]);
  // Images split across the threads.
  runSliced(scope.backend, 'space_to_depth', g.batch, 1, (n0, n1) => [
    offsetOf(scope.backend, x) + 4 * n0 * g.inH * g.inW * g.inC,
    offsetOf(scope.backend, z) + 4 * n0 * Hz * Wz * 4 * g.inC,
    n1 - n0, g.inH, g.inW, g.inC, Hz, Wz, g.padTop, g.padLeft,
  ], Hz * Wz * 4 * g.inC);
  const gz = { ...g, inH: Hz, inW: Wz, inC: 4 * g.inC, kH: 4, kW: 4, strideH: 1, strideW: 1, padTop: 0, padLeft: 0 };
  return { z, gz };
}

/** x convolved with a 7x7/2 or 8x8/2 filter (+ bias) over geometry g, by Winograd in space-to-depth form. */
export function winogradStridedConv(backend: WasmBackend, simd: SimdKernels, x: TensorInfo, filter: TensorInfo, bias: TensorInfo | undefined, g: ConvGeometry): TensorInfo {
  const scope = new Scope(backend);
  const { z, gz } = spaceToDepth(scope, simd, x, g);
  const ws = scope.alloc([16 * gz.inC * g.outC]);
  simd.space_to_depth_filter(offsetOf(backend, filter), offsetOf(backend, ws), g.kH, g.kW, g.inC, g.outC, 1);
  const out = winogradConv(backend, simd, z, ws, bias, gz);
  scope.free();
  return out;
}

/** dW of a 7x7/2 or 8x8/2 convolution of x over geometry g, by Winograd in space-to-depth form. */
export function winogradStridedFilterGrad(backend: WasmBackend, simd: SimdKernels, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const scope = new Scope(backend);
  const { z, gz } = spaceToDepth(scope, simd, x, g);
  const ws = winogradFilterGrad(backend, simd, z, dy, gz);
  const out = alloc(backend, [g.kH, g.kW, g.inC, g.outC]);
  simd.space_to_depth_filter(offsetOf(backend, out), offsetOf(backend, ws), g.kH, g.kW, g.inC, g.outC, 0);
  free(backend, ws);
  scope.free();
  return out;
}

/** dW [k, k, inC, outC] of the convolution of x over geometry g, from its output gradient dy (see {@link winogradGradientFits}). */
export function winogradFilterGrad(backend: WasmBackend, simd: SimdKernels, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  tuning.uses++;
  const scope = new Scope(backend);
  const at = (t: TensorInfo) => offsetOf(backend, t);
  const { kH: k, inC: C, outC: O } = g;
  // x padded to whole lanes unless the input transform reads it as it is (LeNet's 6 channels:
  // copying x to 8 took 0.17 ms a step).
  const algo = algorithm(g, true);
  const C4 = algo.ragged && C >= 4 ? C : ceil4(C);
  const O4 = ceil4(O);
  const x4 = columns(scope, x, g.batch * g.inH * g.inW, C, C4);
  const dy4 = columns(scope, dy, g.batch * g.outH * g.outW, O, O4);
  const { kernel, points, chunk, parts, geometry, split } = tiling(backend, { ...g, inC: C4, outC: O4 }, true, algo);
  if (kernel === 'winograd83') throw new Error('F(8x8, 3x3) has no filter gradient');
  const perThread = simd.winograd_grad_scratch_floats(chunk, C4, O4, points);
  const sums = simd.winograd_scratch_floats(chunk, C4, O4, points); // where a thread's P starts in its scratch
  const out = alloc(backend, [k, k, C, O]);
  const dw4 = C4 === C && O4 === O ? out : scope.alloc([k * k * C4 * O4]);
  const scratch = scope.alloc([parts * (perThread + 40 * 4)]); // and 40 vectors a thread for the finish (F(4x4, 5x5): 5 x 8)
  // C: the channels that are real (x4's padding to C4 multiplies nothing).
  simdPool(backend).run(`${kernel}_filter_grad`, Array.from({ length: parts }, (_, i) => [at(x4), at(dy4), at(scratch) + i * perThread * 4, ...split(i), chunk, ...geometry, C]));
  // The finish (the threads' sums added, transformed back) splits by input channels.
  const finishScratch = (i: number) => at(scratch) + 4 * (parts * perThread + i * 40 * 4);
  simdPool(backend).run(`${kernel}_filter_grad_finish`, Array.from({ length: parts }, (_, i) => [at(scratch) + sums * 4, parts, perThread, at(dw4), finishScratch(i), C4, O4, ...slice(C4, parts, i)]));
  if (dw4 !== out) {
    // [k, k, C4, O4] → [k, k, C4, O] → [k, k, C, O]
    const narrow = columns(scope, dw4, k * k * C4, O4, O);
    simd.copy_columns(at(narrow), at(out), k * k, C4 * O, C * O);
  }
  scope.free();
  return out;
}
