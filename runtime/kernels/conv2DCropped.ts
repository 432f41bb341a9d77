/**
 * Conv2D and FusedConv2D for the wasm backend: the stock XNNPACK kernels, but with the filter
 * cropped to the taps that meet the input when some only ever meet padding (see
 * {@link cropTaps}). At the end of a ResNet-18 on 32x32 images the 3x3 'same' convolutions
 * run over 1x1 maps, where 8 of 9 taps multiply padding: the stock kernel does all 9.
 * Padding always goes to the stock kernel as explicit pads (see {@link explicitPad}).
 */
import { Conv2D, FusedConv2D } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { convGeometry, copyCroppedFilter, cropTaps, explicitPad, type ConvAttrs, type ConvGeometry } from './convGeometry';
import { convArgs, convParts, SIMD_PAD_FLOATS, simdKernels, simdPool, slice, type SimdKernels } from './simdModule';
import { rows45ChannelsConv, rows45ChannelsFits, rows45Conv, rows45Fits } from './rows45';
import { fiveFits, stride2Fits, stridedFits, winogradConv, winogradFits, winogradStridedConv } from './winograd';
import { alloc, free, heapF32, offsetOf, stockKernel } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

/** Tests turn cropping, our SIMD kernel and its four-image blocks off to compare the paths. */
export const tuning = { cropTaps: true, simd: true, byImages: true, oneChannel: true };

/**
 * `x` convolved with `filter` (+ bias) over geometry `g` by simd/conv.c, output positions
 * split across the threads; undefined where that kernel does not apply (an activation or
 * PReLU weights to fuse, a bias that is not one value per channel, a huge padded copy).
 */
function viaSimd(backend: WasmBackend, x: TensorInfo, filter: TensorInfo, bias: TensorInfo | undefined, g: ConvGeometry, attrs: NamedAttrMap): TensorInfo | undefined {
  const simd = tuning.simd ? simdKernels(backend) : null;
  const activation = (attrs.activation as string | undefined) ?? 'linear';
  if (!simd || activation !== 'linear' || (bias && (bias.shape.length !== 1 || bias.shape[0] !== g.outC))) return undefined;
  if (rows45Fits(g)) return rows45Conv(backend, simd, x, filter, bias, g);
  if (rows45ChannelsFits(g)) return rows45ChannelsConv(backend, simd, x, filter, bias, g);
  if (winogradFits(g) || stride2Fits(g) || fiveFits(g)) return winogradConv(backend, simd, x, filter, bias, g);
  if (tuning.oneChannel && g.inC === 1 && g.outC === 6 && g.strideW === 1) {
    const six = oneChannelSix(backend, simd, x, filter, bias, g);
    if (six) return six;
  }
  if (stridedFits(g)) return winogradStridedConv(backend, simd, x, filter, bias, g);
  const K = g.kH * g.kW * g.inC;
  // Four images per register block skip the taps that meet padding (their taps agree); with
  // fewer images than that to fill blocks, four positions of one image over a padded copy.
  const byImages = tuning.byImages && (g.batch % 4 === 0 || g.batch >= 32);
  // Measured on LeNet and ResNet-18 shapes: the padded copy wins when the output channels
  // fill its 8-wide register blocks or the filter is short (LeNet's first layer, K = 25);
  // XNNPACK wins there on long filters with ragged channels (K = 400, 6 channels), where
  // skipping padding wins again (LeNet's input gradient: half its taps meet padding).
  if (!byImages && g.outC % 8 !== 0 && K >= 64) return undefined;
  const geometry = convArgs(g);
  const O8 = (g.outC + 7) & ~7;
  const at = (t: TensorInfo) => offsetOf(backend, t);
  const pool = simdPool(backend);
  const padFloats = byImages ? 0 : simd.conv_pad_floats(...geometry);
  if (padFloats > SIMD_PAD_FLOATS) return undefined;
  const out = alloc(backend, [g.batch, g.outH, g.outW, g.outC]);
  const packed = alloc(backend, [(K + 1) * O8]);
  simd.pack_filter(at(filter), at(packed), K, g.outC);
  if (bias) simd.pack_filter(at(bias), at(packed) + K * O8 * 4, 1, g.outC);
  const bias8 = bias ? at(packed) + K * O8 * 4 : 0;
  if (byImages) {
    const parts = convParts(backend, g);
    pool.run('conv_forward_images', Array.from({ length: parts }, (_, i) => [at(x), at(packed), bias8, at(out), ...slice(g.batch, parts, i, 4), ...geometry]));
    free(backend, packed);
    return out;
  }
  const xp = alloc(backend, [padFloats]);
  simd.conv_pad_input(at(x), at(xp), ...geometry);
  const P = g.batch * g.outH * g.outW;
  const parts = convParts(backend, g);
  pool.run('conv_forward_rows', Array.from({ length: parts }, (_, i) => [at(xp), at(packed), bias8, at(out), ...slice(P, parts, i, 4), ...geometry]));
  free(backend, packed);
  free(backend, xp);
  return out;
}

