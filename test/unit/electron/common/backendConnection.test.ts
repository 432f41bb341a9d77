import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { BackendConnection, defaultTimeoutMs, type SpawnBackend } from '../../../../electron/common/backendConnection.js';
import type { HostMessage } from '../../../../electron/common/relay.js';

const backendOptions = { templatesDir: '/t', runsDir: '/r', dataDir: '/d' };

/** A scripted backend: records what main posts; the test replies and exits it. */
function harness() {
  const spawned: { posted: HostMessage[]; reply: (m: unknown) => void; exit: (code: number) => void; kill: ReturnType<typeof vi.fn> }[] = [];
  const spawn: SpawnBackend = ({ onMessage, onExit }) => {
    const proc = { posted: [] as HostMessage[], reply: onMessage, exit: onExit, kill: vi.fn() };
    spawned.push(proc);
    return { post: (m) => proc.posted.push(m), kill: proc.kill };
  };
  const events: [string, unknown][] = [];
  const log = vi.fn();
  const conn = new BackendConnection({ spawn, backendOptions, timeoutMs: () => 10_000, onEvent: (e, p) => events.push([e, p]), log });
  const lastRequestId = (i = spawned.length - 1) => {
    const r = spawned[i]!.posted.filter((m) => m.type === 'request').at(-1);
    return r && r.type === 'request' ? r.id : -1;
  };
  return { conn, spawned, events, log, lastRequestId };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('BackendConnection', () => {
  test('starts the backend on first use, initialises it, then relays', async () => {
    const h = harness();
    expect(h.spawned).toHaveLength(0);
    const p = h.conn.invoke('app.info', {});
    expect(h.spawned).toHaveLength(1);
    expect(h.spawned[0]!.posted[0]).toEqual({ type: 'init', options: backendOptions });
    h.spawned[0]!.reply({ type: 'result', id: h.lastRequestId(), value: { version: '1' } });
    await expect(p).resolves.toEqual({ version: '1' });
    void h.conn.invoke('datasets.list', {});
    expect(h.spawned).toHaveLength(1);
  });

  test('fails in-flight requests when the backend dies and restarts it on the next request', async () => {
    const h = harness();
    const p = h.conn.invoke('templates.list', {});
    h.spawned[0]!.exit(9);
    await expect(p).rejects.toThrow(/stopped unexpectedly \(exit code 9\)/);
    expect(h.conn.running).toBe(false);
    void h.conn.invoke('templates.list', {});
    expect(h.spawned).toHaveLength(2);
    expect(h.spawned[1]!.posted[0]).toMatchObject({ type: 'init' });
  });

  test('tells the renderer that a running training died with the backend', async () => {
    const h = harness();
    const p = h.conn.invoke('train.start', { document: {}, config: {} });
    h.spawned[0]!.reply({ type: 'result', id: h.lastRequestId(), value: { runId: 'run-a' } });
    await p;
    const q = h.conn.invoke('train.start', { document: {}, config: {} });
    h.spawned[0]!.reply({ type: 'result', id: h.lastRequestId(), value: { runId: 'run-b' } });
    await q;
    h.spawned[0]!.reply({ type: 'event', event: 'train.event', payload: { runId: 'run-b', event: { type: 'done' } } });
    h.spawned[0]!.exit(1);
    expect(h.events).toEqual([
      ['train.event', { runId: 'run-b', event: { type: 'done' } }],
      ['train.event', { runId: 'run-a', event: { type: 'error', code: 'E_BACKEND_EXIT', message: expect.stringMatching(/^Training stopped: The backend process stopped unexpectedly/) } }],
    ]);
  });

  test('stop asks the backend to dispose and resolves when it exits', async () => {
    const h = harness();
    const inFlight = h.conn.invoke('app.info', {});
    const stopped = h.conn.stop(3000);
    expect(h.spawned[0]!.posted.at(-1)).toEqual({ type: 'dispose' });
    h.spawned[0]!.exit(0);
    await stopped;
    await expect(inFlight).rejects.toThrow('The backend was stopped because Layerlab is shutting down.');
    expect(h.spawned[0]!.kill).not.toHaveBeenCalled();
    expect(h.log).not.toHaveBeenCalled();
    await expect(h.conn.invoke('app.info', {})).rejects.toThrow(/shutting down/);
  });

  test('stop kills a backend that does not exit in time', async () => {
    const h = harness();
    void h.conn.invoke('app.info', {}).catch(() => {});
    const stopped = h.conn.stop(3000);
    vi.advanceTimersByTime(3000);
    await stopped;
    expect(h.spawned[0]!.kill).toHaveBeenCalledOnce();
  });

  test('stop without a running backend resolves at once', async () => {
    const h = harness();
    await h.conn.stop();
    expect(h.spawned).toHaveLength(0);
  });
});

test('train.start gets a longer deadline than reads', () => {
  expect(defaultTimeoutMs('train.start')).toBeGreaterThan(defaultTimeoutMs('templates.list'));
});
