/**
 * Our SIMD kernels on every core. Under tfjs's threaded build the heap is shared memory, so
 * helper threads (worker_threads) can instantiate our module on that same memory and each
 * run one slice of a kernel: `run(fn, calls)` makes call 0 on this thread and the others on
 * the helpers, and returns when all are done. Kernels split work so that slices write
 * disjoint memory and each slice has its own scratch. The helpers are unref'd, so they do
 * not keep Node alive.
 *
 * Hand-offs spin before they sleep. Waking a thread parked in Atomics.wait takes ~25 µs on
 * this VM (an idle vCPU halts), and a job paid that twice: the helper woke for it and this
 * thread woke when the helper finished. An empty job took ~50 µs there and ~0.4 µs with
 * both sides spinning. A training step runs 60-300 jobs, 0.05-0.5 ms each, a few µs to
 * ~0.1 ms apart, so a helper watches for the next job for {@link spinTuning}.helperUs after
 * each one before it sleeps. That costs its core only while jobs keep coming; an idle pool
 * sleeps. Measured as interleaved A/Bs on two threads: ResNet-18 (d2l stem) steps 11%
 * faster, LeNet's 7%.
 *
 * A helper can still start late: asleep after a pause, or its core taken for a while (in a
 * training step ~3% of jobs, the worst ~20 ms). So once this thread has done its own slice, it
 * claims any slice no helper has started and runs it itself; a helper claims its slice before
 * running it and skips one already taken. Steps on two threads 4-7% faster again (LeNet,
 * ResNet-18; alternating runs).
 */
import { Worker } from 'node:worker_threads';

/** Most arguments any kernel takes (conv_filter_grad_rows: 21). */
const MAX_ARGS = 24;
/**
 * ctrl[SEQ] counts jobs; ctrl[DONE] counts finished helper slices; ctrl[FN], ctrl[NARGS]
 * describe the job; ctrl[FAILED] is set by a slice that threw; ctrl[SPIN] is how long (µs)
 * helpers watch for the next job before they sleep; ctrl[CLAIM + slot] is 0 until a slot's
 * slice is claimed, by its helper (1) or by this thread (2).
 */
const SEQ = 0;
const DONE = 1;
const FN = 2;
const NARGS = 3;
const FAILED = 4;
const SPIN = 5;
const CLAIM = 8;

/**
 * How long a helper watches for the next job before it sleeps, and this thread for the
 * helpers to finish before it sleeps (µs). ResNet-18 steps gained 2.6 ms (of ~22) at these
 * values, 2.3 at 5 ms each and 2.1 with helpers watching 0.2 ms. `wake: false` posts jobs
 * without waking sleeping helpers, so that this thread takes their slices over (tests: which
 * side wins a race for a slice is up to the OS's scheduler otherwise).
 */
export const spinTuning = { helperUs: 1000, mainUs: 2000, wake: true };

/** Slices this thread ran for a helper that had not started them (tests and diagnostics). */
export const poolStats = { stolen: 0 };

/** The helper's whole program (run with `eval: true`). */
const HELPER = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctrlBuffer, argsBuffer, names, slot, maxArgs } = workerData;
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctrl = new Int32Array(ctrlBuffer);
const args = new Float64Array(argsBuffer);
let seen = 0;
for (;;) {
  const t0 = performance.now();
  while (Atomics.load(ctrl, ${SEQ}) === seen && performance.now() - t0 < ctrl[${SPIN}] / 1000) continue;
  Atomics.wait(ctrl, ${SEQ}, seen);
  seen = Atomics.load(ctrl, ${SEQ});
  // A slice this helper woke too late for was run by the main thread.
  if (Atomics.compareExchange(ctrl, ${CLAIM} + slot, 0, 1) !== 0) continue;
  try {
    const a = [];
    for (let i = 0; i < ctrl[${NARGS}]; i++) a.push(args[slot * maxArgs + i]);
    exports[names[ctrl[${FN}]]](...a);
  } catch (e) {
    Atomics.store(ctrl, ${FAILED}, 1);
  }
  Atomics.add(ctrl, ${DONE}, 1);
  Atomics.notify(ctrl, ${DONE});
}
`;

export interface SimdPool {
  /** Threads a job runs on, this one included. */
  readonly size: number;
  /**
   * Calls export `fn` once per argument list, in parallel: one list (runs here), or exactly
   * `size` (an empty slice must be a valid call that does nothing). Returns when all are done.
   */
  run(fn: string, calls: readonly (readonly number[])[]): void;
}

/**
 * A pool of `size - 1` helpers running `module` on the shared `memory`; `main` is this
 * thread's instance's exports (whose names the helpers look functions up by).
 */
export function createSimdPool(module: object, memory: object, main: Record<string, unknown>, size: number): SimdPool {
  const names = Object.keys(main);
  const ctrl = new Int32Array(new SharedArrayBuffer((CLAIM + size) * 4));
  const args = new Float64Array(new SharedArrayBuffer(size * MAX_ARGS * 8));
  for (let slot = 1; slot < size; slot++) {
    const w = new Worker(HELPER, { eval: true, workerData: { module, memory, ctrlBuffer: ctrl.buffer, argsBuffer: args.buffer, names, slot, maxArgs: MAX_ARGS } });
    w.unref();
  }
  return {
    size,
    run(fn, calls) {
      if (calls.length === 0) return;
      const f = main[fn] as (...a: number[]) => void;
      if (calls.length === 1) return f(...calls[0]!);
      if (calls.length !== size) throw new Error(`SimdPool.run: ${calls.length} calls for a pool of ${size}`);
      const helpers = size - 1;
      Atomics.store(ctrl, FN, names.indexOf(fn));
      Atomics.store(ctrl, NARGS, calls[0]!.length);
      Atomics.store(ctrl, DONE, 0);
      Atomics.store(ctrl, FAILED, 0);
      Atomics.store(ctrl, SPIN, spinTuning.helperUs);
      for (let slot = 1; slot < size; slot++) calls[slot]!.forEach((v, i) => (args[slot * MAX_ARGS + i] = v));
      // Slices are claimable once the job is written (a helper still waking from an earlier
      // job may claim one before it sees this job's number).
      for (let slot = 1; slot < size; slot++) Atomics.store(ctrl, CLAIM + slot, 0);
      Atomics.add(ctrl, SEQ, 1);
      if (spinTuning.wake) Atomics.notify(ctrl, SEQ);
      f(...calls[0]!);
      // A helper that has not started its slice yet (asleep, or its core taken by something
      // else) would cost its wake-up or more: this thread runs that slice instead.
      for (let slot = 1; slot < size; slot++) {
        if (Atomics.compareExchange(ctrl, CLAIM + slot, 0, 2) !== 0) continue;
        f(...calls[slot]!);
        poolStats.stolen++;
        Atomics.add(ctrl, DONE, 1);
      }
      const t0 = performance.now();
      while (Atomics.load(ctrl, DONE) < helpers && performance.now() - t0 < spinTuning.mainUs / 1000) continue;
      for (let done = Atomics.load(ctrl, DONE); done < helpers; done = Atomics.load(ctrl, DONE)) {
        if (Atomics.wait(ctrl, DONE, done, 60_000) === 'timed-out') throw new Error('SIMD helper threads stopped responding (waited 60 s)');
      }
      if (Atomics.load(ctrl, FAILED)) throw new Error(`SIMD kernel ${fn} failed on a helper thread`);
    },
  };
}
