/**
 * Conv2DBackpropFilter for the wasm backend (tfjs-backend-wasm 4.22 has none, so no
 * convolution could train there). dW = im2col(x)^T · dy: the im2col runs in JS, the
 * product in the backend's XNNPACK BatchMatMul.
 *
 * Supports NHWC, strides, 'valid' / 'same' / explicit padding and, beyond what tfjs's
 * Conv2D gradient asks for, an optional `dilations` attribute.
 */
import { Conv2DBackpropFilter } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { assertOutShape, convGeometry } from './convGeometry';
import type { ConvPad } from './convGeometry';
import { im2colTransposed } from './im2col';
import { alloc, batchMatMul, free, heapF32 } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

/** Upper bound on one column matrix, in floats (16 MiB): bounds memory, keeps chunks warm in cache. */
export const tuning = { colChunkFloats: 1 << 22 };

interface Attrs {
  strides: number | [number, number];
  pad: ConvPad;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
  dilations?: number | [number, number];
}

function conv2DBackpropFilter(args: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: WasmBackend; attrs: Attrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC') throw new Error('Conv2DBackpropFilter (wasm): only NHWC is supported');
  const g = convGeometry(x.shape, attrs.filterShape, attrs.strides, attrs.pad, attrs.dilations ?? 1, attrs.dimRoundingMode, false);
  assertOutShape('Conv2DBackpropFilter', g, dy.shape);
  const K = g.kH * g.kW * g.inC;
  const perImage = g.outH * g.outW;
  const imagesPerChunk = Math.max(1, Math.min(g.batch, Math.floor(tuning.colChunkFloats / Math.max(1, perImage * K))));

  if (imagesPerChunk >= g.batch) {
    // One product: dW[K, outC] = colT[K, M] · dy[M, outC]; dy is used in place.
    const colT = alloc(backend, [1, K, g.batch * perImage]);
    im2colTransposed(g, heapF32(backend, x), 0, g.batch, heapF32(backend, colT));
    const dy3: TensorInfo = { dataId: dy.dataId, shape: [1, g.batch * perImage, g.outC], dtype: 'float32' };
    const out = batchMatMul(backend, colT, dy3);
    free(backend, colT);
    return { ...out, shape: [...attrs.filterShape] };
  }
  // Chunks of images, summed: bounds the column matrix and keeps it in cache.
  const dW = new Float32Array(K * g.outC);
  for (let n0 = 0; n0 < g.batch; n0 += imagesPerChunk) {
    const n1 = Math.min(g.batch, n0 + imagesPerChunk);
    const rows = (n1 - n0) * perImage;
    const colT = alloc(backend, [1, K, rows]);
    const dyChunk = alloc(backend, [1, rows, g.outC]);
    im2colTransposed(g, heapF32(backend, x), n0, n1, heapF32(backend, colT));
    heapF32(backend, dyChunk).set(heapF32(backend, dy).subarray(n0 * perImage * g.outC, n1 * perImage * g.outC));
    const part = batchMatMul(backend, colT, dyChunk);
    const p = heapF32(backend, part);
    for (let i = 0; i < p.length; i++) dW[i] = dW[i]! + p[i]!;
    free(backend, part);
    free(backend, colT);
    free(backend, dyChunk);
  }
  const out = alloc(backend, [...attrs.filterShape]);
  heapF32(backend, out).set(dW);
  return out;
}

/** Conv2DBackpropFilter for backend 'wasm'. */
export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
