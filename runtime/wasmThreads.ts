/**
 * Multithreaded WASM under Node.
 *
 * tfjs-backend-wasm ships a threaded SIMD build (XNNPACK on a pthreadpool) but 4.22 never
 * uses it in Node, for three reasons this module works around, each only for the duration of
 * `tf.setBackend('wasm')`:
 * 1. the `WASM_HAS_MULTITHREAD_SUPPORT` flag is hard-wired to false under Node
 *    (tensorflow/tfjs#3830): we set it to true;
 * 2. Emscripten starts its pthread workers from `blob:` URLs, which Node's `Worker` rejects:
 *    a global `Worker` stand-in runs the same worker source with `eval: true` and points the
 *    worker's `importScripts` at the threaded build's glue file instead of a Blob;
 * 3. the C++ side caps the thread count at `emscripten_num_logical_cores() / 2` (it assumes
 *    two hyper-threads per core), so on a 2-vCPU machine it would get one thread: we report
 *    twice the CPUs while it initialises.
 * After start-up the pool's workers are `unref`ed so that they do not keep Node alive.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { Worker as NodeWorker, type WorkerOptions } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);

/** Threads for the WASM backend: `LAYERLAB_THREADS`, else every core (XNNPACK's pool holds at most 8). */
export function wasmThreadCount(env: NodeJS.ProcessEnv = process.env): number {
  const asked = Number(env.LAYERLAB_THREADS);
  const n = Number.isInteger(asked) && asked > 0 ? asked : os.availableParallelism();
  return Math.min(8, Math.max(1, n));
}

interface ThreadedModule {
  PThread?: { runningWorkers: { unref(): void }[] };
}

/** The threads the app computes on once the threaded build started (1 before, or on the plain build). */
let started = 1;

/**
 * Prepares the threaded build for `threads` threads (1 leaves tfjs alone: the plain SIMD
 * build), runs `init` (which must call `tf.setBackend('wasm')`), then undoes the globals.
 * XNNPACK's own pool gets `xnnpackThreads` of them: 1 when our SIMD kernels do the threading
 * (runtime/kernels/simdPool.ts), since its workers, woken for every small elementwise op,
 * cost more than they give once the heavy kernels are ours (measured on 2 cores: LeNet 21.6
 * → 18.3 ms a step, ResNet-18 45.6 → 37.7, ViT-tiny 102 → 98).
 */
export async function withWasmThreads<T>(threads: number, init: () => Promise<T>, xnnpackThreads = threads): Promise<T> {
  if (threads <= 1) return init();
  const out = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
  const workerSource = (require(join(out, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string }).wasmWorkerContents
    // tfjs escapes newlines the same way before it makes its Blob (they sit inside string literals).
    .replace(/\n/g, '\\n');
  const glue = join(out, 'tfjs-backend-wasm-threaded-simd.js');

  class PthreadWorker extends NodeWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      const blob = String(url).startsWith('blob:');
      super(blob ? workerSource : url, blob ? { ...options, eval: true } : options);
    }
    override postMessage(message: unknown, transfer?: readonly import('node:worker_threads').TransferListItem[]): void {
      const m = message as { cmd?: string; urlOrBlob?: unknown } | null;
      super.postMessage(m?.cmd === 'load' && typeof m.urlOrBlob !== 'string' ? { ...m, urlOrBlob: glue } : message, transfer);
    }
  }

  const hadWorker = Object.getOwnPropertyDescriptor(globalThis, 'Worker');
  // Emscripten assigns `global.Worker = worker_threads.Worker` before it starts its pool: ignore that.
  Object.defineProperty(globalThis, 'Worker', { configurable: true, get: () => PthreadWorker, set: () => {} });
  const cpus = os.cpus;
  os.cpus = () => {
    const c = cpus();
    return [...c, ...c];
  };
  const flag = tf.env().getFlags().WASM_HAS_MULTITHREAD_SUPPORT;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(Math.max(1, Math.min(threads, xnnpackThreads)));
  try {
    const result = await init();
    started = threads;
    return result;
  } finally {
    os.cpus = cpus;
    if (hadWorker) Object.defineProperty(globalThis, 'Worker', hadWorker);
    else delete (globalThis as { Worker?: unknown }).Worker;
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', flag ?? false);
    const backend = tf.findBackend('wasm') as { wasm?: ThreadedModule } | null;
    for (const w of backend?.wasm?.PThread?.runningWorkers ?? []) w.unref();
  }
}

/** The threads the WASM backend actually runs on (1 before it starts or on the plain build). */
export function wasmThreadsInUse(): number {
  type Memory = { buffer: unknown };
  const wasm = (tf.findBackend('wasm') as { wasm?: { wasmMemory?: Memory; asm?: { memory?: Memory } } } | null)?.wasm;
  const memory = wasm?.wasmMemory ?? wasm?.asm?.memory;
  return typeof SharedArrayBuffer !== 'undefined' && memory?.buffer instanceof SharedArrayBuffer ? started : 1;
}
