/**
 * Maps an `app://layerlab/...` request to a file under the renderer build folder, refusing
 * anything that would escape it. Pure (node:path only), unit-tested; main does the reading.
 */
import path from 'node:path';
import { APP_HOST, APP_SCHEME } from './origin.js';

export type ResolvedRequest =
  | { readonly kind: 'file'; readonly filePath: string; readonly mimeType: string }
  | { readonly kind: 'refused'; readonly status: 400 | 403 | 404; readonly reason: string };

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** MIME type by extension; unknown types are served as bytes (and `nosniff` stops guessing). */
export function mimeTypeFor(filePath: string): string {
  return MIME_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Resolves `requestUrl` against `rootDir` (an absolute path to `dist/renderer`).
 * Decodes percent-escapes first and then refuses `..` segments, backslashes and NUL bytes,
 * because an encoded `%2e%2e%2f` survives URL normalisation and would otherwise walk out of
 * the root. As a last guard the resolved path must still lie inside the root.
 */
export function resolveAppRequest(rootDir: string, requestUrl: string): ResolvedRequest {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { kind: 'refused', status: 400, reason: 'unparsable URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username || url.password || url.port) {
    return { kind: 'refused', status: 404, reason: 'not on the app origin' };
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return { kind: 'refused', status: 400, reason: 'malformed percent-encoding' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'refused', status: 400, reason: 'illegal character in path' };
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) return { kind: 'refused', status: 403, reason: 'path traversal' };
  if (segments.length === 0) segments.push('index.html');

  const root = path.resolve(rootDir);
  const filePath = path.resolve(root, ...segments);
  const rel = path.relative(root, filePath);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return { kind: 'refused', status: 403, reason: 'outside the renderer folder' };
  return { kind: 'file', filePath, mimeType: mimeTypeFor(filePath) };
}
