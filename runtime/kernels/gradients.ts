/**
 * Gradients we replace in tfjs-core's global registry (it is shared by every backend, so a
 * replacement that only helps on wasm hands other backends the gradient it replaced).
 */
import { getGradient, registerGradient } from '@tensorflow/tfjs-core';
import type { GradConfig } from '@tensorflow/tfjs-core';

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
