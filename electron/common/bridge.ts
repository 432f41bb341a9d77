/**
 * The object the preload exposes as `window.layerlab`: the same shape as contracts'
 * `ApiClient` and nothing else. Built from a minimal IPC surface so it is unit-testable
 * without Electron; the preload passes `ipcRenderer` in and never exposes it.
 */
import type { ApiClient, ApiEventName, ApiEvents, ApiMethod, ApiRequest, ApiResponse } from '../../contracts/api.js';
import { eventChannel, invokeChannel, isAllowedEvent, isAllowedMethod, unwrapInvokeResult } from './channels.js';

/** The slice of `ipcRenderer` the bridge uses. */
export interface RendererIpc {
  invoke(channel: string, arg: unknown): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
}

/**
 * Creates the bridge. Methods and events off the allowlist are refused before anything
 * reaches IPC; listeners receive only the payload, never the `IpcRendererEvent` (whose
 * `sender` is `ipcRenderer` itself and would hand the page raw IPC).
 */
export function createBridge(ipc: RendererIpc): ApiClient {
  return {
    invoke<M extends ApiMethod>(method: M, req: ApiRequest<M>): Promise<ApiResponse<M>> {
      if (!isAllowedMethod(method)) return Promise.reject(new Error(`Unknown API method ${JSON.stringify(String(method))}; see contracts/api.ts for the list.`));
      return ipc.invoke(invokeChannel(method), req).then((r) => unwrapInvokeResult(r) as ApiResponse<M>);
    },
    on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
      if (!isAllowedEvent(event)) throw new Error(`Unknown API event ${JSON.stringify(String(event))}; see contracts/api.ts for the list.`);
      if (typeof listener !== 'function') throw new TypeError('layerlab.on needs a listener function.');
      const channel = eventChannel(event);
      const wrapped = (_event: unknown, payload: unknown): void => listener(payload as ApiEvents[E]);
      ipc.on(channel, wrapped);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(channel, wrapped);
      };
    },
  };
}
