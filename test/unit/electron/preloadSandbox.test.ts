/**
 * The preload runs in a sandboxed renderer: no `__filename`, no `__dirname`, and `require`
 * knows only `electron` and a few polyfills. These tests run the bundled preload the way
 * Electron's sandbox does (a function of require, process, Buffer, global, setImmediate,
 * clearImmediate, exports, module) with a fake `electron`, and check what it exposes.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, test } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
/** What Electron 45's sandboxed preload `require` resolves; anything else is "module not found". */
const SANDBOX_MODULES = new Set(['electron', 'electron/common', 'electron/renderer', 'events', 'timers', 'url', 'node:events', 'node:timers', 'node:url']);

interface Exposed {
  readonly key: string;
  readonly api: Record<string, (...a: unknown[]) => unknown>;
}

function runInFakeSandbox(source: string) {
  const exposed: Exposed[] = [];
  const invoked: [string, unknown][] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Exposed['api']) => exposed.push({ key, api }) },
    ipcRenderer: {
      invoke: async (channel: string, arg: unknown) => {
        invoked.push([channel, arg]);
        return { ok: true, value: 'pong' };
      },
      on: () => {},
      removeListener: () => {},
    },
  };
  const sandboxRequire = (id: string): unknown => {
    if (!SANDBOX_MODULES.has(id)) throw new Error(`module not found: ${id}`);
    if (id === 'electron' || id === 'electron/renderer') return electron;
    throw new Error(`the fake sandbox does not provide ${id}; the preload should not need it`);
  };
  const module = { exports: {} };
  const run = new Function('require', 'process', 'Buffer', 'global', 'setImmediate', 'clearImmediate', 'exports', 'module', source);
  run(sandboxRequire, { env: {} }, undefined, globalThis, setImmediate, clearImmediate, module.exports, module);
  return { exposed, invoked };
}

async function expectSandboxSafe(source: string) {
  const { exposed, invoked } = runInFakeSandbox(source);
  expect(exposed.map((e) => e.key)).toEqual(['layerlab']);
  const api = exposed[0]!.api;
  expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
  await expect(api.invoke!('app.info', {})).resolves.toBe('pong');
  expect(invoked).toEqual([['layerlab:invoke:app.info', {}]]);
}

describe('preload in a sandboxed renderer', () => {
  test('electron/preload.ts bundled to CJS needs only electron and exposes only the bridge', async () => {
    const out = await build({ entryPoints: [path.join(root, 'electron/preload.ts')], bundle: true, platform: 'node', format: 'cjs', external: ['electron'], write: false, logLevel: 'silent' });
    await expectSandboxSafe(out.outputFiles[0]!.text);
  });

  const built = path.join(root, 'dist/electron/preload.cjs');
  test.skipIf(!existsSync(built))(`the built ${existsSync(built) ? '' : '(skipped: not built) '}dist/electron/preload.cjs runs in the sandbox`, async () => {
    const source = readFileSync(built, 'utf8');
    // A banner that reads __filename (e.g. an import.meta.url shim) throws here, as it would in Electron.
    expect(source, 'the preload bundle must not reference __filename/__dirname: sandboxed preloads have neither; build it without the import.meta.url banner').not.toMatch(/\b__(filename|dirname)\b/);
    await expectSandboxSafe(source);
  });
});
