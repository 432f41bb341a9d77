/**
 * Main's supervisor and the utility process's host wired together in-process, with the
 * real runtime service behind them and structuredClone standing in for the process
 * boundary: what the renderer would get for each read-only API method.
 */
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { ApiEventName, GraphDocument, TemplateSummary } from '../../../contracts/index.js';
import { BackendConnection, type SpawnBackend } from '../../../electron/common/backendConnection.js';
import { serveBackend } from '../../../electron/common/backendHost.js';
import type { BackendOptions } from '../../../electron/common/relay.js';
import { createService } from '../../../runtime/service.js';

const root = path.resolve(import.meta.dirname, '../../..');

function connect(options: BackendOptions) {
  const events: [ApiEventName, unknown][] = [];
  let exitCode: number | undefined;
  const spawn: SpawnBackend = ({ onMessage, onExit }) => {
    let toBackend: (raw: unknown) => void = () => {};
    serveBackend(
      {
        post: (m) => queueMicrotask(() => onMessage(structuredClone(m))),
        onMessage: (l) => (toBackend = l),
        exit: (code) => {
          exitCode = code;
          onExit(code);
        },
        log: () => {},
      },
      createService,
    );
    return { post: (m) => toBackend(structuredClone(m)), kill: () => onExit(-1) };
  };
  const conn = new BackendConnection({ spawn, backendOptions: options, timeoutMs: () => 20_000, onEvent: (e, p) => events.push([e, p]) });
  return { conn, events, exitCode: () => exitCode };
}

let live: BackendConnection | undefined;
afterEach(async () => {
  await live?.stop();
  live = undefined;
});

describe('backend round trip (real runtime service)', () => {
  const options = { templatesDir: path.join(root, 'templates'), dataDir: path.join(root, 'no-such-data-dir'), runsDir: path.join(os.tmpdir(), 'layerlab-electron-test-runs') };

  test('lists templates and fetches LeNet as a graph document', async () => {
    const { conn } = connect(options);
    live = conn;
    const list = (await conn.invoke('templates.list', {})) as TemplateSummary[];
    expect(list.map((t) => t.id)).toContain('lenet');
    const lenet = (await conn.invoke('templates.get', { id: 'lenet' })) as GraphDocument;
    expect(lenet.nodes.length).toBeGreaterThan(3);
    expect(lenet.nodes.map((n) => n.type)).toContain('Conv2D');
  });

  test('answers app.info and carries a service error back as a message', async () => {
    const { conn } = connect(options);
    live = conn;
    await expect(conn.invoke('app.info', {})).resolves.toEqual({ version: expect.any(String) });
    await expect(conn.invoke('templates.get', { id: 'no-such-template' })).rejects.toThrow(/no-such-template/);
  });

  test('stop disposes the service and the host exits 0', async () => {
    const c = connect(options);
    await c.conn.invoke('app.info', {});
    await c.conn.stop();
    expect(c.exitCode()).toBe(0);
    expect(c.conn.running).toBe(false);
  });
});