/**
 * One input channel into six (LeNet's first layer on grayscale images) by simd/conv.c's
 * conv_forward_c1o6: lanes along output rows over a padded copy, images split across the
 * threads (padding included). Channels as lanes would leave a quarter of them idle.
 * Undefined where the padded copy would be too large.
 */
function oneChannelSix(backend: WasmBackend, simd: SimdKernels, x: TensorInfo, filter: TensorInfo, bias: TensorInfo | undefined, g: ConvGeometry): TensorInfo | undefined {
  const at = (t: TensorInfo) => offsetOf(backend, t);
  const padGeometry = (images: number) => convArgs({ ...g, batch: images });
  const image = simd.conv_c1o6_pad_floats(...padGeometry(1));
  if (g.batch * image > SIMD_PAD_FLOATS) return undefined;
  const xp = alloc(backend, [g.batch * image]);
  const out = alloc(backend, [g.batch, g.outH, g.outW, 6]);
  const parts = convParts(backend, g);
  const pool = simdPool(backend);
  const images = (i: number) => slice(g.batch, parts, i);
  pool.run('conv_c1o6_pad', Array.from({ length: parts }, (_, i) => {
    const [n0, n1] = images(i);
    return [at(x) + 4 * n0 * g.inH * g.inW, at(xp) + 4 * n0 * image, ...padGeometry(n1 - n0)];
  }));
  pool.run('conv_forward_c1o6', Array.from({ length: parts }, (_, i) => [at(xp), at(filter), bias ? at(bias) : 0, at(out), ...images(i), ...convArgs(g)]));
  free(backend, xp);
  return out;
}

function croppedConv(name: string) {
  return (args: { inputs: Record<string, TensorInfo | undefined> & { x: TensorInfo; filter: TensorInfo }; backend: WasmBackend; attrs: ConvAttrs & NamedAttrMap }): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const stock = stockKernel(name);
    const { x, filter } = inputs;
    const nhwc = (attrs.dataFormat ?? 'NHWC') === 'NHWC';
    if (!nhwc || x.shape.length !== 4) return stock(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
    const full = convGeometry(x.shape, filter.shape, attrs.strides, attrs.pad, attrs.dilations ?? 1, attrs.dimRoundingMode, false);
    const crop = tuning.cropTaps ? cropTaps(full) : undefined;
    const ours = attrs.preluActivationWeights === undefined && inputs.preluActivationWeights === undefined;
    if (crop === undefined) {
      const simd = ours ? viaSimd(backend, x, filter, inputs.bias, full, attrs) : undefined;
      if (simd) return simd;
      // Explicit pads even when nothing is cropped: the stock kernel's own 'same' is wrong for some shapes.
      const pad = explicitPad(full);
      if (pad === undefined) return stock(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
      return stock({ inputs, backend, attrs: { ...attrs, pad, dimRoundingMode: undefined } as unknown as NamedAttrMap }) as TensorInfo;
    }
    const g = crop.geometry;
    const cropped = alloc(backend, [g.kH, g.kW, g.inC, g.outC]);
    copyCroppedFilter(heapF32(backend, filter), filter.shape[1]!, g.inC * g.outC, crop, heapF32(backend, cropped));
    const simd = ours ? viaSimd(backend, x, cropped, inputs.bias, g, attrs) : undefined;
    if (simd) {
      free(backend, cropped);
      return simd;
    }
    const out = stock({
      inputs: { ...inputs, filter: cropped },
      backend,
      attrs: { ...attrs, pad: crop.pad, dimRoundingMode: undefined } as unknown as NamedAttrMap,
    }) as TensorInfo;
    free(backend, cropped);
    return out;
  };
}

/** Conv2D for backend 'wasm' (the stock kernel on a cropped filter where that helps). */
export const conv2DConfig: KernelConfig = { kernelName: Conv2D, backendName: 'wasm', kernelFunc: croppedConv(Conv2D) as unknown as KernelFunc };

/** FusedConv2D for backend 'wasm' (the stock kernel on a cropped filter where that helps). */
export const fusedConv2DConfig: KernelConfig = { kernelName: FusedConv2D, backendName: 'wasm', kernelFunc: croppedConv(FusedConv2D) as unknown as KernelFunc };
