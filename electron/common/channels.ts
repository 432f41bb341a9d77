/**
 * The IPC allowlist: one request channel per API method, one push channel per event.
 * Only *types* come from contracts/ so the preload bundle stays free of zod; the mapped
 * types below make the compiler fail when contracts/ adds a method or event that is
 * not listed here, and a unit test checks the lists equal contracts' `API_METHODS`/`API_EVENTS`.
 */
import type { ApiEventName, ApiMethod } from '../../contracts/api.js';

const METHODS: { readonly [M in ApiMethod]: true } = {
  'app.info': true,
  'templates.list': true,
  'templates.get': true,
  'datasets.list': true,
  'train.start': true,
  'train.stop': true,
  'train.pause': true,
  'train.resume': true,
  'runs.list': true,
  'runs.get': true,
  'runs.export': true,
  'datasets.images': true,
};

const EVENTS: { readonly [E in ApiEventName]: true } = {
  'train.event': true,
  'menu.action': true,
};

/** Every method the renderer may invoke. */
export const ALLOWED_METHODS: readonly ApiMethod[] = Object.freeze(Object.keys(METHODS) as ApiMethod[]);
/** Every event main may push to the renderer. */
export const ALLOWED_EVENTS: readonly ApiEventName[] = Object.freeze(Object.keys(EVENTS) as ApiEventName[]);

/** Own-property lookup, so `constructor`, `__proto__` and friends are never "allowed". */
export function isAllowedMethod(x: unknown): x is ApiMethod {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(METHODS, x);
}
export function isAllowedEvent(x: unknown): x is ApiEventName {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(EVENTS, x);
}

const INVOKE_PREFIX = 'layerlab:invoke:';
const EVENT_PREFIX = 'layerlab:event:';

/** The `ipcMain.handle` channel of one method. */
export function invokeChannel(method: ApiMethod): string {
  return INVOKE_PREFIX + method;
}
/** The `webContents.send` channel of one event. */
export function eventChannel(event: ApiEventName): string {
  return EVENT_PREFIX + event;
}

/**
 * What an invoke channel answers. Main never lets an exception cross IPC: Electron would
 * wrap it as "Error invoking remote method ..." and leak main-process detail; instead the
 * message the user should read travels as data and the preload rethrows it.
 */
export type InvokeResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

/** Preload side: turns an {@link InvokeResult} back into a value or a thrown `Error`. */
export function unwrapInvokeResult(result: unknown): unknown {
  if (typeof result === 'object' && result !== null && 'ok' in result) {
    const r = result as InvokeResult;
    if (r.ok) return r.value;
    throw new Error(typeof r.error === 'string' ? r.error : 'The request failed.');
  }
  throw new Error('The desktop host sent a malformed reply.');
}
