/**
 * The desktop app end to end. Where the Electron binary exists: launches `electron .`
 * through playwright-core and checks the security model from the page's side (bridge only,
 * no Node, CSP header, traversal refused, navigation and popups blocked) and that LeNet
 * opens with its shapes. Without the binary (it cannot be downloaded on every machine) those
 * tests are skipped and their names say why. Everywhere: the built backend bundle
 * (dist/electron/utility.cjs) runs under Node with a stand-in `process.parentPort` and trains,
 * and the built renderer runs in Chromium on the desktop path: served with the app's headers
 * by the protocol module, talking through the real preload bridge to main's invoke handler and
 * the backend host (only Electron's IPC pipe is replaced).
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { _electron, type Browser, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { API_METHODS } from '../../contracts/api.js';
import { BackendConnection } from '../../electron/common/backendConnection.js';
import { serveBackend } from '../../electron/common/backendHost.js';
import { eventChannel, isAllowedMethod } from '../../electron/common/channels.js';
import { APP_CSP, appResponseHeaders } from '../../electron/common/csp.js';
import { handleInvoke } from '../../electron/common/invokeHandler.js';
import { APP_ENTRY_URL } from '../../electron/common/origin.js';
import { resolveAppRequest } from '../../electron/common/protocolPath.js';
import { createService } from '../../runtime/service.js';
import { expectSandboxSafe } from '../unit/electron/fixtures/sandbox.js';
import { datasetsDir, launchBrowser, repoRoot, screenshot, watchErrors } from './harness.js';

const electronDir = path.join(repoRoot, 'node_modules/electron');
const pathTxt = path.join(electronDir, 'path.txt');
const hasElectron = existsSync(path.join(electronDir, 'dist')) && existsSync(pathTxt);
// Electron, unlike headless Chromium, needs a display server on Linux.
const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const SKIP_REASON = !hasElectron
  ? 'skipped: Electron binary not installed: node_modules/electron/dist missing'
  : !hasDisplay
    ? 'skipped: no display for Electron: set DISPLAY or run under xvfb-run'
    : undefined;
const named = (title: string): string => (SKIP_REASON ? `${title} (${SKIP_REASON})` : title);
if (SKIP_REASON) console.warn(`[e2e electron] ${SKIP_REASON}${hasElectron ? '' : '; run `node node_modules/electron/install.js` where downloads work'}.`);

type MainGlobals = typeof globalThis & { __layerlabNavigations?: string[] };

let app: ElectronApplication;
let page: Page;
let userData: string;

describe.skipIf(SKIP_REASON !== undefined)('desktop app (Electron)', () => {
  beforeAll(async () => {
    for (const f of ['dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/electron/utility.cjs', 'dist/renderer/index.html'])
      if (!existsSync(path.join(repoRoot, f))) throw new Error(`${f} is missing: run \`npm run build\` before the e2e tests`);
    userData = mkdtempSync(path.join(tmpdir(), 'layerlab-electron-'));
    app = await _electron.launch({
      executablePath: path.join(electronDir, 'dist', readFileSync(pathTxt, 'utf8').trim()),
      args: ['.', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      cwd: repoRoot,
      env: { ...process.env, LAYERLAB_USER_DATA_DIR: userData, LAYERLAB_DATA_DIR: datasetsDir } as Record<string, string>,
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  afterAll(async () => {
    await app?.close();
    if (userData) rmSync(userData, { recursive: true, force: true });
  });

  test(named('the window is titled Layerlab and shows the app origin'), async () => {
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle())).toMatch(/Layerlab/);
    expect(page.url()).toBe(APP_ENTRY_URL);
  });

  test(named('the page sees window.layerlab and no Node'), async () => {
    const seen = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      return {
        bridge: Object.keys((w.layerlab ?? {}) as object).sort(),
        require: typeof w.require,
        process: typeof w.process,
        module: typeof w.module,
        Buffer: typeof w.Buffer,
      };
    });
    expect(seen).toEqual({ bridge: ['invoke', 'on'], require: 'undefined', process: 'undefined', module: 'undefined', Buffer: 'undefined' });
  });

  test(named('the bridge relays to the backend and refuses what is not on the allowlist'), async () => {
    const result = await page.evaluate(async () => {
      const api = (window as unknown as { layerlab: { invoke(m: string, r: unknown): Promise<unknown> } }).layerlab;
      const info = await api.invoke('app.info', {});
      const refused = await api.invoke('fs.read', {}).then(
        () => 'resolved',
        (e: Error) => e.message,
      );
      const invalid = await api.invoke('templates.get', { id: '../../etc/passwd' }).then(
        () => 'resolved',
        (e: Error) => e.message,
      );
      return { info, refused, invalid };
    });
    expect(result.info).toEqual({ version: expect.any(String) });
    expect(result.refused).toMatch(/Unknown API method "fs.read"/);
    expect(result.invalid).toMatch(/^Invalid request for templates\.get: id:/);
  });

  test(named('app responses carry the CSP and traversal is refused'), async () => {
    const r = await page.evaluate(async () => {
      const index = await fetch('./index.html');
      const escape = await fetch('./%2e%2e%2fpackage.json');
      return { csp: index.headers.get('content-security-policy'), escape: escape.status };
    });
    expect(r.csp).toBe(APP_CSP);
    expect(r.escape).toBe(403);
  });

  test(named('navigation off the app origin and new windows are blocked'), async () => {
    await app.evaluate(({ BrowserWindow }) => {
      const g = globalThis as MainGlobals;
      g.__layerlabNavigations = [];
      BrowserWindow.getAllWindows()[0]!.webContents.on('will-navigate', (_e, url) => g.__layerlabNavigations!.push(url));
    });
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await expect.poll(() => app.evaluate(() => (globalThis as MainGlobals).__layerlabNavigations)).toContain('https://example.com/');
    expect(page.url()).toBe(APP_ENTRY_URL);
    expect(await page.evaluate(() => typeof (window as unknown as { layerlab?: unknown }).layerlab)).toBe('object');

    expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
    expect(app.windows()).toHaveLength(1);
  });

  test(named('the LeNet template loads with shape labels'), async () => {
    await page.selectOption('[data-testid=template-picker]', 'lenet');
    await page.waitForSelector('[data-testid=edge-label-conv1-pool1]');
    expect(await page.textContent('[data-testid=edge-label-input-conv1]')).toBe('28×28×1');
    expect(await page.textContent('[data-testid=edge-label-flatten-fc1]')).toBe('400');
    expect(await page.getByTestId('node-conv1').getByTestId('node-shape').textContent()).toBe('28×28×6');
  });
});


describe('backend bundle (dist/electron/utility.cjs under Node, stand-in parentPort)', () => {
  const bundle = path.join(repoRoot, 'dist/electron/utility.cjs');
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill();
  });

  test('answers the relay protocol and streams a one-epoch training run', async () => {
    if (!existsSync(bundle)) throw new Error('dist/electron/utility.cjs is missing: run `npm run build` before the e2e tests');
    const runsDir = mkdtempSync(path.join(tmpdir(), 'layerlab-utility-'));
    const proc = fork(bundle, [], {
      execArgv: ['-r', path.join(repoRoot, 'test/unit/electron/fixtures/fakeParentPort.cjs')],
      serialization: 'advanced', // structured clone, as Electron's parentPort uses
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child = proc;
    const messages: Record<string, unknown>[] = [];
    const exited = new Promise<number | null>((resolve) => proc.on('exit', resolve));
    const finished = new Promise<void>((resolve) =>
      proc.on('message', (m: Record<string, unknown>) => {
        messages.push(m);
        const ev = (m.payload as { event?: { type?: string } } | undefined)?.event;
        if (m.type === 'event' && (ev?.type === 'done' || ev?.type === 'error')) resolve();
      }),
    );
    const mlp: unknown = JSON.parse(readFileSync(path.join(repoRoot, 'templates/mlp.layerlab.json'), 'utf8'));
    proc.send({ type: 'init', options: { templatesDir: path.join(repoRoot, 'templates'), runsDir, dataDir: datasetsDir } });
    proc.send({ type: 'request', id: 1, method: 'templates.list', params: {} });
    proc.send({ type: 'request', id: 2, method: 'train.start', params: { document: mlp, config: { dataset: 'synthetic-shapes', epochs: 1, batchSize: 64, limitTrain: 256, limitTest: 128 } } });
    await finished;
    proc.send({ type: 'dispose' });
    expect(await exited).toBe(0);
    rmSync(runsDir, { recursive: true, force: true });

    expect(messages[0]).toEqual({ type: 'ready' });
    const list = messages.find((m) => m.type === 'result' && m.id === 1)?.value as { id: string }[];
    expect(list.map((t) => t.id)).toContain('lenet');
    const runId = (messages.find((m) => m.type === 'result' && m.id === 2)?.value as { runId: string }).runId;
    const types = messages.filter((m) => m.type === 'event' && (m.payload as { runId: string }).runId === runId).map((m) => (m.payload as { event: { type: string } }).event.type);
    expect(types.filter((t) => ['start', 'epoch', 'done', 'error'].includes(t))).toEqual(['start', 'epoch', 'done']);
    expect(messages.at(-1)).toEqual({ type: 'disposed' });
  });
});

describe('renderer on the desktop path (Chromium standing in for Electron)', () => {
  const ORIGIN = 'https://layerlab.test';
  const rendererDir = path.join(repoRoot, 'dist/renderer');
  let browser: Browser;
  let page: Page;
  let conn: BackendConnection;
  let runsDir: string;
  let errors: string[];
  const sockets: string[] = [];

  beforeAll(async () => {
    if (!existsSync(path.join(rendererDir, 'index.html'))) throw new Error('dist/renderer/index.html is missing: run `npm run build` before the e2e tests');
    runsDir = mkdtempSync(path.join(tmpdir(), 'layerlab-desktop-path-'));
    // Main's backend supervisor over the backend host and the real service, in this process.
    conn = new BackendConnection({
      spawn: ({ onMessage, onExit }) => {
        let toBackend: (raw: unknown) => void = () => {};
        serveBackend({ post: (m) => queueMicrotask(() => onMessage(structuredClone(m))), onMessage: (l) => (toBackend = l), exit: onExit, log: () => {} }, createService);
        return { post: (m) => toBackend(structuredClone(m)), kill: () => onExit(-1) };
      },
      backendOptions: { templatesDir: path.join(repoRoot, 'templates'), dataDir: datasetsDir, runsDir },
      timeoutMs: () => 60_000,
      onEvent: (event, payload) => void page?.evaluate(([ch, p]) => (window as unknown as { __ipcEmit(c: unknown, p: unknown): void }).__ipcEmit(ch, p), [eventChannel(event), payload] as const).catch(() => {}),
    });
    // The preload's bridge, bundled from source, over a stand-in for ipcRenderer.
    const bridge = await build({ entryPoints: [path.join(repoRoot, 'electron/common/bridge.ts')], bundle: true, format: 'iife', globalName: '__layerlabBridge', platform: 'browser', write: false, logLevel: 'silent' });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.route(`${ORIGIN}/**`, async (route) => {
      const r = resolveAppRequest(rendererDir, `app://layerlab${new URL(route.request().url()).pathname}`);
      if (r.kind === 'refused') return route.fulfill({ status: r.status, body: r.reason });
      if (!existsSync(r.filePath)) return route.fulfill({ status: 404, body: 'not found' });
      return route.fulfill({ status: 200, headers: appResponseHeaders(r.mimeType), body: readFileSync(r.filePath) });
    });
    page = await context.newPage();
    errors = watchErrors(page);
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.exposeFunction('__ipcInvoke', (channel: string, arg: unknown) => {
      const method = channel.replace(/^layerlab:invoke:/, '');
      if (!isAllowedMethod(method)) return { ok: false, error: `no handler for ${channel}` };
      return handleInvoke(method, { frameUrl: APP_ENTRY_URL, fromMainWindow: true, isTopFrame: true }, arg, { relay: (m, p) => conn.invoke(m, p) });
    });
    await page.addInitScript(`${bridge.outputFiles[0]!.text}
      (() => {
        const listeners = new Map();
        const ipc = {
          invoke: (channel, arg) => window.__ipcInvoke(channel, arg),
          on: (channel, l) => listeners.set(channel, [...(listeners.get(channel) || []), l]),
          removeListener: (channel, l) => listeners.set(channel, (listeners.get(channel) || []).filter((x) => x !== l)),
        };
        window.__ipcEmit = (channel, payload) => (listeners.get(channel) || []).forEach((l) => l({}, payload));
        Object.defineProperty(window, 'layerlab', { value: __layerlabBridge.createBridge(ipc) });
      })();`);
    await page.goto(`${ORIGIN}/index.html`);
  });

  afterAll(async () => {
    await browser?.close();
    await conn?.stop();
    if (runsDir) rmSync(runsDir, { recursive: true, force: true });
  });

  test('LeNet opens through the bridge with a shape on its edges, under the app CSP', async () => {
    await page.selectOption('[data-testid=template-picker]', 'lenet');
    await page.waitForSelector('[data-testid=edge-label-conv1-pool1]');
    expect(await page.textContent('[data-testid=edge-label-input-conv1]')).toBe('28×28×1');
    expect(await page.textContent('[data-testid=edge-label-pool2-flatten]')).toBe('5×5×16');
    expect(await page.getByTestId('node-conv1').getByTestId('node-shape').textContent()).toBe('28×28×6');
    expect(await page.textContent('[data-testid=connection]')).toBe('Connected');
    expect(sockets).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('training streams its events back through the bridge', async () => {
    // The MLP keeps this about the transport: LeNet's kernels are the runtime's tests' business.
    await page.selectOption('[data-testid=template-picker]', 'mlp');
    await page.waitForFunction(() => document.querySelector('[data-testid=doc-name]')?.textContent !== 'LeNet-5');
    await page.waitForSelector('[data-testid=train-dataset] option[value=synthetic-shapes]', { state: 'attached' });
    await page.selectOption('[data-testid=train-dataset]', 'synthetic-shapes');
    await page.fill('[data-testid=train-epochs]', '1');
    await page.fill('[data-testid=train-batchSize]', '64');
    await page.fill('[data-testid=train-limitTrain]', '256');
    await page.click('[data-testid=train-start]');
    await page.waitForFunction(() => ['Done', 'Failed', 'Stopped'].includes(document.querySelector('[data-testid=train-status]')?.textContent ?? ''), null, { timeout: 120_000 });
    await screenshot(page, 'electron-desktop-path-trained');
    const message = await page.getByTestId('train-message').textContent({ timeout: 1000 }).catch(() => '');
    expect(await page.textContent('[data-testid=train-status]'), `run failed: ${message}`).toBe('Done');
    // 256 examples in batches of 64: 4 batch events, 1 epoch.
    expect(Number(await page.getByTestId('loss-chart').getAttribute('data-loss-points'))).toBe(4);
    expect(Number(await page.getByTestId('loss-chart').getAttribute('data-epoch-points'))).toBe(1);
    expect(sockets).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('built Electron bundles (dist/electron)', () => {
  const built = (f: string): string => {
    const file = path.join(repoRoot, 'dist/electron', f);
    if (!existsSync(file)) throw new Error(`dist/electron/${f} is missing: run \`npm run build\` before the e2e tests`);
    return file;
  };

  test('preload.cjs runs in a sandboxed renderer and exposes only the bridge', async () => {
    const source = readFileSync(built('preload.cjs'), 'utf8');
    // Sandboxed preloads have no __filename/__dirname: a banner that reads them (an import.meta.url shim) kills the preload.
    expect(source, 'build the preload without the import.meta.url banner').not.toMatch(/\b__(filename|dirname)\b/);
    await expectSandboxSafe(source);
  });

  test('main.cjs starts against a stand-in electron: scheme, sandbox, handlers, window, app URL', () => {
    const out = execFileSync(process.execPath, ['-r', path.join(repoRoot, 'test/unit/electron/fixtures/fakeElectron.cjs'), built('main.cjs')], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });
    const calls = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { call: string; args: unknown[] });
    const names = calls.map((c) => c.call);
    expect(names.slice(0, 2)).toEqual(['registerSchemesAsPrivileged', 'enableSandbox']);
    expect(names).not.toContain('exit');
    expect(names.filter((n) => n === 'ipcMain.handle')).toHaveLength(API_METHODS.length);
    const win = calls.find((c) => c.call === 'BrowserWindow')!.args[0] as { webPreferences: { preload: string; sandbox: boolean; contextIsolation: boolean } };
    expect(win.webPreferences).toMatchObject({ preload: path.join(repoRoot, 'dist/electron/preload.cjs'), sandbox: true, contextIsolation: true });
    expect(calls.find((c) => c.call === 'loadURL')?.args).toEqual([APP_ENTRY_URL]);
  });
});
