/**
 * DepthwiseConv2dNativeBackpropFilter for the wasm backend (tfjs-backend-wasm 4.22 has
 * none). dW[kh, kw, c, q] = Σ x[n, ih, iw, c] · dy[n, oh, ow, c·mult + q]. Depthwise work is
 * small (no channel mixing), so a direct loop over typed arrays, channels innermost, is
 * already memory-bound; sums are kept in float64.
 */
import { DepthwiseConv2dNativeBackpropFilter } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { assertOutShape, convGeometry, type ConvAttrs } from './convGeometry';
import { alloc, heapF32 } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

type Attrs = ConvAttrs & { filterShape: [number, number, number, number] };

function depthwiseBackpropFilter(args: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: WasmBackend; attrs: Attrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const g = convGeometry(x.shape, attrs.filterShape, attrs.strides, attrs.pad, attrs.dilations ?? 1, attrs.dimRoundingMode, true);
  assertOutShape('DepthwiseConv2dNativeBackpropFilter', g, dy.shape);
  const { inH, inW, inC, outH, outW, outC, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft, multiplier: mult } = g;
  const out = alloc(backend, [...attrs.filterShape]);
  const xs = heapF32(backend, x);
  const dys = heapF32(backend, dy);
  const acc = new Float64Array(kH * kW * outC);
  for (let n = 0; n < g.batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let kh = 0; kh < kH; kh++) {
        const ih = oh * strideH - padTop + kh * dilationH;
        if (ih < 0 || ih >= inH) continue;
        const xr = (n * inH + ih) * inW * inC;
        for (let ow = 0; ow < outW; ow++) {
          const dyi = ((n * outH + oh) * outW + ow) * outC;
          for (let kw = 0; kw < kW; kw++) {
            const iw = ow * strideW - padLeft + kw * dilationW;
            if (iw < 0 || iw >= inW) continue;
            const xi = xr + iw * inC;
            const wi = (kh * kW + kw) * outC;
            if (mult === 1) {
              for (let c = 0; c < inC; c++) acc[wi + c] = acc[wi + c]! + xs[xi + c]! * dys[dyi + c]!;
            } else {
              for (let c = 0; c < inC; c++) {
                const v = xs[xi + c]!;
                for (let q = 0; q < mult; q++) acc[wi + c * mult + q] = acc[wi + c * mult + q]! + v * dys[dyi + c * mult + q]!;
              }
            }
          }
        }
      }
    }
  }
  heapF32(backend, out).set(acc);
  return out;
}

/** DepthwiseConv2dNativeBackpropFilter for backend 'wasm'. */
export const depthwiseConv2dNativeBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter as unknown as KernelFunc,
};
