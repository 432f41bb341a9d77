/** Runs the built `layerlab` command as a user would, capturing its output. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, sharedDatasets } from './paths.js';

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function layerlab(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'layerlab.mjs'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, LAYERLAB_DATA_DIR: sharedDatasets, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
