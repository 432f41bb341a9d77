/**
 * The API over WebSocket (`layerlab serve`): requests `{id, method, params}` answered by
 * `{kind:'result'|'error', id}`, and pushed `{kind:'event'}` messages. Requests made before the
 * socket opens wait for it; if the socket drops, pending requests fail and it reconnects.
 */
import type { ApiClient, ApiEventName, ApiEvents, ApiMethod, ApiRequest, ApiResponse, WireMessage } from '../../contracts/index.js';

/** Connection state, shown in the status bar. */
export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface WsClient extends ApiClient {
  readonly state: () => ConnectionState;
  /** Called whenever the connection state changes; returns the unsubscribe function. */
  onState(listener: (s: ConnectionState) => void): () => void;
  close(): void;
}

interface Pending {
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: Error) => void;
}

/** A minimal WebSocket the client needs, so tests can pass a fake. */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

export function createWsClient(url: string, open: (url: string) => SocketLike = (u) => new WebSocket(u) as unknown as SocketLike): WsClient {
  let socket: SocketLike;
  let state: ConnectionState = 'connecting';
  let nextId = 1;
  let closedByUs = false;
  let retryMs = 250;
  const pending = new Map<number, Pending>();
  const queue: string[] = [];
  const listeners = new Map<ApiEventName, Set<(p: unknown) => void>>();
  const stateListeners = new Set<(s: ConnectionState) => void>();

  const setState = (s: ConnectionState) => {
    state = s;
    for (const l of stateListeners) l(s);
  };

  const connect = () => {
    socket = open(url);
    setState('connecting');
    socket.onopen = () => {
      retryMs = 250;
      setState('open');
      for (const m of queue.splice(0)) socket.send(m);
    };
    socket.onclose = () => {
      for (const p of pending.values()) p.reject(new Error('The connection to Layerlab closed; retrying'));
      pending.clear();
      setState('closed');
      if (closedByUs) return;
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
    socket.onmessage = (ev) => handle(ev.data);
  };

  const handle = (data: unknown) => {
    let msg: WireMessage;
    try {
      msg = JSON.parse(String(data)) as WireMessage;
    } catch {
      return;
    }
    switch (msg.kind) {
      case 'result':
      case 'error': {
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        if (msg.kind === 'result') p.resolve(msg.result);
        else p.reject(new Error(msg.error));
        return;
      }
      case 'event':
        for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
        return;
    }
  };

  connect();

  return {
    state: () => state,
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    invoke<M extends ApiMethod>(method: M, req: ApiRequest<M>): Promise<ApiResponse<M>> {
      const id = nextId++;
      const text = JSON.stringify({ id, method, params: req });
      return new Promise<ApiResponse<M>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        if (state === 'open' && socket.readyState === 1) socket.send(text);
        else queue.push(text);
      });
    },
    on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
    close() {
      closedByUs = true;
      socket.close();
    },
  };
}
