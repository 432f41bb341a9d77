import { describe, expect, test } from 'vitest';
import { API_EVENTS, API_METHODS } from '../../../../contracts/api.js';
import { ALLOWED_EVENTS, ALLOWED_METHODS, eventChannel, invokeChannel, isAllowedEvent, isAllowedMethod, unwrapInvokeResult } from '../../../../electron/common/channels.js';

describe('allowlist', () => {
  test('lists exactly the methods and events of contracts/api.ts', () => {
    expect([...ALLOWED_METHODS].sort()).toEqual([...API_METHODS].sort());
    expect([...ALLOWED_EVENTS].sort()).toEqual([...API_EVENTS].sort());
  });

  test.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'app.info ', 'APP.INFO', '', 'fs.readFile'])('refuses method %j', (m) => {
    expect(isAllowedMethod(m)).toBe(false);
  });

  test('refuses non-strings and unknown events', () => {
    expect(isAllowedMethod(42)).toBe(false);
    expect(isAllowedMethod({ toString: () => 'app.info' })).toBe(false);
    expect(isAllowedEvent('__proto__')).toBe(false);
    expect(isAllowedEvent('menu.nope')).toBe(false);
    expect(isAllowedEvent('train.event')).toBe(true);
  });

  test('gives each method and event its own channel', () => {
    const channels = [...ALLOWED_METHODS.map(invokeChannel), ...ALLOWED_EVENTS.map(eventChannel)];
    expect(new Set(channels).size).toBe(channels.length);
    expect(invokeChannel('templates.get')).toBe('layerlab:invoke:templates.get');
  });
});

describe('unwrapInvokeResult', () => {
  test('returns the value of a success', () => {
    expect(unwrapInvokeResult({ ok: true, value: { version: '1' } })).toEqual({ version: '1' });
  });
  test('throws the message of a failure', () => {
    expect(() => unwrapInvokeResult({ ok: false, error: 'Invalid request for templates.get: id: bad' })).toThrow('Invalid request for templates.get: id: bad');
  });
  test.each([undefined, null, 'x', {}])('treats %j as malformed', (r) => {
    expect(() => unwrapInvokeResult(r)).toThrow(/malformed/);
  });
});
