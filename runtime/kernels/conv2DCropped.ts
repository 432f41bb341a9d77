/**
 * Conv2D and FusedConv2D for the wasm backend: the stock XNNPACK kernels, but with the filter
 * cropped to the taps that meet the input when some only ever meet padding (see
 * {@link cropTaps}). At the end of a ResNet-18 on 32x32 images the 3x3 'same' convolutions
 * run over 1x1 maps, where 8 of 9 taps multiply padding: the stock kernel does all 9.
 * Padding always goes to the stock kernel as explicit pads (see {@link explicitPad}).
 */
import { Conv2D, FusedConv2D } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { convGeometry, copyCroppedFilter, cropTaps, explicitPad, type ConvAttrs } from './convGeometry';
import { alloc, free, heapF32, stockKernel } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

/** Tests turn cropping off to compare both paths. */
export const tuning = { cropTaps: true };


function croppedConv(name: string) {
  return (args: { inputs: Record<string, TensorInfo | undefined> & { x: TensorInfo; filter: TensorInfo }; backend: WasmBackend; attrs: ConvAttrs & NamedAttrMap }): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const stock = stockKernel(name);
    const { x, filter } = inputs;
    const nhwc = (attrs.dataFormat ?? 'NHWC') === 'NHWC';
    if (!nhwc || x.shape.length !== 4) return stock(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
    const full = convGeometry(x.shape, filter.shape, attrs.strides, attrs.pad, attrs.dilations ?? 1, attrs.dimRoundingMode, false);
    const crop = tuning.cropTaps ? cropTaps(full) : undefined;
    if (crop === undefined) {
      // Explicit pads even when nothing is cropped: the stock kernel's own 'same' is wrong for some shapes.
      const pad = explicitPad(full);
      if (pad === undefined) return stock(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
      return stock({ inputs, backend, attrs: { ...attrs, pad, dimRoundingMode: undefined } as unknown as NamedAttrMap }) as TensorInfo;
    }
    const g = crop.geometry;
    const cropped = alloc(backend, [g.kH, g.kW, g.inC, g.outC]);
    copyCroppedFilter(heapF32(backend, filter), filter.shape[1]!, g.inC * g.outC, crop, heapF32(backend, cropped));
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
