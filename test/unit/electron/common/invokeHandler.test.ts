import { describe, expect, test, vi } from 'vitest';
import { handleInvoke } from '../../../../electron/common/invokeHandler.js';
import { APP_ENTRY_URL } from '../../../../electron/common/origin.js';
import { RelayError } from '../../../../electron/common/relay.js';

const trusted = { frameUrl: APP_ENTRY_URL, fromMainWindow: true, isTopFrame: true };

describe('handleInvoke', () => {
  test('relays a valid request from the app and returns its value', async () => {
    const relay = vi.fn(async () => ({ version: '0.1.0' }));
    await expect(handleInvoke('app.info', trusted, {}, { relay })).resolves.toEqual({ ok: true, value: { version: '0.1.0' } });
    expect(relay).toHaveBeenCalledWith('app.info', {});
  });

  test('checks the sender before anything else', async () => {
    const relay = vi.fn();
    const log = vi.fn();
    const r = await handleInvoke('templates.get', { ...trusted, frameUrl: 'https://evil.example/' }, { id: 'lenet' }, { relay, log });
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/^Request refused: the sending frame is not on app:\/\/layerlab/) });
    expect(relay).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledOnce();
  });

  test('does not relay an invalid request', async () => {
    const relay = vi.fn();
    const r = await handleInvoke('templates.get', trusted, { id: 3 }, { relay });
    expect(r.ok).toBe(false);
    expect(relay).not.toHaveBeenCalled();
  });

  test('maps relay failures to an error message', async () => {
    const relay = vi.fn(async () => {
      throw new RelayError('timeout', 'templates.list got no answer');
    });
    await expect(handleInvoke('templates.list', trusted, {}, { relay })).resolves.toEqual({ ok: false, error: 'templates.list got no answer' });
  });
});
