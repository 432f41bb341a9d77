/**
 * Picks the fastest TF.js backend available: tfjs-node-gpu (CUDA), tfjs-node (libtensorflow),
 * then WASM (with our training kernels), then the pure-JS CPU backend.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import type { BackendName } from '../contracts/index.js';
import { simdModuleBuilt } from './kernels/simdModule.js';
import { wasmThreadCount, wasmThreadsInUse, withWasmThreads } from './wasmThreads.js';

const require = createRequire(import.meta.url);

export interface BackendChoice {
  /** The name the user picks (`node-gpu`, `node`, `wasm`, `cpu`). */
  readonly name: Exclude<BackendName, 'auto'>;
  /** The TF.js backend name in use. */
  readonly tfBackend: string;
  /** Why earlier choices were skipped, for the start-of-run report. */
  readonly notes: readonly string[];
  /** CPU threads the backend computes on (WASM: our kernels' pool, or XNNPACK's without it; 1 for the pure-JS backend). */
  readonly threads: number;
}

const order: readonly Exclude<BackendName, 'auto'>[] = ['node-gpu', 'node', 'wasm', 'cpu'];

async function tryBackend(name: Exclude<BackendName, 'auto'>, threads: number): Promise<string> {
  switch (name) {
    case 'node-gpu':
    case 'node': {
      // These packages bring libtensorflow; they are optional and often absent.
      require(name === 'node-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node');
      if (!(await tf.setBackend('tensorflow'))) throw new Error('the tensorflow backend did not initialise');
      return 'tensorflow';
    }
    case 'wasm': {
      const { registerWasmTrainingKernels } = await import('./kernels/index.js');
      registerWasmTrainingKernels();
      // With our SIMD kernels built, they do the threading and XNNPACK runs on one thread.
      const ok = await withWasmThreads(threads, () => tf.setBackend('wasm'), simdModuleBuilt() ? 1 : threads);
      if (!ok) throw new Error('the wasm backend did not initialise');
      return 'wasm';
    }
    case 'cpu':
      await tf.setBackend('cpu');
      return 'cpu';
  }
}

/**
 * Selects `requested`, or with `auto` the first that works; an explicit choice that fails is
 * an error. `threads` applies to WASM (default: `LAYERLAB_THREADS`, else every core) and is
 * fixed once WASM has started in a process.
 */
export async function selectBackend(requested: BackendName = 'auto', threads = wasmThreadCount()): Promise<BackendChoice> {
  const notes: string[] = [];
  // PROD skips debug checks and the console nag to install tfjs-node (we report the backend ourselves).
  tf.env().set('PROD', true);
  for (const name of requested === 'auto' ? order : [requested]) {
    try {
      const tfBackend = await tryBackend(name, threads);
      await tf.ready();
      const inUse = name === 'wasm' ? wasmThreadsInUse() : name === 'cpu' ? 1 : os.availableParallelism();
      return { name, tfBackend, notes, threads: inUse };
    } catch (e) {
      const err = e as Error & { code?: string };
      const why = err.code === 'MODULE_NOT_FOUND' ? `${name}: not installed` : `${name}: ${err.message.split('\n')[0]}`;
      if (requested !== 'auto') throw new Error(`Backend ${why}. ${hint(name)}`);
      notes.push(why);
    }
  }
  throw new Error(`No TensorFlow.js backend could start (${notes.join('; ')})`);
}

function hint(name: string): string {
  if (name === 'node-gpu') return 'Install it with `npm install @tensorflow/tfjs-node-gpu` on Linux with an NVIDIA GPU, CUDA 11.2 and cuDNN 8.1, or use --backend auto.';
  if (name === 'node') return 'Install it with `npm install @tensorflow/tfjs-node`, or use --backend auto.';
  return 'Use --backend auto.';
}
