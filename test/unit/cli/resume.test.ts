import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layerlab } from '../../helpers/cli.js';
import { repoRoot } from '../../helpers/paths.js';

describe('layerlab train --resume', () => {
  it('continues a run whose process was killed mid-epoch, losing at most that epoch', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'll-kill-')), 'run');
    const args = ['train', 'templates/mlp.layerlab.json', '--dataset', 'synthetic-shapes', '--epochs', '3', '--batch-size', '20', '--limit-train', '400', '--limit-test', '100', '--backend', 'cpu', '--json', '--out', out];
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'layerlab.mjs'), ...args], { cwd: repoRoot });
    let buffer = '';
    const killedAt = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        buffer += d;
        for (const line of buffer.split('\n').slice(0, -1)) {
          const e = JSON.parse(line);
          if (e.type === 'batch' && e.epoch === 2 && e.batch === 5) {
            child.kill('SIGKILL');
            resolve(e.epoch);
          }
        }
        buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
      });
      child.on('exit', () => reject(new Error('the run ended before it could be killed')));
    });
    expect(killedAt).toBe(2);
    const r = await layerlab(['train', '--resume', out, '--json']);
    expect(r.code).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.filter((e) => e.type === 'epoch').map((e) => e.epoch)).toEqual([2, 3]);
    expect(events.at(-1)).toMatchObject({ type: 'done', epochs: 3 });
    expect(r.stderr).toMatch(/resumed after epoch 1/);
  });
});
