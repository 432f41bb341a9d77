/**
 * Gradient of Tile as one reshape and one sum. tfjs-core's own Tile gradient adds one slice
 * of dy per repetition, so its cost grows with the number of repetitions times the size of
 * dy: tfjs-layers' LayerNormalization tiles gamma and beta over batch x tokens, which made
 * a ViT-tiny step at batch 128 take ~80 s on wasm (83k slice+add kernels). Tiling lays the
 * repetitions out block-major, so dy viewed as [r0, x0, r1, x1, ...] summed over the r axes is
 * exactly dx. Backend-independent, registered for every backend.
 */
import { reshape, sum, Tile } from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';

/** Tile's gradient (replaces tfjs-core's; see module note). */
export const tileGradConfig: GradConfig = {
  kernelName: Tile,
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x] = saved as [Tensor];
    const reps = attrs.reps as number[];
    const g = dy as Tensor;
    const split: number[] = [];
    const repAxes: number[] = [];
    x.shape.forEach((d, i) => {
      repAxes.push(split.length);
      split.push(reps[i]!, d);
    });
    return { x: () => reshape(sum(reshape(g, split), repAxes), x.shape) };
  },
};
