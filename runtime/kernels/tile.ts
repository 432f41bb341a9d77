/**
 * Tile for the wasm backend. The stock kernel computes every output element's source with
 * divisions over all axes; tfjs-layers' LayerNormalization tiles its statistics and
 * parameters on every call, so a ViT-tiny step spent ~0.8 s of 1.6 s in Tile. Here each
 * output row (all axes but the last) copies or fills from one source row.
 */
import { Tile, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { alloc, stockKernel } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

type Typed = Float32Array | Int32Array | Uint8Array;

function tile(args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: { reps: number[] } }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const reps = attrs.reps;
  if (x.dtype === 'string' || x.shape.length === 0 || reps.length !== x.shape.length) {
    return stockKernel('Tile')({ inputs: { x }, backend, attrs: { reps } }) as TensorInfo;
  }
  const rank = x.shape.length;
  const outShape = x.shape.map((d, i) => d * reps[i]!);
  const out = alloc(backend, outShape, x.dtype);
  if (util.sizeFromShape(outShape) === 0) return out;
  const src = backend.typedArrayFromHeap(x) as Typed;
  const dst = backend.typedArrayFromHeap(out) as Typed;
  const inner = x.shape[rank - 1]!;
  const outInner = outShape[rank - 1]!;
  // Odometer over the output's leading axes, tracking the matching source row.
  const idx = new Array<number>(rank - 1).fill(0);
  const srcStrides = util.computeStrides(x.shape); // strides of axes 0..rank-2
  const rows = util.sizeFromShape(outShape.slice(0, -1));
  let srcRow = 0;
  for (let row = 0, o = 0; row < rows; row++, o += outInner) {
    if (inner === 1) {
      dst.fill(src[srcRow]!, o, o + outInner);
    } else {
      const s = src.subarray(srcRow, srcRow + inner);
      for (let r = 0; r < outInner; r += inner) dst.set(s, o + r);
    }
    for (let a = rank - 2; a >= 0; a--) {
      idx[a]!++;
      const stride = srcStrides[a]!;
      if (idx[a]! % x.shape[a]! === 0) srcRow -= (x.shape[a]! - 1) * stride;
      else srcRow += stride;
      if (idx[a]! < outShape[a]!) break;
      idx[a] = 0;
    }
  }
  return out;
}

/** Tile for backend 'wasm' (replaces the stock kernel; see module note). */
export const tileConfig: KernelConfig = {
  kernelName: Tile,
  backendName: 'wasm',
  kernelFunc: tile as unknown as KernelFunc,
};
