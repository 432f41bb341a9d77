/**
 * Passes null, not a tensor of zeros, for the gradients of our kernels' secondary outputs.
 *
 * Our attention, GELU and normalisation kernels return more than they are asked for: the
 * softmax weights, the derivative, the batch statistics, saved for the backward pass. Nobody
 * differentiates those, so their gradients are null on the tape, and tfjs-core's tape node
 * then builds a zero tensor of each one's shape in JS (`makeZerosTypedArray`) and copies it
 * into the WASM heap before calling the gradient: two [128, 4, 65, 65] attention maps and
 * two GELU derivatives of a ViT-tiny step, ~7 ms of a 125 ms step. These kernels' gradients
 * read only their first output's gradient, or take null for the others (batch norm's), so
 * for them the node's gradient calls the registered gradient function directly.
 */
import { engine, getGradient } from '@tensorflow/tfjs-core';
import type { NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import { Attention } from './attention';
import { BatchNormTrain } from './batchNormTrain';
import { GeluTrain } from './gelu';
import { LayerNorm } from './layerNorm';

/** Kernels whose gradient functions take null for every output gradient but the first. */
const NULL_SAFE = new Set([Attention, BatchNormTrain, GeluTrain, LayerNorm]);

interface TapeNode {
  kernelName: string;
  gradient?: (dys: (Tensor | null)[]) => Record<string, () => Tensor>;
}
interface EngineInternals {
  addTapeNode(kernelName: string, inputs: unknown, outputs: unknown, gradientsFunc: unknown, saved: Tensor[], attrs: NamedAttrMap): void;
  state: { activeTape: TapeNode[] | null };
  __layerlabNullGradients?: true;
}

/** Wraps the engine's addTapeNode once (idempotent). */
export function installUnusedOutputGradients(): void {
  const e = engine() as unknown as EngineInternals;
  if (e.__layerlabNullGradients) return;
  const add = e.addTapeNode.bind(e);
  e.addTapeNode = (kernelName, inputs, outputs, gradientsFunc, saved, attrs) => {
    add(kernelName, inputs, outputs, gradientsFunc, saved, attrs);
    if (!NULL_SAFE.has(kernelName)) return;
    const tape = e.state.activeTape;
    const node = tape?.[tape.length - 1];
    const gradFunc = getGradient(kernelName)?.gradFunc;
    if (node === undefined || node.kernelName !== kernelName || node.gradient === undefined || gradFunc === undefined) return;
    node.gradient = (dys) => gradFunc((dys.length > 1 ? dys : dys[0]) as Tensor | Tensor[], saved, attrs);
  };
  e.__layerlabNullGradients = true;
}
