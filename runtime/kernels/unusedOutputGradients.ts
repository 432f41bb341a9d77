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
import { getGradient } from '@tensorflow/tfjs-core';
import type { NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import { Attention } from './attention';
import { BatchNormReluTrain, BatchNormTrain } from './batchNormTrain';
import { GeluTrain } from './gelu';
import { LayerNorm } from './layerNorm';
import { onTapeNode, type TapeNode } from './tapeNodes';

/** Kernels whose gradient functions take null for every output gradient but the first. */
const NULL_SAFE = new Set([Attention, BatchNormTrain, BatchNormReluTrain, GeluTrain, LayerNorm]);

/** Lets a null-safe kernel's tape node call its gradient function with the null gradients as they are. */
function nullSecondaryGradients(node: TapeNode, saved: Tensor[], attrs: NamedAttrMap): void {
  if (!NULL_SAFE.has(node.kernelName) || node.gradient === undefined) return;
  const gradFunc = getGradient(node.kernelName)?.gradFunc;
  if (gradFunc === undefined) return;
  node.gradient = (dys) => gradFunc((dys.length > 1 ? dys : dys[0]) as Tensor | Tensor[], saved, attrs);
}

/** Installs it on the tape (idempotent). */
export function installUnusedOutputGradients(): void {
  onTapeNode(nullSecondaryGradients);
}
