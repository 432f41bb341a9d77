/**
 * The main window and the rules every webContents obeys: no navigation off the app
 * origin, no new windows, no <webview>, no permissions, no remote requests.
 */
import { BrowserWindow, nativeTheme, type Session, type WebContents } from 'electron';
import { APP_ENTRY_URL, mayNavigate } from '../common/origin.js';

/** Creates the main window with the secure defaults and loads the app. */
export function createMainWindow(preload: string): BrowserWindow {
  const win = new BrowserWindow({
    title: 'Layerlab',
    width: 1360,
    height: 860,
    minWidth: 800,
    minHeight: 560,
    show: false,
    // Matches the renderer's light/dark background so a resize never flashes the wrong colour.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#14171c' : '#f6f7f9',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

/**
 * Applied to every webContents as it is created (app 'web-contents-created'), so a window
 * or frame that slips past one check still meets the others.
 */
export function hardenWebContents(contents: WebContents, log: (m: string) => void): void {
  const refuse = (kind: string) => (event: { preventDefault(): void }, url: string) => {
    if (mayNavigate(url)) return;
    event.preventDefault();
    log(`blocked ${kind} to ${safeOrigin(url)}`);
  };
  contents.on('will-navigate', refuse('navigation'));
  contents.on('will-frame-navigate', (details) => {
    if (!details.isMainFrame && !mayNavigate(details.url)) {
      details.preventDefault();
      log(`blocked frame navigation to ${safeOrigin(details.url)}`);
    }
  });
  contents.on('will-redirect', refuse('redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('blocked a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    log(`blocked a new window for ${safeOrigin(url)}`);
    return { action: 'deny' };
  });
}

/** Denies every permission request and check, and cancels every request off the app origin. */
export function hardenSession(session: Session, log: (m: string) => void): void {
  session.setPermissionRequestHandler((_wc, permission, callback) => {
    log(`denied permission ${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (details, callback) => {
    log(`blocked request to ${safeOrigin(details.url)}`);
    callback({ cancel: true });
  });
}

function safeOrigin(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(unparsable URL)';
  }
}
