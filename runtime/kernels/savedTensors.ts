/**
 * Saved tensors without a kernel call each, on wasm. For every op it records, tfjs's engine
 * saves the inputs and outputs the gradient will need as `keep(clone(t))`, and each clone is
 * a full Identity kernel call plus a tape node of its own: 407 of them per ResNet-18 step,
 * about 4 ms of bookkeeping. A saved tensor only has to hold the data until backprop: here
 * it is a new tensor on the same (reference-counted) wasm memory, as our Identity kernel
 * makes, but made directly.
 *
 * Only for a first-order gradient (gradientDepth 1): inside a nested one the clone's tape
 * node carries the outer derivative through the saved tensor, so tfjs's own clone runs.
 */
import { engine } from '@tensorflow/tfjs-core';
import type { Tensor, TensorInfo } from '@tensorflow/tfjs-core';

interface EngineInternals {
  backendName: string;
  backend: { incRef(dataId: object): void };
  state: { gradientDepth: number };
  keep<T extends Tensor>(t: T): T;
  makeTensorFromTensorInfo(info: TensorInfo, backend?: unknown): Tensor;
  saveTensorsForBackwardMode(tensors: Tensor[]): Tensor[];
  __layerlabSaved?: true;
}

/** Tests turn it off to compare. */
export const tuning = { share: true };

/** Replaces the engine's saveTensorsForBackwardMode once (idempotent). */
export function installSharedSavedTensors(): void {
  const e = engine() as unknown as EngineInternals;
  if (e.__layerlabSaved) return;
  const clone = e.saveTensorsForBackwardMode.bind(e);
  e.saveTensorsForBackwardMode = (tensors: Tensor[]) => {
    if (!tuning.share || e.backendName !== 'wasm' || e.state.gradientDepth !== 1 || tensors.some((t) => t.dtype === 'string')) return clone(tensors);
    return tensors.map((t) => {
      e.backend.incRef(t.dataId);
      return e.keep(e.makeTensorFromTensorInfo({ dataId: t.dataId, shape: t.shape, dtype: t.dtype }));
    });
  };
  e.__layerlabSaved = true;
}
