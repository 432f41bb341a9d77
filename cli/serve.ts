/** `layerlab serve`: the renderer as static files plus the same API as the desktop app, over WebSocket at /api. */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { apiRequestSchemas, isApiMethod, wireRequest, type ApiHandlers, type WireMessage } from '../contracts/index.js';
import type { Service } from '../runtime/service.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Maps a URL path into `root`, refusing anything that would escape it. */
export function staticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]!);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const rel = normalize(decoded === '/' ? '/index.html' : decoded).replace(/^([/\\])+/, '');
  const full = join(root, rel);
  return full === root || full.startsWith(root.endsWith(sep) ? root : root + sep) ? full : null;
}

/** Dispatches one wire request to the service's handlers; every request is validated first. */
export async function dispatch(handlers: ApiHandlers, raw: string): Promise<WireMessage | null> {
  let msg;
  try {
    msg = wireRequest.parse(JSON.parse(raw));
  } catch {
    return null;
  }
  if (!isApiMethod(msg.method)) return { kind: 'error', id: msg.id, error: `Unknown method "${msg.method}"` };
  const params = apiRequestSchemas[msg.method].safeParse(msg.params ?? {});
  if (!params.success) return { kind: 'error', id: msg.id, error: `Bad request for ${msg.method}: ${params.error.issues[0]?.message}` };
  try {
    const handler = handlers[msg.method] as (req: unknown) => unknown;
    return { kind: 'result', id: msg.id, result: await handler(params.data) };
  } catch (e) {
    return { kind: 'error', id: msg.id, error: (e as Error).message };
  }
}

export interface Served {
  readonly url: string;
  close(): Promise<void>;
}

export async function serve(service: Service, rendererDir: string, port: number, host = '127.0.0.1'): Promise<Served> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = staticPath(rendererDir, req.url ?? '/');
    const file = path && existsSync(path) && statSync(path).isFile() ? path : null;
    if (!file) {
      res.writeHead(path ? 404 : 400, { 'content-type': 'text/plain' });
      res.end(existsSync(rendererDir) ? 'Not found' : `The UI is not built (${rendererDir} is missing); run \`npm run build\``);
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'x-content-type-options': 'nosniff' });
    createReadStream(file).pipe(res);
  });
  const wss = new WebSocketServer({ server, path: '/api', maxPayload: 64 * 1024 * 1024 });
  const sockets = new Set<WebSocket>();
  const unsubscribe = service.onEvent((event, payload) => {
    const text = JSON.stringify({ kind: 'event', event, payload } satisfies WireMessage);
    for (const s of sockets) if (s.readyState === s.OPEN) s.send(text);
  });
  wss.on('connection', (socket, req) => {
    // Only pages served from this origin may drive the API (a browser sends Origin on WebSocket upgrades).
    const origin = req.headers.origin;
    if (origin && origin !== `http://${req.headers.host}`) {
      socket.close(1008, 'cross-origin connections are refused');
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('message', async (data) => {
      const reply = await dispatch(service.handlers, data.toString());
      if (reply && socket.readyState === socket.OPEN) socket.send(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host}:${actualPort}`,
    async close() {
      unsubscribe();
      for (const s of sockets) s.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
      await service.dispose();
    },
  };
}
