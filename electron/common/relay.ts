/**
 * The protocol between main and the backend utility process, and main's side of it.
 * Main posts requests with ids; the backend answers each id once and pushes events.
 * Pure (timers injectable) so id matching, timeouts and error mapping are unit-tested.
 */
import type { ApiEventName, ApiMethod } from '../../contracts/api.js';
import { isAllowedEvent, isAllowedMethod } from './channels.js';

/**
 * Options the backend is created with; the same shape as runtime's `ServiceOptions`
 * (electron/ outside utility/ may not import runtime/, the utility entry checks they match).
 */
export interface BackendOptions {
  readonly templatesDir: string;
  readonly dataDir?: string;
  readonly runsDir: string;
}

/** Main → backend. */
export type HostMessage =
  | { readonly type: 'init'; readonly options: BackendOptions }
  | { readonly type: 'request'; readonly id: number; readonly method: ApiMethod; readonly params: unknown }
  | { readonly type: 'dispose' };

/** Backend → main. */
export type BackendMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'fatal'; readonly error: string }
  | { readonly type: 'result'; readonly id: number; readonly value: unknown }
  | { readonly type: 'error'; readonly id: number; readonly error: string }
  | { readonly type: 'event'; readonly event: ApiEventName; readonly payload: unknown }
  | { readonly type: 'disposed' };

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isId = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x > 0;

/** Checks a message from the backend; undefined for anything malformed or off the allowlist. */
export function parseBackendMessage(x: unknown): BackendMessage | undefined {
  if (!isRecord(x)) return undefined;
  switch (x.type) {
    case 'ready':
    case 'disposed':
      return { type: x.type };
    case 'fatal':
      return typeof x.error === 'string' ? { type: 'fatal', error: x.error } : undefined;
    case 'result':
      return isId(x.id) ? { type: 'result', id: x.id, value: x.value } : undefined;
    case 'error':
      return isId(x.id) && typeof x.error === 'string' ? { type: 'error', id: x.id, error: x.error } : undefined;
    case 'event':
      return isAllowedEvent(x.event) ? { type: 'event', event: x.event, payload: x.payload } : undefined;
    default:
      return undefined;
  }
}

/** Checks a message from main; the backend's guard against its own caller drifting. */
export function parseHostMessage(x: unknown): HostMessage | undefined {
  if (!isRecord(x)) return undefined;
  switch (x.type) {
    case 'init': {
      const o = x.options;
      if (!isRecord(o) || typeof o.templatesDir !== 'string' || typeof o.runsDir !== 'string') return undefined;
      if (o.dataDir !== undefined && typeof o.dataDir !== 'string') return undefined;
      return { type: 'init', options: { templatesDir: o.templatesDir, runsDir: o.runsDir, ...(o.dataDir !== undefined ? { dataDir: o.dataDir } : {}) } };
    }
    case 'request':
      return isId(x.id) && isAllowedMethod(x.method) ? { type: 'request', id: x.id, method: x.method, params: x.params } : undefined;
    case 'dispose':
      return { type: 'dispose' };
    default:
      return undefined;
  }
}

/** Why a relayed request failed; `message` is written for the user. */
export class RelayError extends Error {
  constructor(
    readonly code: 'backend' | 'timeout' | 'stopped',
    message: string,
  ) {
    super(message);
    this.name = 'RelayError';
  }
}

/** Turns anything thrown into a message a user can read; stacks stay in logs. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  if (typeof e === 'string') return e;
  try {
    return JSON.stringify(e) ?? String(e);
  } catch {
    return String(e);
  }
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}
/** `setTimeout`/`clearTimeout`, the default {@link Timers}. */
export const realTimers: Timers = { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };

export interface RelayClientOptions {
  /** Sends one message to the backend. */
  readonly post: (msg: HostMessage) => void;
  /** Per-method deadline in milliseconds. */
  readonly timeoutMs: (method: ApiMethod) => number;
  /** Receives pushed events. */
  readonly onEvent?: (event: ApiEventName, payload: unknown) => void;
  readonly timers?: Timers;
}

interface Pending {
  readonly method: ApiMethod;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: RelayError) => void;
  readonly timer: unknown;
}

/**
 * Main's end of one backend connection: numbers requests, matches replies by id, fails a
 * request at its deadline, and fails everything when the backend stops. A reply that
 * arrives after its deadline is dropped (its id is no longer pending).
 */
export class RelayClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closedReason: string | undefined;
  private readonly timers: Timers;

  constructor(private readonly options: RelayClientOptions) {
    this.timers = options.timers ?? realTimers;
  }

  /** Number of requests awaiting a reply. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Relays one already-validated request. */
  request(method: ApiMethod, params: unknown): Promise<unknown> {
    if (this.closedReason !== undefined) return Promise.reject(new RelayError('stopped', this.closedReason));
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const ms = this.options.timeoutMs(method);
      const timer = this.timers.set(() => {
        if (!this.pending.delete(id)) return;
        reject(new RelayError('timeout', `${method} got no answer from the backend within ${Math.round(ms / 1000)} s. It may be busy or stuck; try again, and restart Layerlab if it keeps happening.`));
      }, ms);
      this.pending.set(id, { method, resolve, reject, timer });
      try {
        this.options.post({ type: 'request', id, method, params });
      } catch (e) {
        this.settle(id);
        reject(new RelayError('stopped', `Could not reach the backend: ${errorMessage(e)}`));
      }
    });
  }

  /** Feeds one message from the backend. Returns the parsed message (undefined when dropped). */
  receive(raw: unknown): BackendMessage | undefined {
    const msg = parseBackendMessage(raw);
    if (!msg) return undefined;
    switch (msg.type) {
      case 'result':
        this.settle(msg.id)?.resolve(msg.value);
        break;
      case 'error': {
        const p = this.settle(msg.id);
        p?.reject(new RelayError('backend', msg.error));
        break;
      }
      case 'event':
        this.options.onEvent?.(msg.event, msg.payload);
        break;
      case 'ready':
      case 'fatal':
      case 'disposed':
        break;
      default:
        assertNever(msg);
    }
    return msg;
  }

  /** Fails every pending and future request with `reason` (the backend is gone). */
  close(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(new RelayError('stopped', reason));
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    this.pending.delete(id);
    this.timers.clear(p.timer);
    return p;
  }
}

function assertNever(x: never): never {
  throw new Error(`unhandled backend message ${JSON.stringify(x)}`);
}
