/**
 * electron/main.ts against a fake `electron` module: the wiring that cannot run here without
 * the Electron binary. Checks the order of startup calls, the window's webPreferences, that
 * every API method has a handler that checks its sender, the protocol handler's headers and
 * refusals, and that backend events reach the window on their allowlisted channel.
 */
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { API_METHODS } from '../../../contracts/api.js';
import { APP_CSP } from '../../../electron/common/csp.js';
import { APP_ENTRY_URL } from '../../../electron/common/origin.js';

const fake = vi.hoisted(() => {
  const order: string[] = [];
  const handlers = new Map<string, (event: unknown, req: unknown) => Promise<unknown>>();
  const windows: unknown[] = [];
  const children: { posted: unknown[]; emitter: import('node:events').EventEmitter }[] = [];
  let readyResolve: () => void = () => {};
  const ready = new Promise<void>((r) => (readyResolve = r));
  let protocolHandler: ((req: Request) => Promise<Response>) | undefined;
  const appEvents = new Map<string, ((...a: unknown[]) => void)[]>();
  return { order, handlers, windows, children, ready, readyResolve: () => readyResolve(), getProtocol: () => protocolHandler, setProtocol: (h: typeof protocolHandler) => (protocolHandler = h), appEvents };
});

vi.mock('electron', async () => {
  const { EventEmitter: EE } = await import('node:events');
  class BrowserWindow extends EE {
    options: Record<string, unknown>;
    loaded: string[] = [];
    webContents: Record<string, unknown>;
    constructor(options: Record<string, unknown>) {
      super();
      fake.order.push('BrowserWindow');
      this.options = options;
      const mainFrame = { url: APP_ENTRY_URL, parent: null, processId: 4, routingId: 1 };
      const sent: unknown[][] = [];
      this.webContents = { mainFrame, sent, send: (...a: unknown[]) => sent.push(a) };
      fake.windows.push(this);
    }
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
  }
  const app = {
    setPath: vi.fn(),
    enableSandbox: () => fake.order.push('enableSandbox'),
    requestSingleInstanceLock: () => true,
    on: (name: string, fn: (...a: unknown[]) => void) => fake.appEvents.set(name, [...(fake.appEvents.get(name) ?? []), fn]),
    whenReady: () => fake.ready,
    getPath: () => '/fake/userData',
    getAppPath: () => '/fake/app',
    getVersion: () => '0.0.0-test',
    isPackaged: false,
    quit: vi.fn(),
    exit: vi.fn(),
  };
  return {
    app,
    BrowserWindow,
    dialog: { showMessageBox: vi.fn() },
    nativeTheme: { shouldUseDarkColors: false },
    ipcMain: { handle: (channel: string, fn: never) => fake.handlers.set(channel, fn) },
    Menu: { buildFromTemplate: (t: unknown) => ({ t }), setApplicationMenu: () => fake.order.push('setApplicationMenu') },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown) => fake.order.push(`registerSchemesAsPrivileged:${JSON.stringify(schemes)}`),
      handle: (scheme: string, fn: never) => {
        fake.order.push(`protocol.handle:${scheme}`);
        fake.setProtocol(fn);
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => fake.order.push('setPermissionRequestHandler'),
        setPermissionCheckHandler: () => fake.order.push('setPermissionCheckHandler'),
        setDevicePermissionHandler: () => {},
        webRequest: { onBeforeRequest: () => fake.order.push('webRequest.onBeforeRequest') },
      },
    },
    utilityProcess: {
      fork: () => {
        const emitter = new EE();
        const child = { posted: [] as unknown[], emitter };
        fake.children.push(child);
        return Object.assign(emitter, { postMessage: (m: unknown) => child.posted.push(m), kill: vi.fn() });
      },
    },
  };
});

beforeAll(async () => {
  await import('../../../electron/main.js');
  fake.readyResolve();
  await fake.ready;
  await new Promise((r) => setImmediate(r));
});
afterAll(() => {
  vi.doUnmock('electron');
});

