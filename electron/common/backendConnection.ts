/**
 * Main's supervisor of the backend utility process: starts it on first use, relays requests
 * through a {@link RelayClient}, restarts it on the next request after it dies, and tells
 * the renderer about runs that died with it. Process creation is injected (Electron's
 * `utilityProcess.fork` in main, a fake in tests).
 */
import type { ApiEventName, ApiMethod, RunId } from '../../contracts/api.js';
import { RelayClient, errorMessage, realTimers, type BackendOptions, type HostMessage, type Timers } from './relay.js';

/** A started backend process. */
export interface BackendProcess {
  post(msg: HostMessage): void;
  kill(): void;
}

/** Starts one backend process wired to the given hooks. */
export type SpawnBackend = (hooks: { onMessage(raw: unknown): void; onExit(code: number): void }) => BackendProcess;

export interface BackendConnectionOptions {
  readonly spawn: SpawnBackend;
  readonly backendOptions: BackendOptions;
  readonly timeoutMs: (method: ApiMethod) => number;
  readonly onEvent: (event: ApiEventName, payload: unknown) => void;
  readonly log?: (message: string) => void;
  readonly timers?: Timers;
}

/** Deadlines: reads are quick; `train.start` may load a dataset before it answers. */
export function defaultTimeoutMs(method: ApiMethod): number {
  return method === 'train.start' ? 120_000 : 30_000;
}

interface Live {
  readonly process: BackendProcess;
  readonly relay: RelayClient;
}

export class BackendConnection {
  private live: Live | undefined;
  private readonly activeRuns = new Set<RunId>();
  private stopping: Promise<void> | undefined;
  /** Resolves a pending {@link stop} when the process exits. */
  private onGone: (() => void) | undefined;

  constructor(private readonly options: BackendConnectionOptions) {}

  /** Whether a backend process is currently running. */
  get running(): boolean {
    return this.live !== undefined;
  }

  /** Relays one validated request, starting the backend if needed. */
  async invoke(method: ApiMethod, params: unknown): Promise<unknown> {
    if (this.stopping) throw new Error('Layerlab is shutting down.');
    const value = await this.ensure().relay.request(method, params);
    if (method === 'train.start' && isRecord(value) && typeof value.runId === 'string') this.activeRuns.add(value.runId as RunId);
    return value;
  }

  /**
   * Asks the backend to dispose (stop runs, release workers) and waits up to `graceMs`
   * for it to exit, then kills it.
   */
  stop(graceMs = 3000): Promise<void> {
    if (this.stopping) return this.stopping;
    const live = this.live;
    if (!live) return (this.stopping = Promise.resolve());
    this.stopping = new Promise<void>((resolve) => {
      const timers = this.options.timers ?? realTimers;
      const timer = timers.set(() => {
        this.options.log?.('backend did not exit in time; killing it');
        live.process.kill();
        resolve();
      }, graceMs);
      this.onGone = () => {
        timers.clear(timer);
        resolve();
      };
      try {
        live.process.post({ type: 'dispose' });
      } catch {
        live.process.kill();
      }
    });
    return this.stopping;
  }

  private ensure(): Live {
    if (this.live) return this.live;
    let live: Live | undefined = undefined;
    const relay = new RelayClient({
      post: (msg) => live!.process.post(msg),
      timeoutMs: this.options.timeoutMs,
      onEvent: (event, payload) => this.forwardEvent(event, payload),
      ...(this.options.timers ? { timers: this.options.timers } : {}),
    });
    const proc = this.options.spawn({
      onMessage: (raw) => {
        const msg = relay.receive(raw);
        if (msg?.type === 'fatal') this.options.log?.(msg.error);
        if (raw !== undefined && msg === undefined) this.options.log?.('dropped a malformed message from the backend');
      },
      onExit: (code) => this.handleExit(live, code),
    });
    live = { process: proc, relay };
    this.live = live;
    try {
      proc.post({ type: 'init', options: this.options.backendOptions });
    } catch (e) {
      this.handleExit(live, -1, errorMessage(e));
    }
    return live;
  }

  private forwardEvent(event: ApiEventName, payload: unknown): void {
    if (event === 'train.event' && isRecord(payload) && typeof payload.runId === 'string' && isRecord(payload.event)) {
      const t = payload.event.type;
      if (t === 'done' || t === 'error') this.activeRuns.delete(payload.runId as RunId);
    }
    this.options.onEvent(event, payload);
  }

  private handleExit(live: Live | undefined, code: number, detail?: string): void {
    if (!live || this.live !== live) return;
    this.live = undefined;
    const expected = this.stopping !== undefined;
    const reason = expected
      ? 'The backend was stopped because Layerlab is shutting down.'
      : `The backend process stopped unexpectedly (exit code ${code}${detail ? `: ${detail}` : ''}); the next request starts it again.`;
    if (!expected) this.options.log?.(reason);
    live.relay.close(reason);
    for (const runId of this.activeRuns) {
      this.options.onEvent('train.event', { runId, event: { type: 'error', code: 'E_BACKEND_EXIT', message: `Training stopped: ${reason}` } });
    }
    this.activeRuns.clear();
    this.onGone?.();
    this.onGone = undefined;
  }
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
