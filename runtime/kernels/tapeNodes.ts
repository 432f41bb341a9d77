/**
 * Our hooks on tfjs-core's tape: one wrap of the engine's addTapeNode (installed once) that
 * hands each node the engine has just recorded, with the saved tensors and attributes it was
 * recorded with, to every hook. unusedInputGradient.ts and unusedOutputGradients.ts use it to
 * replace some nodes' gradient functions.
 */
import { engine } from '@tensorflow/tfjs-core';
import type { NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';

export interface TapeNode {
  kernelName: string;
  inputs: Record<string, Tensor>;
  gradient?: (dys: (Tensor | null)[]) => Record<string, () => Tensor>;
}

/** Sees the node just recorded, and the saved tensors and attributes it was recorded with. */
export type TapeHook = (node: TapeNode, saved: Tensor[], attrs: NamedAttrMap) => void;

interface EngineInternals {
  addTapeNode(kernelName: string, inputs: unknown, outputs: unknown, gradientsFunc: unknown, saved: Tensor[], attrs: NamedAttrMap): void;
  state: { activeTape: TapeNode[] | null };
  __layerlabTapeHooks?: TapeHook[];
}

/** Runs `hook` on every tape node recorded from now on (added once, however often this is called with it). */
export function onTapeNode(hook: TapeHook): void {
  const e = engine() as unknown as EngineInternals;
  let hooks = e.__layerlabTapeHooks;
  if (hooks === undefined) {
    const all: TapeHook[] = (hooks = e.__layerlabTapeHooks = []);
    const add = e.addTapeNode.bind(e);
    e.addTapeNode = (kernelName, inputs, outputs, gradientsFunc, saved, attrs) => {
      add(kernelName, inputs, outputs, gradientsFunc, saved, attrs);
      const tape = e.state.activeTape;
      const node = tape?.[tape.length - 1];
      if (node === undefined || node.kernelName !== kernelName) return;
      for (const h of all) h(node, saved, attrs);
    };
  }
  if (!hooks.includes(hook)) hooks.push(hook);
}
