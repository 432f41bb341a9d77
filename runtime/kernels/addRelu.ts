/**
 * Add then ReLU as one kernel on wasm, for an Add layer whose output only a ReLU layer reads
 * (graph-compiler/passes/fuse.ts: ResNet's residual joins): y = max(a + b, 0) in one pass
 * (simd/act.c's `add_relu`, split across the threads, or JS), and a gradient that masks dy by
 * y > 0 once (ActivationGrad's relu; y > 0 where a + b > 0) for both inputs. The separate
 * ops ran four kernels: Add, Relu, the ReLU's gradient and the Add's.
 */
import { clone, engine } from '@tensorflow/tfjs-core';
import type { GradConfig, KernelConfig, KernelFunc, NamedAttrMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import { ActivationGrad } from './activationGrad';
import { elementwise } from './everyThread';
import type { WasmBackend } from './wasmBackend';

export const AddRelu = 'LayerlabAddRelu';

function addRelu(args: { inputs: { a: TensorInfo; b: TensorInfo }; backend: WasmBackend }): TensorInfo {
  const { inputs, backend } = args;
  return elementwise(backend, 'add_relu', [inputs.a, inputs.b], (a, b) => Math.max(a! + b!, 0));
}

export const addReluConfig: KernelConfig = { kernelName: AddRelu, backendName: 'wasm', kernelFunc: addRelu as unknown as KernelFunc };

/**
 * The gradient of {@link AddRelu}: one masked dy for both inputs, computed once in gradFunc (the
 * tape runs each input's closure in its own tidy), b's a clone that shares its memory (the
 * tape may dispose one input's gradient after adding it into another's).
 */
export const addReluGradient: GradConfig = {
  kernelName: AddRelu,
  outputsToSave: [true],
  gradFunc: (dy: Tensor | Tensor[], [y]: Tensor[]) => {
    const g = engine().runKernel(ActivationGrad, { dy: dy as Tensor, s: y! }, { kind: 'relu' } as unknown as NamedAttrMap) as Tensor;
    return { a: () => g, b: () => clone(g) };
  },
};

/** max(a + b, 0) for float32 tensors of one shape (wasm only). */
export function addReluOp(a: Tensor, b: Tensor): Tensor {
  return engine().runKernel(AddRelu, { a, b }) as Tensor;
}
