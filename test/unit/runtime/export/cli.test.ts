/** `layerlab export` through the CLI's main(): every format, the default folder, the stderr note, the refusals. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { main, run } from '../../../../cli/main.js';
import { fixtureRun, template, type FixtureRun } from './fixture.js';

let lenet: FixtureRun;
beforeAll(async () => {
  lenet = await fixtureRun(template('lenet'), 31, 1);
});

function stderrOf(): { text: () => string } {
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return { text: () => spy.mock.calls.map((c) => String(c[0])).join('') };
}

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe('layerlab export', () => {
  test.each([
    ['tfjs', ['model.json', 'weights.bin'], /tf\.loadLayersModel/],
    ['safetensors', ['model.safetensors'], /<nodeId>\.<weight>/],
    ['pytorch', ['model.py', 'weights.npz'], /from model import load/],
    ['keras', ['model.py', 'weights.npz'], /from model import load/],
  ])('--format %s writes into RUN_DIR/export-%s by default and says how to load it', async (format, files, hint) => {
    const err = stderrOf();
    expect(await main(['export', lenet.dir, '--format', format])).toBe(0);
    const out = join(lenet.dir, `export-${format}`);
    expect(readdirSync(out).sort()).toEqual([...files].sort());
    expect(err.text()).toContain(join(out, files[0]!));
    expect(err.text()).toMatch(hint);
  });

  test('--out chooses the folder', async () => {
    stderrOf();
    const out = join(lenet.dir, 'elsewhere');
    expect(await main(['export', lenet.dir, '--format', 'safetensors', '--out', out])).toBe(0);
    expect(existsSync(join(out, 'model.safetensors'))).toBe(true);
  });

  test('an unknown format and a folder that is not a run exit 2 with the reason', async () => {
    const err = stderrOf();
    await run(['export', lenet.dir, '--format', 'onnx']);
    expect(process.exitCode).toBe(2);
    expect(err.text()).toMatch(/--format must be one of tfjs, safetensors, pytorch, keras \(got "onnx"\)/);
    await run(['export', join(lenet.dir, 'final'), '--format', 'pytorch']);
    expect(process.exitCode).toBe(2);
    expect(err.text()).toMatch(/is not a Layerlab run/);
  });
});
