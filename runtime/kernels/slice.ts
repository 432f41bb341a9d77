/**
 * Slice and SplitV for the wasm backend as one heap copy per contiguous run. The stock
 * kernels copy one innermost row per `TypedArray.set` (with a fresh subarray each), even
 * when the rows they copy are adjacent: splitting a ViT's class token off [128, 65, 64]
 * (the gradient of its Concat) took 8,192 calls and ~3 ms; here it is 128 copies. Trailing
 * axes that the slice takes whole merge into the run. Runs shorter than {@link MIN_RUN}
 * (a slice along the last axis) and strings stay on the stock kernels.
 */
import { backend_util, Slice, slice_util, SplitV, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { alloc, stockKernel } from './wasmBackend';
import type { WasmBackend } from './wasmBackend';

/** Shorter runs go to the stock kernel, whose per-row loop is as fast there. */
const MIN_RUN = 16;

/** The heap as 32-bit words (float32 and int32 alike: copies move bits). */
const heap32 = (backend: WasmBackend) => new Int32Array((backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer);

/** x[begin : begin + size] by runs, or undefined when the stock kernel should do it. */
function sliceByRuns(backend: WasmBackend, x: TensorInfo, begin: number[], size: number[]): TensorInfo | undefined {
  if (x.dtype === 'string' || x.dtype === 'complex64' || x.dtype === 'bool') return undefined;
  const rank = x.shape.length;
  // Merge trailing axes the slice takes whole (and the first partial one) into one run.
  let axis = rank - 1;
  let run = size[axis] ?? 1;
  while (axis > 0 && begin[axis] === 0 && size[axis] === x.shape[axis]) {
    axis--;
    run *= size[axis]!;
  }
  const total = util.sizeFromShape(size);
  if (total === 0 || rank === 0) return undefined;
  if (run < MIN_RUN && run !== total) return undefined;
  const out = alloc(backend, [...size], x.dtype);
  const strides = util.computeStrides(x.shape);
  const heap = heap32(backend);
  const src0 = backend.dataIdMap.get(x.dataId)!.memoryOffset / 4;
  const dst0 = backend.dataIdMap.get(out.dataId)!.memoryOffset / 4;
  // Axes before `axis` are walked as a counter; `axis` and those after it are the run.
  const outer = size.slice(0, axis);
  const index = new Array<number>(axis).fill(0);
  const runs = total / run;
  for (let r = 0; r < runs; r++) {
    let src = src0;
    for (let a = 0; a < axis; a++) src += (begin[a]! + index[a]!) * strides[a]!;
    if (axis < rank) src += begin[axis]! * (strides[axis] ?? 1);
    heap.copyWithin(dst0 + r * run, src, src + run);
    for (let a = axis - 1; a >= 0; a--) {
      if (++index[a]! < outer[a]!) break;
      index[a] = 0;
    }
  }
  return out;
}

function slice(args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: { begin: number | number[]; size?: number | number[] } }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const [begin, size] = slice_util.parseSliceParams(inputs.x as never, attrs.begin, attrs.size as number[]) as [number[], number[]];
  return sliceByRuns(backend, inputs.x, begin, size) ?? (stockKernel(Slice)(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo);
}

function splitV(args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: { numOrSizeSplits: number | number[]; axis: number } }): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const axis = util.parseAxisParam(attrs.axis, x.shape)[0]!;
  const sizes = backend_util.prepareSplitSize(x as never, attrs.numOrSizeSplits, axis);
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((s) => {
    const size = [...x.shape];
    size[axis] = s;
    const part = sliceByRuns(backend, x, begin, size) ?? (stockKernel(Slice)({ inputs: { x }, backend, attrs: { begin: [...begin], size } }) as TensorInfo);
    begin[axis]! += s;
    return part;
  });
}

/** Slice for backend 'wasm' (see module note). */
export const sliceConfig: KernelConfig = { kernelName: Slice, backendName: 'wasm', kernelFunc: slice as unknown as KernelFunc };
/** SplitV for backend 'wasm' (see module note). */
export const splitVConfig: KernelConfig = { kernelName: SplitV, backendName: 'wasm', kernelFunc: splitV as unknown as KernelFunc };
