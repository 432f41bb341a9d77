/**
 * The preload runs in a sandboxed renderer. This bundles electron/preload.ts the way
 * scripts/build.mjs is asked to (CJS, electron external) and runs it in a stand-in sandbox.
 * (The built dist/electron/preload.cjs gets the same check in test/e2e/electron.test.ts.)
 */
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, test } from 'vitest';
import { expectSandboxSafe, runInFakeSandbox } from './fixtures/sandbox.js';

const root = path.resolve(import.meta.dirname, '../../..');

describe('preload in a sandboxed renderer', () => {
  test('electron/preload.ts bundled to CJS needs only electron and exposes only the bridge', async () => {
    const out = await build({ entryPoints: [path.join(root, 'electron/preload.ts')], bundle: true, platform: 'node', format: 'cjs', external: ['electron'], write: false, logLevel: 'silent' });
    await expectSandboxSafe(out.outputFiles[0]!.text);
  });

  test('the stand-in sandbox refuses what Electron refuses', () => {
    expect(() => runInFakeSandbox("require('node:path')")).toThrow('module not found: node:path');
    expect(() => runInFakeSandbox('module.exports = __filename;')).toThrow(ReferenceError);
    expect(() => runInFakeSandbox('module.exports = __dirname;')).toThrow(ReferenceError);
  });
});
