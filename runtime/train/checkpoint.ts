/**
 * Checkpoints at the end of each epoch: model weights, optimizer state and loop state, written
 * into a fresh folder and then published by atomically rewriting `checkpoint.json`, so a kill at
 * any moment leaves the previous checkpoint intact.
 */
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { writeFileAtomic } from '../atomicWrite.js';

export interface LoopState {
  readonly epoch: number;
  readonly bestTestLoss: number;
  readonly epochsWithoutImprovement: number;
}

interface Pointer extends LoopState {
  readonly dir: string;
  readonly modelSpecs: tf.io.WeightsManifestEntry[];
  readonly optimizerSpecs: tf.io.WeightsManifestEntry[];
}

const POINTER = 'checkpoint.json';

async function encode(tensors: { name: string; tensor: tf.Tensor }[]): Promise<{ data: Uint8Array; specs: tf.io.WeightsManifestEntry[] }> {
  const { data, specs } = await tf.io.encodeWeights(tensors);
  return { data: new Uint8Array(data as ArrayBuffer), specs };
}

export async function saveCheckpoint(runDir: string, model: tfl.LayersModel, optimizer: tf.Optimizer, state: LoopState): Promise<void> {
  const dir = `checkpoints/epoch-${state.epoch}`;
  const weights = await encode(model.weights.map((w, i) => ({ name: `w${i}`, tensor: w.read() })));
  const opt = await optimizer.getWeights();
  const optimizerWeights = await encode(opt);
  // getWeights hands out the optimizer's own variables (only the iteration count is new): free just that.
  tf.dispose(opt.map((o) => o.tensor).filter((t) => !(t instanceof tf.Variable)));
  writeFileAtomic(join(runDir, dir, 'model.bin'), weights.data);
  writeFileAtomic(join(runDir, dir, 'optimizer.bin'), optimizerWeights.data);
  const pointer: Pointer = { ...state, dir, modelSpecs: weights.specs, optimizerSpecs: optimizerWeights.specs };
  writeFileAtomic(join(runDir, POINTER), JSON.stringify(pointer, null, 2));
  for (const old of readdirSync(join(runDir, 'checkpoints'))) if (`checkpoints/${old}` !== dir) rmSync(join(runDir, 'checkpoints', old), { recursive: true, force: true });
}

export function hasCheckpoint(runDir: string): boolean {
  return existsSync(join(runDir, POINTER));
}

/** Restores weights and optimizer state in place; returns the loop state to continue from. */
export async function restoreCheckpoint(runDir: string, model: tfl.LayersModel, optimizer: tf.Optimizer): Promise<LoopState> {
  const p = JSON.parse(readFileSync(join(runDir, POINTER), 'utf8')) as Pointer;
  const read = (f: string) => {
    const b = readFileSync(join(runDir, p.dir, f));
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  };
  const weights = tf.io.decodeWeights(read('model.bin'), p.modelSpecs);
  model.setWeights(model.weights.map((_, i) => weights[`w${i}`]!));
  tf.dispose(Object.values(weights));
  const opt = tf.io.decodeWeights(read('optimizer.bin'), p.optimizerSpecs);
  await optimizer.setWeights(p.optimizerSpecs.map((s) => ({ name: s.name, tensor: opt[s.name]! })));
  tf.dispose(Object.values(opt));
  return { epoch: p.epoch, bestTestLoss: p.bestTestLoss, epochsWithoutImprovement: p.epochsWithoutImprovement };
}
