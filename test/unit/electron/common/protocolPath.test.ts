import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { mimeTypeFor, resolveAppRequest } from '../../../../electron/common/protocolPath.js';

const root = path.resolve('/srv/layerlab/dist/renderer');

describe('resolveAppRequest', () => {
  test.each([
    ['app://layerlab/', 'index.html', 'text/html; charset=utf-8'],
    ['app://layerlab/index.html?x=1#top', 'index.html', 'text/html; charset=utf-8'],
    ['app://layerlab/assets/index-Ab12.js', 'assets/index-Ab12.js', 'text/javascript; charset=utf-8'],
    ['app://layerlab/assets/a%20b.css', 'assets/a b.css', 'text/css; charset=utf-8'],
    ['app://layerlab/./assets//x.wasm', 'assets/x.wasm', 'application/wasm'],
    ['app://layerlab/assets/..hidden.js', 'assets/..hidden.js', 'text/javascript; charset=utf-8'],
  ])('%s serves %s', (url, rel, mime) => {
    expect(resolveAppRequest(root, url)).toEqual({ kind: 'file', filePath: path.join(root, rel), mimeType: mime });
  });

  test.each([
    ['app://layerlab/assets/..%2f..%2f..%2fetc%2fpasswd', 403],
    ['app://layerlab/..%5c..%5cwindows', 400],
    ['app://layerlab/index.html%00.js', 400],
    ['app://layerlab/%E0%A4%A', 400],
    ['app://other/index.html', 404],
    ['app://layerlab@evil/index.html', 404],
    ['https://layerlab/index.html', 404],
    ['nonsense', 400],
  ])('refuses %s with %i', (url, status) => {
    const r = resolveAppRequest(root, url);
    expect(r.kind).toBe('refused');
    if (r.kind === 'refused') expect(r.status).toBe(status);
  });

  test.each(['app://layerlab/../../etc/passwd', 'app://layerlab/%2e%2e/%2e%2e/etc/passwd'])('URL dot segments in %s cannot climb above the root', (url) => {
    expect(resolveAppRequest(root, url)).toMatchObject({ kind: 'file', filePath: path.join(root, 'etc', 'passwd') });
  });

  test('double encoding stays a literal name inside the root', () => {
    const r = resolveAppRequest(root, 'app://layerlab/%252e%252e/x');
    expect(r).toMatchObject({ kind: 'file', filePath: path.join(root, '%2e%2e', 'x') });
  });

  test('whatever the path, a served file lies inside the root', () => {
    // Segments glued from escape-ish tokens, so encoded separators land next to dot-dots often.
    const token = fc.constantFrom('..', '.', '%2e', '%2E', '%2f', '%2F', '%5c', '%00', '%25', '/', 'a', 'etc', '');
    const segment = fc.oneof(fc.array(token, { minLength: 1, maxLength: 5 }).map((t) => t.join('')), fc.string());
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), (segs) => {
        const r = resolveAppRequest(root, `app://layerlab/${segs.join('/')}`);
        if (r.kind === 'refused') return true;
        const rel = path.relative(root, r.filePath);
        return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
      }),
      { numRuns: 2000 },
    );
  });
});

test('mimeTypeFor falls back to bytes for unknown types', () => {
  expect(mimeTypeFor('a/b.JSON')).toBe('application/json; charset=utf-8');
  expect(mimeTypeFor('a/b.exe')).toBe('application/octet-stream');
  expect(mimeTypeFor('LICENSE')).toBe('application/octet-stream');
});
