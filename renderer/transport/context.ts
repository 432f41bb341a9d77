/** Hands the picked transport to components, so none of them reaches for a global. */
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { ApiClient } from '../../contracts/index.js';
import type { Transport } from './index.js';
import type { ConnectionState } from './wsClient.js';

export const TransportContext = createContext<Transport | null>(null);

function useTransport(): Transport {
  const t = useContext(TransportContext);
  if (!t) throw new Error('useApi() needs a <TransportContext.Provider> above it');
  return t;
}

export const useApi = (): ApiClient => useTransport().client;

export function useConnection(): ConnectionState {
  const t = useTransport();
  return useSyncExternalStore(t.onState, t.state);
}
