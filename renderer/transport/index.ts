/**
 * Picks the transport once at startup: the Electron preload's bridge (`window.layerlab`) when
 * present, otherwise the WebSocket API of `layerlab serve` on the page's own host.
 */
import type { ApiClient } from '../../contracts/index.js';
import { createWsClient, type ConnectionState } from './wsClient.js';

declare global {
  interface Window {
    /** Set by the Electron preload: the allowlisted API bridge. */
    readonly layerlab?: ApiClient;
  }
}

export interface Transport {
  readonly client: ApiClient;
  readonly kind: 'electron' | 'websocket';
  /** Connection state; the Electron bridge is always open. */
  readonly state: () => ConnectionState;
  onState(listener: (s: ConnectionState) => void): () => void;
}

/** The WebSocket URL of the API for a page served from `loc`. */
export function apiUrl(loc: Pick<Location, 'protocol' | 'host'>): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/api`;
}

export function pickTransport(win: Window): Transport {
  if (win.layerlab) return { client: win.layerlab, kind: 'electron', state: () => 'open', onState: () => () => undefined };
  const ws = createWsClient(apiUrl(win.location));
  return { client: ws, kind: 'websocket', state: ws.state, onState: (l) => ws.onState(l) };
}
