import { describe, expect, test } from 'vitest';
import { APP_CSP, APP_CSP_DIRECTIVES, appResponseHeaders, buildCsp, parseCsp } from '../../../../electron/common/csp.js';

describe('APP_CSP', () => {
  const csp = parseCsp(APP_CSP);

  test('has the directives the security model requires', () => {
    expect(csp).toMatchObject({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:', 'blob:'],
      'connect-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'frame-ancestors': ["'none'"],
    });
  });

  test('never allows inline or evaluated script, or remote sources', () => {
    const all = Object.values(csp).flat();
    expect(csp['script-src']).not.toContain("'unsafe-inline'");
    expect(all).not.toContain("'unsafe-eval'");
    expect(all).not.toContain("'wasm-unsafe-eval'");
    expect(all.filter((s) => /^(https?|wss?):|\*/.test(s))).toEqual([]);
  });

  test('round-trips through build and parse', () => {
    expect(parseCsp(buildCsp(APP_CSP_DIRECTIVES))).toEqual(Object.fromEntries(Object.entries(APP_CSP_DIRECTIVES).map(([k, v]) => [k, [...v]])));
  });
});

test('every app response carries the CSP and nosniff', () => {
  const h = appResponseHeaders('text/html; charset=utf-8');
  expect(h['Content-Security-Policy']).toBe(APP_CSP);
  expect(h['X-Content-Type-Options']).toBe('nosniff');
  expect(h['Content-Type']).toBe('text/html; charset=utf-8');
});
