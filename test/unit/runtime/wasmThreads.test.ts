import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { layerlab } from '../../helpers/cli.js';
import { template } from '../../helpers/paths.js';
import { tf } from './kernels/harness.js';
import { wasmThreadCount, wasmThreadsInUse, withWasmThreads } from '../../../runtime/wasmThreads.js';

describe('wasmThreadCount', () => {
  it('takes LAYERLAB_THREADS, else every core, capped at XNNPACK pool size 8', () => {
    expect(wasmThreadCount({ LAYERLAB_THREADS: '3' })).toBe(3);
    expect(wasmThreadCount({ LAYERLAB_THREADS: '64' })).toBe(8);
    expect(wasmThreadCount({})).toBe(Math.min(8, os.availableParallelism()));
    expect(wasmThreadCount({ LAYERLAB_THREADS: 'many' })).toBe(Math.min(8, os.availableParallelism()));
  });
});

describe('the threaded WASM build under Node', () => {
  it('starts on two threads, computes what the CPU backend computes, and restores the globals it borrowed', async () => {
    const cpus = os.cpus;
    await tf.setBackend('cpu');
    const a = tf.randomUniform([96, 130], -1, 1, 'float32', 1);
    const b = tf.randomUniform([130, 70], -1, 1, 'float32', 2);
    const ref = tf.matMul(a, b).dataSync();
    const av = a.dataSync().slice();
    const bv = b.dataSync().slice();
    await withWasmThreads(2, () => tf.setBackend('wasm'));
    expect(tf.getBackend()).toBe('wasm');
    expect(wasmThreadsInUse()).toBe(2);
    const got = tf.matMul(tf.tensor2d(av, [96, 130]), tf.tensor2d(bv, [130, 70])).dataSync();
    let err = 0;
    for (let i = 0; i < ref.length; i++) err = Math.max(err, Math.abs(got[i]! - ref[i]!));
    expect(err).toBeLessThan(1e-4);
    expect(os.cpus).toBe(cpus);
    expect('Worker' in globalThis).toBe(false);
  });

  // Two processes: the thread count is fixed once WASM starts. One thread runs the plain SIMD
  // build (and our kernels' plain-memory module), two the threaded one (shared memory).
  it.each([1, 2])('lets `layerlab train --threads %i` train and exit by itself (pool threads do not hold Node open)', async (threads) => {
    const r = await layerlab(['train', template('mlp'), '--dataset', 'synthetic-shapes', '--epochs', '1', '--limit-train', '256', '--limit-test', '64', '--backend', 'wasm', '--threads', String(threads), '--json', '--out', `${os.tmpdir()}/layerlab-threads-${process.pid}-${threads}`]);
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(events.find((e) => e.type === 'start')).toMatchObject({ backend: 'wasm', threads });
    const epoch = events.find((e) => e.type === 'epoch');
    expect(Number.isFinite(epoch.trainLoss)).toBe(true);
  }, 120_000);

  it('gives our kernels the threads and XNNPACK one when our SIMD module is built (its woken workers cost more than they give)', () => {
    const probe = fileURLToPath(new URL('../../helpers/threadsProbe.mts', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', 'tsx', probe], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(got.threads).toBe(2);
    expect(got).toEqual(got.built ? { threads: 2, xnnpack: 1, built: true, pool: 2 } : { threads: 2, xnnpack: 2, built: false, pool: 0 });
  }, 60_000);
});
