/**
 * The backend's end of the relay, run inside the utility process: creates the service on
 * `init`, answers each request id exactly once, forwards the service's events, and shuts
 * down on `dispose`. The service factory is injected, so this is unit-tested without
 * Electron or runtime/ (only electron/utility/ may import runtime/).
 */
import type { ApiEventName, ApiEvents, ApiHandlers, ApiMethod } from '../../contracts/api.js';
import { errorMessage, parseHostMessage, type BackendMessage, type BackendOptions } from './relay.js';

/** The shape of runtime's `Service`, restated because this module may not import runtime/. */
export interface BackendService {
  readonly handlers: ApiHandlers;
  onEvent(listener: <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => void): () => void;
  dispose(): Promise<void>;
}

/** How the host talks to main: `process.parentPort` in the utility process, a fake in tests. */
export interface ParentChannel {
  post(msg: BackendMessage): void;
  onMessage(listener: (raw: unknown) => void): void;
  exit(code: number): void;
  log(message: string): void;
}

/** Starts serving; returns nothing because the process lives as long as the channel does. */
export function serveBackend(channel: ParentChannel, createService: (options: BackendOptions) => BackendService): void {
  let service: BackendService | undefined;
  let initError: string | undefined;
  let unsubscribe: (() => void) | undefined;
  let disposing = false;

  const post = (msg: BackendMessage): void => {
    try {
      channel.post(msg);
    } catch (e) {
      // A value that cannot be structured-cloned must still answer its id, or main waits for the deadline.
      if (msg.type === 'result') channel.post({ type: 'error', id: msg.id, error: `The backend's reply could not be sent: ${errorMessage(e)}` });
      else channel.log(`could not post ${msg.type}: ${errorMessage(e)}`);
    }
  };

  const answer = async (id: number, method: ApiMethod, params: unknown): Promise<void> => {
    if (disposing) return post({ type: 'error', id, error: 'The backend is shutting down.' });
    if (!service) return post({ type: 'error', id, error: initError ?? 'The backend has not been initialised yet.' });
    const handler = service.handlers[method] as ((req: unknown) => unknown) | undefined;
    if (typeof handler !== 'function') return post({ type: 'error', id, error: `The backend does not implement ${method}.` });
    try {
      post({ type: 'result', id, value: await handler(params) });
    } catch (e) {
      if (e instanceof Error && e.stack) channel.log(`${method} failed: ${e.stack}`);
      post({ type: 'error', id, error: errorMessage(e) });
    }
  };

  channel.onMessage((raw) => {
    const msg = parseHostMessage(raw);
    if (!msg) return channel.log('ignored a malformed message from main');
    switch (msg.type) {
      case 'init':
        if (service || initError !== undefined) return channel.log('ignored a second init');
        try {
          service = createService(msg.options);
          unsubscribe = service.onEvent((event, payload) => post({ type: 'event', event, payload }));
          post({ type: 'ready' });
        } catch (e) {
          initError = `The backend could not start: ${errorMessage(e)}`;
          post({ type: 'fatal', error: initError });
        }
        return;
      case 'request':
        void answer(msg.id, msg.method, msg.params);
        return;
      case 'dispose':
        if (disposing) return;
        disposing = true;
        unsubscribe?.();
        void (service?.dispose() ?? Promise.resolve())
          .catch((e: unknown) => channel.log(`dispose failed: ${errorMessage(e)}`))
          .finally(() => {
            post({ type: 'disposed' });
            channel.exit(0);
          });
        return;
      default:
        assertNever(msg);
    }
  });
}

function assertNever(x: never): never {
  throw new Error(`unhandled host message ${JSON.stringify(x)}`);
}
