/**
 * The gradients of Sigmoid, Tanh and Relu as one pass each on wasm (simd/act.c, threads
 * splitting the elements; the loop below for the tail and without our SIMD module).
 * tfjs-core's are full-size op chains: Sigmoid's dy·(y·(1 - y)) is Sub and two Multiplys
 * (~1 ms a step on LeNet's first activation), Relu's dy·step(x) is Step, Cast and Multiply.
 * Other backends keep tfjs-core's gradients.
 */
import { engine, Relu, Sigmoid, Tanh } from '@tensorflow/tfjs-core';
import type { GradConfig, KernelConfig, KernelFunc, NamedAttrMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import { wasmGradient } from './gradients';
import { elementwise } from './everyThread';
import type { WasmBackend } from './wasmBackend';

export const ActivationGrad = 'LayerlabActivationGrad';

/** simd/act.c's kinds, and what each reads beside dy. */
const KINDS = { sigmoid: 0, tanh: 1, relu: 2 } as const;
type Kind = keyof typeof KINDS;

/** One element, rounded to float32 after each operation as tfjs-core's op chain is (1 - y² cancels near ±1). */
export function gradOne(kind: Kind, g: number, s: number): number {
  const f = Math.fround;
  if (kind === 'sigmoid') return f(g * f(s * f(1 - s)));
  if (kind === 'tanh') return f(f(1 - f(s * s)) * g);
  return s > 0 ? g : Number.isNaN(s) ? NaN : 0;
}

function activationGrad(args: { inputs: { dy: TensorInfo; s: TensorInfo }; backend: WasmBackend; attrs: { kind: Kind } }): TensorInfo {
  const { inputs, backend, attrs } = args;
  return elementwise(backend, 'act_grad', [inputs.dy, inputs.s], (g, s) => gradOne(attrs.kind, g!, s!), [KINDS[attrs.kind]]);
}

/** The kernel behind the gradients below, wasm only. */
export const activationGradConfig: KernelConfig = { kernelName: ActivationGrad, backendName: 'wasm', kernelFunc: activationGrad as unknown as KernelFunc };

/** `kernelName`'s gradient from dy and its saved output (or input): ours on wasm for float32, tfjs-core's elsewhere. */
function gradient(kernelName: string, kind: Kind, save: 'input' | 'output'): GradConfig {
  return wasmGradient({ kernelName, ...(save === 'input' ? { inputsToSave: ['x'] } : { outputsToSave: [true] }) }, (dy, [s]) =>
    s!.dtype !== 'float32' ? undefined : { x: () => engine().runKernel(ActivationGrad, { dy, s: s! }, { kind } as unknown as NamedAttrMap) as Tensor },
  );
}

export const sigmoidGradient = gradient(Sigmoid, 'sigmoid', 'output');
export const tanhGradient = gradient(Tanh, 'tanh', 'output');
export const reluGradient = gradient(Relu, 'relu', 'input');
