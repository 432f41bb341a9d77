import { describe, expect, test, vi } from 'vitest';
import type { ApiMethod } from '../../../../contracts/api.js';
import { createBridge, type RendererIpc } from '../../../../electron/common/bridge.js';

type Listener = (event: unknown, payload: unknown) => void;

function fakeIpc(reply: (channel: string, arg: unknown) => unknown = () => ({ ok: true, value: null })) {
  const listeners = new Map<string, Set<Listener>>();
  const ipc = {
    invoke: vi.fn(async (channel: string, arg: unknown) => reply(channel, arg)),
    on: vi.fn((channel: string, l: Listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(l))),
    removeListener: vi.fn((channel: string, l: Listener) => listeners.get(channel)?.delete(l)),
  } satisfies RendererIpc;
  const emit = (channel: string, payload: unknown) => listeners.get(channel)?.forEach((l) => l({ sender: 'ipcRenderer itself' }, payload));
  return { ipc, emit, listeners };
}

describe('createBridge', () => {
  test('exposes only invoke and on', () => {
    expect(Object.keys(createBridge(fakeIpc().ipc)).sort()).toEqual(['invoke', 'on']);
  });

  test('sends a request on the method channel and returns the value', async () => {
    const { ipc } = fakeIpc(() => ({ ok: true, value: { version: '0.1.0' } }));
    await expect(createBridge(ipc).invoke('app.info', {})).resolves.toEqual({ version: '0.1.0' });
    expect(ipc.invoke).toHaveBeenCalledWith('layerlab:invoke:app.info', {});
  });

  test('rethrows a host error as an Error with its message', async () => {
    const { ipc } = fakeIpc(() => ({ ok: false, error: 'Template "nope" not found' }));
    await expect(createBridge(ipc).invoke('templates.get', { id: 'nope' })).rejects.toThrow('Template "nope" not found');
  });

  test('refuses a method off the allowlist without touching IPC', async () => {
    const { ipc } = fakeIpc();
    await expect(createBridge(ipc).invoke('shell.exec' as ApiMethod, {} as never)).rejects.toThrow(/Unknown API method "shell.exec"/);
    expect(ipc.invoke).not.toHaveBeenCalled();
  });

  test('delivers only the payload to listeners, and unsubscribes once', () => {
    const { ipc, emit, listeners } = fakeIpc();
    const got: unknown[][] = [];
    const off = createBridge(ipc).on('train.event', (...args: unknown[]) => got.push(args));
    emit('layerlab:event:train.event', { runId: 'r1', event: { type: 'log', message: 'hi' } });
    expect(got).toEqual([[{ runId: 'r1', event: { type: 'log', message: 'hi' } }]]);
    off();
    off();
    emit('layerlab:event:train.event', { runId: 'r1' });
    expect(got).toHaveLength(1);
    expect(ipc.removeListener).toHaveBeenCalledTimes(1);
    expect(listeners.get('layerlab:event:train.event')?.size).toBe(0);
  });

  test('refuses unknown events and non-function listeners', () => {
    const { ipc } = fakeIpc();
    const bridge = createBridge(ipc);
    expect(() => bridge.on('anything' as 'train.event', () => {})).toThrow(/Unknown API event/);
    expect(() => bridge.on('train.event', 'alert(1)' as never)).toThrow(TypeError);
    expect(ipc.on).not.toHaveBeenCalled();
  });
});
