import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { APP_ENTRY_URL, APP_ORIGIN, checkSender, isAppUrl, mayNavigate } from '../../../../electron/common/origin.js';

describe('isAppUrl', () => {
  test.each([APP_ENTRY_URL, `${APP_ORIGIN}/`, `${APP_ORIGIN}/assets/index-abc.js?x=1#h`])('accepts %s', (url) => {
    expect(isAppUrl(url)).toBe(true);
  });

  test.each([
    'https://layerlab/',
    'http://localhost:5173/',
    'file:///etc/passwd',
    'app://layerlab.evil/',
    'app://evil/',
    'app://layerlab@evil/',
    'app://user:pw@layerlab/',
    'app://layerlab:8080/',
    'javascript:alert(1)',
    'data:text/html,hi',
    'about:blank',
    'devtools://devtools/bundled/inspector.html',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(isAppUrl(url)).toBe(false);
  });

  test('refuses undefined and null', () => {
    expect(isAppUrl(undefined)).toBe(false);
    expect(isAppUrl(null)).toBe(false);
  });

  test('no web URL is ever on the app origin', () => {
    fc.assert(fc.property(fc.webUrl(), (url) => !isAppUrl(url) && !mayNavigate(url)));
  });
});

describe('checkSender', () => {
  const good = { frameUrl: APP_ENTRY_URL, fromMainWindow: true, isTopFrame: true };

  test('accepts the main window top frame on the app origin', () => {
    expect(checkSender(good)).toEqual({ ok: true });
  });

  test.each([
    [{ ...good, frameUrl: undefined }, /no longer exists/],
    [{ ...good, frameUrl: 'https://evil.example/x?secret=1' }, /not on app:\/\/layerlab \(it is https:\/\/evil\.example\)/],
    [{ ...good, fromMainWindow: false }, /main window/],
    [{ ...good, isTopFrame: false }, /sub-frame/],
  ])('refuses %j', (sender, reason) => {
    const verdict = checkSender(sender);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) {
      expect(verdict.reason).toMatch(reason);
      expect(verdict.reason).not.toContain('secret');
    }
  });
});