const win = () => fake.windows[0] as unknown as { options: { webPreferences: Record<string, unknown> }; loaded: string[]; webContents: { mainFrame: Record<string, unknown>; sent: unknown[][] } };
const trustedEvent = () => ({ sender: win().webContents, senderFrame: win().webContents.mainFrame });

describe('electron/main.ts wiring', () => {
  test('registers the privileged scheme and the sandbox before ready, then hardens the session before any window', () => {
    expect(fake.order[0]).toMatch(/^registerSchemesAsPrivileged:.*"scheme":"app".*"standard":true.*"secure":true/);
    expect(fake.order[1]).toBe('enableSandbox');
    const firstWindow = fake.order.indexOf('BrowserWindow');
    for (const step of ['setPermissionRequestHandler', 'webRequest.onBeforeRequest', 'protocol.handle:app']) expect(fake.order.indexOf(step)).toBeLessThan(firstWindow);
    expect(fake.appEvents.has('web-contents-created')).toBe(true);
  });

  test('creates one window with secure webPreferences and loads the app origin', () => {
    expect(fake.windows).toHaveLength(1);
    expect(win().options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(String(win().options.webPreferences.preload)).toMatch(/preload\.cjs$/);
    expect(win().loaded).toEqual([APP_ENTRY_URL]);
  });

  test('handles exactly one channel per API method', () => {
    expect([...fake.handlers.keys()].sort()).toEqual(API_METHODS.map((m) => `layerlab:invoke:${m}`).sort());
  });

  test('refuses a request from a frame that is not the main window top frame, without starting the backend', async () => {
    const handler = fake.handlers.get('layerlab:invoke:app.info')!;
    const iframe = { ...win().webContents.mainFrame, parent: win().webContents.mainFrame, routingId: 9 };
    expect(await handler({ sender: win().webContents, senderFrame: iframe }, {})).toMatchObject({ ok: false, error: expect.stringMatching(/sub-frame/) });
    expect(await handler({ sender: {}, senderFrame: win().webContents.mainFrame }, {})).toMatchObject({ ok: false, error: expect.stringMatching(/main window/) });
    expect(await handler({ sender: win().webContents, senderFrame: null }, {})).toMatchObject({ ok: false });
    expect(fake.children).toHaveLength(0);
  });

  test('relays a trusted request to the utility process and returns its answer', async () => {
    const pending = fake.handlers.get('layerlab:invoke:templates.get')!(trustedEvent(), { id: 'lenet' });
    expect(fake.children).toHaveLength(1);
    const child = fake.children[0]!;
    expect(child.posted[0]).toEqual({ type: 'init', options: { templatesDir: '/fake/app/templates', dataDir: expect.any(String), runsDir: '/fake/userData/runs' } });
    const req = child.posted[1] as { id: number; method: string; params: unknown };
    expect(req).toMatchObject({ type: 'request', method: 'templates.get', params: { id: 'lenet' } });
    child.emitter.emit('message', { type: 'result', id: req.id, value: { name: 'LeNet-5' } });
    await expect(pending).resolves.toEqual({ ok: true, value: { name: 'LeNet-5' } });
  });

  test('forwards backend events to the window on the allowlisted channel only', () => {
    const child = fake.children[0]!;
    child.emitter.emit('message', { type: 'event', event: 'train.event', payload: { runId: 'r', event: { type: 'log', message: 'x' } } });
    child.emitter.emit('message', { type: 'event', event: 'shell.openExternal', payload: 'https://evil.example' });
    expect(win().webContents.sent).toEqual([['layerlab:event:train.event', { runId: 'r', event: { type: 'log', message: 'x' } }]]);
  });

  test('serves the renderer with the CSP and refuses traversal', async () => {
    const handle = fake.getProtocol()!;
    const ok = await handle(new Request('app://layerlab/index.html'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toBe(APP_CSP);
    expect((await handle(new Request('app://layerlab/..%2f..%2fpackage.json'))).status).toBe(403);
    expect((await handle(new Request('app://layerlab/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
    expect((await handle(new Request('app://layerlab/no-such-file.js'))).status).toBe(404);
  });
});
