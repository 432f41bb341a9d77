import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { RelayClient, RelayError, errorMessage, parseBackendMessage, parseHostMessage, type HostMessage } from '../../../../electron/common/relay.js';

function client(timeoutMs = 1000) {
  const sent: HostMessage[] = [];
  const events: [string, unknown][] = [];
  const relay = new RelayClient({ post: (m) => sent.push(m), timeoutMs: () => timeoutMs, onEvent: (e, p) => events.push([e, p]) });
  const ids = () => sent.map((m) => (m.type === 'request' ? m.id : -1));
  return { relay, sent, events, ids };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('RelayClient', () => {
  test('numbers requests and matches replies by id, in any order', async () => {
    const { relay, sent, ids } = client();
    const a = relay.request('app.info', {});
    const b = relay.request('templates.get', { id: 'lenet' });
    expect(sent).toEqual([
      { type: 'request', id: ids()[0], method: 'app.info', params: {} },
      { type: 'request', id: ids()[1], method: 'templates.get', params: { id: 'lenet' } },
    ]);
    expect(new Set(ids()).size).toBe(2);
    relay.receive({ type: 'result', id: ids()[1], value: 'B' });
    relay.receive({ type: 'result', id: ids()[0], value: 'A' });
    await expect(a).resolves.toBe('A');
    await expect(b).resolves.toBe('B');
    expect(relay.pendingCount).toBe(0);
  });

  test('maps a backend error to a RelayError with the message', async () => {
    const { relay, ids } = client();
    const p = relay.request('templates.get', { id: 'nope' });
    relay.receive({ type: 'error', id: ids()[0], error: 'Template "nope" not found' });
    await expect(p).rejects.toMatchObject({ name: 'RelayError', code: 'backend', message: 'Template "nope" not found' });
  });

  test('fails a request at its deadline and drops the late reply', async () => {
    const { relay, ids } = client(5000);
    const p = relay.request('templates.list', {});
    const settled = expect(p).rejects.toMatchObject({ code: 'timeout', message: expect.stringMatching(/^templates\.list got no answer from the backend within 5 s/) });
    vi.advanceTimersByTime(5000);
    await settled;
    expect(relay.pendingCount).toBe(0);
    expect(relay.receive({ type: 'result', id: ids()[0], value: 'late' })).toEqual({ type: 'result', id: ids()[0], value: 'late' });
    expect(relay.pendingCount).toBe(0);
  });

  test('a reply clears its deadline', async () => {
    const { relay, ids } = client(5000);
    const p = relay.request('app.info', {});
    relay.receive({ type: 'result', id: ids()[0], value: 1 });
    await expect(p).resolves.toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('close fails pending and later requests', async () => {
    const { relay } = client();
    const p = relay.request('app.info', {});
    relay.close('backend exited');
    await expect(p).rejects.toMatchObject({ code: 'stopped', message: 'backend exited' });
    await expect(relay.request('app.info', {})).rejects.toBeInstanceOf(RelayError);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('a post that throws fails the request at once', async () => {
    const relay = new RelayClient({
      post: () => {
        throw new Error('port closed');
      },
      timeoutMs: () => 1000,
    });
    await expect(relay.request('app.info', {})).rejects.toMatchObject({ code: 'stopped', message: 'Could not reach the backend: port closed' });
    expect(relay.pendingCount).toBe(0);
  });

  test('forwards allowlisted events and drops malformed messages', () => {
    const { relay, events } = client();
    relay.receive({ type: 'event', event: 'train.event', payload: { runId: 'r' } });
    expect(relay.receive({ type: 'event', event: 'shell.open', payload: 1 })).toBeUndefined();
    expect(relay.receive({ type: 'result', id: 'x', value: 1 })).toBeUndefined();
    expect(relay.receive(null)).toBeUndefined();
    expect(events).toEqual([['train.event', { runId: 'r' }]]);
  });
});

describe('message parsing', () => {
  test('parseBackendMessage keeps only known fields', () => {
    expect(parseBackendMessage({ type: 'ready', extra: 1 })).toEqual({ type: 'ready' });
    expect(parseBackendMessage({ type: 'error', id: 3, error: 'x', stack: 's' })).toEqual({ type: 'error', id: 3, error: 'x' });
    expect(parseBackendMessage({ type: 'error', id: 0, error: 'x' })).toBeUndefined();
    expect(parseBackendMessage({ type: 'fatal' })).toBeUndefined();
  });

  test('parseHostMessage checks init options and methods', () => {
    expect(parseHostMessage({ type: 'init', options: { templatesDir: '/t', runsDir: '/r' } })).toEqual({ type: 'init', options: { templatesDir: '/t', runsDir: '/r' } });
    expect(parseHostMessage({ type: 'init', options: { templatesDir: '/t', runsDir: '/r', dataDir: 3 } })).toBeUndefined();
    expect(parseHostMessage({ type: 'request', id: 1, method: 'constructor', params: {} })).toBeUndefined();
    expect(parseHostMessage({ type: 'request', id: 1, method: 'app.info', params: {} })).toEqual({ type: 'request', id: 1, method: 'app.info', params: {} });
  });
});

test('errorMessage keeps messages and stringifies the rest', () => {
  expect(errorMessage(new TypeError('bad'))).toBe('bad');
  expect(errorMessage('plain')).toBe('plain');
  expect(errorMessage({ code: 1 })).toBe('{"code":1}');
});
