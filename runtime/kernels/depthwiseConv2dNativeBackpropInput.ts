/**
 * DepthwiseConv2dNativeBackpropInput for the wasm backend (tfjs-backend-wasm 4.22 has
 * none). dx[n, ih, iw, c] = Σ dy[n, oh, ow, c·mult + q] · W[kh, kw, c, q], scattered from
 * each output position, channels innermost.
 */
import { DepthwiseConv2dNativeBackpropInput } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { assertOutShape, convGeometry, type ConvAttrs } from './convGeometry';
import { alloc, heapF32 } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

type Attrs = ConvAttrs & { inputShape: [number, number, number, number] };

function depthwiseBackpropInput(args: { inputs: { dy: TensorInfo; filter: TensorInfo }; backend: WasmBackend; attrs: Attrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const g = convGeometry(attrs.inputShape, filter.shape, attrs.strides, attrs.pad, attrs.dilations ?? 1, attrs.dimRoundingMode, true);
  assertOutShape('DepthwiseConv2dNativeBackpropInput', g, dy.shape);
  const { inH, inW, inC, outH, outW, outC, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft, multiplier: mult } = g;
  const out = alloc(backend, [...attrs.inputShape]);
  const dys = heapF32(backend, dy);
  const w = heapF32(backend, filter);
  const dx = heapF32(backend, out);
  dx.fill(0);
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
              for (let c = 0; c < inC; c++) dx[xi + c] = dx[xi + c]! + dys[dyi + c]! * w[wi + c]!;
            } else {
              for (let c = 0; c < inC; c++) {
                let s = 0;
                for (let q = 0; q < mult; q++) s += dys[dyi + c * mult + q]! * w[wi + c * mult + q]!;
                dx[xi + c] = dx[xi + c]! + s;
              }
            }
          }
        }
      }
    }
  }
  return out;
}

/** DepthwiseConv2dNativeBackpropInput for backend 'wasm'. */
export const depthwiseConv2dNativeBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput as unknown as KernelFunc,
};
