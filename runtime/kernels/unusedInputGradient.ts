/**
 * Skips the input gradient of a fused convolution when backprop will throw it away.
 *
 * tfjs-core prunes the tape so that only gradients on a path to the variables are taken,
 * and registered gradients are lazy (one thunk per input), so unneeded ones never run. But
 * `tf.fused.conv2d` (what tfjs-layers' Conv2D uses) has a `customGrad` gradient that
 * computes dx, dW and db eagerly. For a model's first convolution dx is the gradient with
 * respect to the data batch: nobody wants it, and it was the costliest kernel of a LeNet
 * step (a 1-channel output the XNNPACK forward convolution handles poorly) and 7% of a
 * ResNet-18 step (the 7x7/2 stem).
 *
 * tape.ts calls `node.gradient(dys)` on its pruned copy of the tape node, so a plain
 * function installed as the node's gradient sees, as `this.inputs`, which inputs backprop
 * still needs. While a fused conv's gradient runs without its input '0' (x) needed, our
 * Conv2DBackpropInput returns zeros instead of computing (see {@link inputGradientUnused}).
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import { onTapeNode, type TapeNode } from './tapeNodes';

/** The tape node's name for `tf.fused.conv2d` (its op scope); its inputs are '0' (x), '1' (filter), '2' (bias). */
const FUSED_CONV = 'fusedConv2d__op';

let unused = 0;

/** True while a fused conv's gradient runs for an x that backprop will not use. */
export function inputGradientUnused(): boolean {
  return unused > 0;
}

/** Wraps the gradient of a fused conv's tape node so that it knows whether x is needed. */
function skipUnusedInput(node: TapeNode): void {
  if (node.kernelName !== FUSED_CONV || node.gradient === undefined || !('0' in node.inputs)) return;
  const gradient = node.gradient;
  node.gradient = function (this: TapeNode | undefined, dys: (Tensor | null)[]) {
    const skip = this !== undefined && this.inputs !== undefined && !('0' in this.inputs);
    if (skip) unused++;
    try {
      return gradient(dys);
    } finally {
      if (skip) unused--;
    }
  };
}

/** Installs the skip on the tape (idempotent). */
export function installUnusedInputGradientSkip(): void {
  onTapeNode(skipUnusedInput);
}
