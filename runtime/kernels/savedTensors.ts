/**
 * Saved tensors without a kernel call each, on wasm. For every op it records, tfjs's engine
 * saves the inputs and outputs the gradient will need as `keep(clone(t))`, and each clone is
 * a full Identity kernel call plus a tape node of its own: 407 of them per ResNet-18 step,
 * about 4 ms of bookkeeping. A saved tensor only has to hold the data until backprop: here
 * it is a new tensor on the same (reference-counted) wasm memory, as our Identity kernel
 * makes, but made directly. Ops with a custom gradient (fusedConv2d, softmaxCrossEntropy)
 * save theirs through the engine's `clone` instead (Identity + a tape node that no gradient
 * ever follows: 86 per ResNet-18 step), which shares the same way.
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
  clone(x: Tensor): Tensor;
  __layerlabSaved?: true;
}

/** Tests turn it off to compare. */
export const tuning = { share: true };

/** Replaces the engine's saveTensorsForBackwardMode and clone once (idempotent). */
export function installSharedSavedTensors(): void {
  const e = engine() as unknown as EngineInternals;
  if (e.__layerlabSaved) return;
  const sharing = (t: Tensor) => tuning.share && e.backendName === 'wasm' && e.state.gradientDepth === 1 && t.dtype !== 'string';
  const share = (t: Tensor) => {
    e.backend.incRef(t.dataId);
    return e.makeTensorFromTensorInfo({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
  };
  const save = e.saveTensorsForBackwardMode.bind(e);
  e.saveTensorsForBackwardMode = (tensors: Tensor[]) => (tensors.every(sharing) ? tensors.map((t) => e.keep(share(t))) : save(tensors));
  // Called only to save a custom-gradient op's tensors (and by the saver above, which keeps the result).
  const clone = e.clone.bind(e);
  e.clone = (x: Tensor) => (sharing(x) ? share(x) : clone(x));
  e.__layerlabSaved = true;
}
