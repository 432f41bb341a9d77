/**
 * The helper pool's hand-off (runtime/kernels/simdPool.ts): jobs posted while a helper still
 * watches for the next one, after it has gone to sleep, and with watching off, each run
 * every slice exactly once on the arguments of that job.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { simdPool } from '../../../../runtime/kernels/simdModule';
import { spinTuning } from '../../../../runtime/kernels/simdPool';
import { alloc, free, heapF32, offsetOf, type WasmBackend } from '../../../../runtime/kernels/wasmBackend';
import { ready, simdBuilt, tf } from './harness';

const ROWS = 64;
const saved = { ...spinTuning };

beforeAll(ready);
afterEach(() => Object.assign(spinTuning, saved));

/** Busy-waits `us` microseconds (the gap between two jobs). */
const pause = (us: number) => {
  const t0 = performance.now();
  while (performance.now() - t0 < us / 1000) continue;
};

describe('the SIMD helper pool', () => {
  const cases: [string, typeof spinTuning, (job: number) => number][] = [
    ['back to back, the helper watching', { helperUs: 1000, mainUs: 2000 }, () => 0],
    ['with gaps longer than the helper watches', { helperUs: 200, mainUs: 2000 }, (j) => (j % 3 === 0 ? 600 : 20)],
    ['with watching off (every hand-off sleeps)', { helperUs: 0, mainUs: 0 }, (j) => j % 50],
  ];
  it.for(cases)('runs each slice of each job once, on that job’s arguments: %s', ([, spin, gapUs], ctx) => {
    if (!simdBuilt()) return ctx.skip('skipped: dist/simd is not built (npm run build compiles it when clang and lld are installed)');
    const backend = tf.findBackend('wasm') as WasmBackend;
    const pool = simdPool(backend);
    expect(pool.size).toBe(2);
    Object.assign(spinTuning, spin);
    // Each job copies fresh rows into each slice's half of dst; a slice that ran twice, not at
    // all, or on the previous job's arguments leaves the wrong rows.
    const src = alloc(backend, [2 * ROWS, 4]);
    const dst = alloc(backend, [2 * ROWS, 4]);
    try {
      const at = (t: typeof src, row: number) => offsetOf(backend, t) + row * 16;
      for (let j = 0; j < 300; j++) {
        const s = heapF32(backend, src);
        for (let i = 0; i < s.length; i++) s[i] = j * 1000 + i;
        heapF32(backend, dst).fill(-1);
        const half = (j % 2) * (ROWS / 2); // alternate the rows each slice copies
        pool.run('copy_columns', [
          [at(src, half), at(dst, half), ROWS / 2, 4, 4],
          [at(src, ROWS + half), at(dst, ROWS + half), ROWS / 2, 4, 4],
        ]);
        const d = heapF32(backend, dst);
        for (const first of [half, ROWS + half]) {
          const rows = d.subarray(first * 4, (first + ROWS / 2) * 4);
          expect(rows[0]).toBe(j * 1000 + first * 4);
          expect(rows.every((v, i) => v === j * 1000 + first * 4 + i)).toBe(true);
        }
        expect(d.filter((v) => v === -1).length).toBe(ROWS * 4);
        pause(gapUs(j));
      }
    } finally {
      free(backend, src);
      free(backend, dst);
    }
  });
});
