/**
 * Gives each test run its own temporary folder (TMPDIR, which os.tmpdir(), the CLI and
 * Chromium all follow) and deletes it afterwards, so the run directories, datasets and
 * exports that tests write never pile up in the system's /tmp.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-tests-'));
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(dir, { recursive: true, force: true });
  };
}
