import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { validateRequest } from '../../../../electron/common/validate.js';

const lenet: unknown = JSON.parse(readFileSync(new URL('../../../../templates/lenet.layerlab.json', import.meta.url), 'utf8'));

describe('validateRequest', () => {
  test('accepts a well-formed request and returns the parsed params', () => {
    expect(validateRequest('templates.get', { id: 'lenet' })).toEqual({ ok: true, method: 'templates.get', params: { id: 'lenet' } });
  });

  test('accepts train.start with a real template', () => {
    const r = validateRequest('train.start', { document: lenet, config: { epochs: 1 } });
    expect(r.ok).toBe(true);
  });

  test('names the field that is wrong', () => {
    const r = validateRequest('templates.get', { id: '../../etc/passwd' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^Invalid request for templates\.get: id: /);
  });

  test('refuses extra keys on parameterless methods', () => {
    const r = validateRequest('app.info', { path: '/etc' });
    expect(r.ok).toBe(false);
  });

  test.each([undefined, null, 'lenet', 7])('refuses %j as a request body', (req) => {
    expect(validateRequest('templates.get', req).ok).toBe(false);
  });

  test('refuses unknown methods', () => {
    expect(validateRequest('constructor', {})).toEqual({ ok: false, error: 'Unknown API method "constructor".' });
  });
});
