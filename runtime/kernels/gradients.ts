/**
 * Gradients we replace in tfjs-core's global registry (it is shared by every backend, so a
 * replacement that only helps on wasm hands other backends the gradient it replaced).
 */
import { getBackend, getGradient, registerGradient } from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';

const replaced = new Map<string, GradConfig>();

/** Registers `ours` for its kernel, remembering the gradient it replaces. Idempotent. */
export function replaceGradient(ours: GradConfig): void {
  const current = getGradient(ours.kernelName);
  if (current?.gradFunc === ours.gradFunc) return;
  if (current) replaced.set(ours.kernelName, current);
  registerGradient(ours);
}

/** The gradient {@link replaceGradient} replaced for `kernelName` (tfjs-core's). */
export function stockGradient(kernelName: string): GradConfig {
  const g = replaced.get(kernelName);
  if (!g) throw new Error(`${kernelName}: the stock gradient was not found; import tfjs before registerWasmTrainingKernels()`);
  return g;
}

type GradResult = ReturnType<GradConfig['gradFunc']>;

/**
 * A replacement gradient that is ours on wasm and the one it replaced elsewhere: `ours` gets
 * the float32 output gradient and the saved tensors and returns undefined for cases it does
 * not take (which then go to the replaced gradient too).
 */
export function wasmGradient(
  config: Omit<GradConfig, 'gradFunc'>,
  ours: (dy: Tensor, saved: Tensor[], attrs: NamedAttrMap) => GradResult | undefined,
): GradConfig {
  return {
    ...config,
    gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
      const g = dy as Tensor;
      const result = getBackend() === 'wasm' && g.dtype === 'float32' ? ours(g, saved, attrs) : undefined;
      return result ?? stockGradient(config.kernelName).gradFunc(dy, saved, attrs);
    },
  };
}
