/**
 * Serves the renderer build on `app://layerlab/` with the app's security headers.
 * `registerAppScheme` must run before `app` is ready; `serveApp` after.
 */
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { appResponseHeaders } from '../common/csp.js';
import { APP_SCHEME } from '../common/origin.js';
import { resolveAppRequest } from '../common/protocolPath.js';

/**
 * Registers the scheme as standard (real origin, relative URLs work) and secure (treated
 * like https, so `'self'` in the CSP means this origin), with fetch for Vite's module loads.
 * No `bypassCSP`, no `corsEnabled` for other origins.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
}

/** Answers every `app://` request from `rendererDir`, refusing anything outside it. */
export function serveApp(rendererDir: string, log: (m: string) => void): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
    const resolved = resolveAppRequest(rendererDir, request.url);
    if (resolved.kind === 'refused') {
      log(`refused app request (${resolved.status}): ${resolved.reason}`);
      return plain(resolved.status, resolved.reason);
    }
    try {
      const body = await readFile(resolved.filePath);
      return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers: appResponseHeaders(resolved.mimeType) });
    } catch {
      return plain(404, 'not found');
    }
  });
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: appResponseHeaders('text/plain; charset=utf-8') });
}
