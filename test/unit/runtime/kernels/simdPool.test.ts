/**
 * The helper pool's hand-off (runtime/kernels/simdPool.ts): jobs posted while a helper still
 * watches for the next one, after it has gone to sleep, with watching off (the helper and
 * this thread race for each helper slice), and with the helper never woken (this thread takes
 * every slice over), each run every slice exactly once on the arguments of that job.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { simdPool } from '../../../../runtime/kernels/simdModule';
import { poolStats, spinTuning } from '../../../../runtime/kernels/simdPool';
import { alloc, free, heapF32, offsetOf, type WasmBackend } from '../../../../runtime/kernels/wasmBackend';
import { ready, simdBuilt, tf } from './harness';

const ROWS = 64; // elements: 2 · ROWS · 4
const saved = { ...spinTuning };

beforeAll(ready);
afterEach(() => Object.assign(spinTuning, saved));

/** Busy-waits `us` microseconds (the gap between two jobs). */
const pause = (us: number) => {
  const t0 = performance.now();
  while (performance.now() - t0 < us / 1000) continue;
};

describe('the SIMD helper pool', () => {
  const cases: [string, typeof spinTuning, (job: number) => number, boolean][] = [
    ['back to back, the helper watching', { helperUs: 1000, mainUs: 2000, wake: true }, () => 0, false],
    ['with gaps longer than the helper watches', { helperUs: 200, mainUs: 2000, wake: true }, (j) => (j % 3 === 0 ? 600 : 20), false],
    // Who wins each race is the scheduler's call: under load a woken helper can preempt this thread.
    ['with watching off (every hand-off sleeps; the helper and this thread race for its slice)', { helperUs: 0, mainUs: 0, wake: true }, (j) => j % 50, false],
    // The helper, once asleep, is never woken: this thread must take over every slice after the first.
    ['with the sleeping helper never woken (this thread takes over its slices)', { helperUs: 0, mainUs: 0, wake: false }, () => 0, true],
  ];
  it.for(cases)('runs each slice of each job once, on that job’s arguments: %s', ([, spin, gapUs, steals], ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built (npm run build compiles it when clang and lld are installed)');
    const backend = tf.findBackend('wasm') as WasmBackend;
    const pool = simdPool(backend);
    expect(pool.size).toBe(2);
    Object.assign(spinTuning, spin);
    const stolen = poolStats.stolen;
    // Each job adds 1 to every element in place (sgd_step with c = 1, g = 1), each slice to its
    // half: a slice that ran twice, not at all, or on another job's arguments leaves a count
    // other than the job's.
    const n = 2 * ROWS * 4;
    const w = alloc(backend, [n]);
    const g = alloc(backend, [n]);
    try {
      heapF32(backend, w).fill(0);
      heapF32(backend, g).fill(1);
      const at = (t: typeof w, i: number) => offsetOf(backend, t) + 4 * i;
      for (let j = 0; j < 300; j++) {
        const halves = [0, n / 2].map((i) => [at(w, i), at(g, i), at(w, i), n / 2, 1]);
        pool.run('sgd_step', j % 2 ? halves.reverse() : halves); // the helper's half alternates
        const v = heapF32(backend, w);
        expect([v[0], v[n / 2 - 1], v[n / 2], v[n - 1]]).toEqual([j + 1, j + 1, j + 1, j + 1]);
        pause(gapUs(j));
      }
      expect(heapF32(backend, w).every((x) => x === 300)).toBe(true);
    } finally {
      free(backend, w);
      free(backend, g);
    }
    if (steals) expect(poolStats.stolen - stolen).toBeGreaterThanOrEqual(299);
  });
});
