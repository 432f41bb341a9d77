/**
 * Electron main: owns the window, the menu and the backend utility process, and nothing
 * else. It never runs training or touches the graph: each renderer request is checked
 * (sender, allowlist, schema) and relayed to the backend; the backend's events are
 * relayed back. See docs/electron.md for the security model.
 */
import path from 'node:path';
import { BrowserWindow, Menu, app, dialog, ipcMain, session, type IpcMainInvokeEvent } from 'electron';
import type { ApiEventName } from '../contracts/api.js';
import { BackendConnection, defaultTimeoutMs } from './common/backendConnection.js';
import { ALLOWED_EVENTS, ALLOWED_METHODS, eventChannel, invokeChannel, isAllowedEvent } from './common/channels.js';
import { handleInvoke } from './common/invokeHandler.js';
import { buildMenuTemplate, type MenuAction } from './common/menu.js';
import type { SenderInfo } from './common/origin.js';
import { backendOptions, bundlePaths } from './common/paths.js';
import { utilitySpawner } from './main/backend.js';
import { registerAppScheme, serveApp } from './main/protocol.js';
import { createMainWindow, hardenSession, hardenWebContents } from './main/window.js';

const log = (m: string): void => console.warn(`[layerlab] ${m}`);
const bundles = bundlePaths(__dirname);
/** File menu actions go to the renderer as the `menu.action` event, when the allowlist has it. */
const menuEventAllowed = ALLOWED_EVENTS.includes('menu.action');

// Tests and portable setups point userData elsewhere; must happen before `ready`.
if (process.env.LAYERLAB_USER_DATA_DIR) app.setPath('userData', path.resolve(process.env.LAYERLAB_USER_DATA_DIR));

registerAppScheme();
app.enableSandbox();

let mainWindow: BrowserWindow | undefined;
let backend: BackendConnection | undefined;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, log));
  app
    .whenReady()
    .then(start)
    .catch((e: unknown) => {
      log(`failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      app.exit(1);
    });
}

function start(): void {
  hardenSession(session.defaultSession, log);
  serveApp(bundles.rendererDir, log);

  backend = new BackendConnection({
    spawn: utilitySpawner(bundles.utility, log),
    backendOptions: backendOptions({
      env: process.env,
      userData: app.getPath('userData'),
      appPath: app.getAppPath(),
      resourcesPath: process.resourcesPath,
      isPackaged: app.isPackaged,
    }),
    timeoutMs: defaultTimeoutMs,
    onEvent: sendToRenderer,
    log,
  });

  for (const method of ALLOWED_METHODS) {
    ipcMain.handle(invokeChannel(method), (event, req: unknown) => handleInvoke(method, describeSender(event), req, { relay: (m, params) => backend!.invoke(m, params), log }));
  }

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({
        isDev: !app.isPackaged,
        platform: process.platform,
        actionsEnabled: menuEventAllowed,
        onAction: sendMenuAction,
        onAbout: () => void dialog.showMessageBox({ type: 'info', title: 'About Layerlab', message: `Layerlab ${app.getVersion()}`, detail: 'Design neural networks visually and train them.' }),
      }),
    ),
  );

  openWindow();
  app.on('activate', () => {
    if (!mainWindow) openWindow();
  });
}

/** What {@link handleInvoke} needs to know about who sent a request. */
function describeSender(event: IpcMainInvokeEvent): SenderInfo {
  const win = mainWindow;
  const frame = event.senderFrame;
  const fromMainWindow = win !== undefined && !win.isDestroyed() && event.sender === win.webContents;
  const top = fromMainWindow ? win.webContents.mainFrame : undefined;
  // Same frame as the window's top frame: no parent, and the same renderer process and routing id.
  const isTopFrame = frame !== null && top !== undefined && frame.parent === null && frame.processId === top.processId && frame.routingId === top.routingId;
  return { frameUrl: frame?.url, fromMainWindow, isTopFrame };
}

function openWindow(): void {
  const win = createMainWindow(bundles.preload);
  mainWindow = win;
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = undefined;
  });
}

function sendToRenderer(event: ApiEventName, payload: unknown): void {
  if (!isAllowedEvent(event)) return;
  const win = mainWindow;
  if (!win || win.isDestroyed()) return;
  win.webContents.send(eventChannel(event), payload);
}

function sendMenuAction(action: MenuAction): void {
  if (menuEventAllowed) sendToRenderer('menu.action', { action });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting || !backend?.running) return;
  // Let the backend stop its runs and flush run files before the process goes away.
  event.preventDefault();
  quitting = true;
  void backend.stop().finally(() => app.quit());
});
