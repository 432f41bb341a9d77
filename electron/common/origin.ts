/**
 * The app's one origin and the checks built on it. The renderer is served from a custom
 * privileged scheme, so "is this ours?" is a question about scheme and host, never about
 * a filesystem path or a remote server. Pure: no Electron import, unit-tested.
 */

/** Scheme registered with `protocol.registerSchemesAsPrivileged` (standard + secure). */
export const APP_SCHEME = 'app';
/** The single host under {@link APP_SCHEME}; every renderer URL lives here. */
export const APP_HOST = 'layerlab';
/** Origin string as Chromium reports it for a standard custom scheme. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the main window loads. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * True when `raw` is a URL on the app origin. Userinfo and ports are refused, so
 * `app://layerlab@evil/` and `app://layerlab:1/` are not ours, and anything unparsable is not ours.
 */
export function isAppUrl(raw: string | undefined | null): boolean {
  if (typeof raw !== 'string' || raw.length === 0) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === '' && url.port === '';
}

/**
 * Whether a top-level navigation or redirect (`will-navigate`, `will-redirect`) may proceed:
 * only within the app origin. Everything else, including `file:`, `http(s):`, `javascript:`
 * and `data:` URLs, is refused, because the window must never show remote or local-file content.
 */
export function mayNavigate(url: string): boolean {
  return isAppUrl(url);
}

/** What main knows about the frame that sent an IPC message. */
export interface SenderInfo {
  /** `event.senderFrame?.url`; undefined when the frame is gone. */
  readonly frameUrl: string | undefined;
  /** The message came from the main window's webContents. */
  readonly fromMainWindow: boolean;
  /** The frame is that webContents' top frame (not an iframe). */
  readonly isTopFrame: boolean;
}

export type SenderVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Decides whether main acts on an IPC message. All three must hold: the frame exists and is
 * on the app origin, it is the top frame (an embedded frame could be anything), and it
 * belongs to the main window (not some other webContents such as devtools extensions).
 */
export function checkSender(sender: SenderInfo): SenderVerdict {
  if (!sender.frameUrl) return { ok: false, reason: 'the sending frame no longer exists' };
  if (!isAppUrl(sender.frameUrl)) return { ok: false, reason: `the sending frame is not on ${APP_ORIGIN} (it is ${describeUrl(sender.frameUrl)})` };
  if (!sender.fromMainWindow) return { ok: false, reason: 'the message did not come from the main window' };
  if (!sender.isTopFrame) return { ok: false, reason: 'the message came from a sub-frame, not the top frame' };
  return { ok: true };
}

/** Origin-ish summary for logs; never echoes a full URL, which may carry user data. */
function describeUrl(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'an unparsable URL';
  }
}
