import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ApiEvents, WireMessage } from '../../../contracts/index.js';
import { dispatch, serve, staticPath, type Served } from '../../../cli/serve.js';
import { createService } from '../../../runtime/service.js';
import { readFileSync } from 'node:fs';
import { repoRoot, sharedDatasets, template } from '../../helpers/paths.js';

describe('staticPath', () => {
  it('maps URLs inside the root and refuses traversal', () => {
    expect(staticPath('/app', '/')).toBe('/app/index.html');
    expect(staticPath('/app', '/assets/x.js?v=1')).toBe('/app/assets/x.js');
    expect(staticPath('/app', '/../etc/passwd')).toBe('/app/etc/passwd');
    expect(staticPath('/app', '/%2e%2e/%2e%2e/etc/passwd')).toBe('/app/etc/passwd');
    expect(staticPath('/app', '/a/%00')).toBeNull();
    expect(staticPath('/app', '/%E0%A4%A')).toBeNull();
  });
});

describe('dispatch', () => {
  const service = createService({ templatesDir: join(repoRoot, 'templates'), runsDir: mkdtempSync(join(tmpdir(), 'll-runs-')), dataDir: sharedDatasets });
  it('validates every request before a handler runs', async () => {
    expect(await dispatch(service.handlers, 'not json')).toBeNull();
    expect(await dispatch(service.handlers, JSON.stringify({ id: 1, method: 'fs.read', params: {} }))).toEqual({ kind: 'error', id: 1, error: 'Unknown method "fs.read"' });
    const bad = await dispatch(service.handlers, JSON.stringify({ id: 2, method: 'templates.get', params: { id: '../../etc/passwd' } }));
    expect(bad).toMatchObject({ kind: 'error', id: 2 });
    const proto = await dispatch(service.handlers, JSON.stringify({ id: 3, method: 'constructor', params: {} }));
    expect(proto).toMatchObject({ kind: 'error', id: 3 });
    const ok = await dispatch(service.handlers, JSON.stringify({ id: 4, method: 'templates.get', params: { id: 'lenet' } }));
    expect(ok).toMatchObject({ kind: 'result', id: 4, result: { name: 'LeNet-5' } });
  });
});

describe('layerlab serve over WebSocket', () => {
  let served: Served;
  beforeAll(async () => {
    const ui = mkdtempSync(join(tmpdir(), 'll-ui-'));
    writeFileSync(join(ui, 'index.html'), '<!doctype html><title>Layerlab</title>');
    const service = createService({ templatesDir: join(repoRoot, 'templates'), runsDir: mkdtempSync(join(tmpdir(), 'll-runs-')), dataDir: sharedDatasets });
    served = await serve(service, ui, 0);
  });
  afterAll(() => served.close());

  it('serves the UI', async () => {
    const res = await fetch(served.url + '/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>Layerlab</title>');
    expect((await fetch(served.url + '/missing.js')).status).toBe(404);
  });

  it('answers API calls and streams training events to the client', async () => {
    const ws = new WebSocket(served.url.replace('http', 'ws') + '/api');
    await new Promise((r) => ws.once('open', r));
    const pending = new Map<number, (m: WireMessage) => void>();
    const events: ApiEvents['train.event'][] = [];
    let finished: () => void;
    const done = new Promise<void>((r) => (finished = r));
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as WireMessage;
      if (m.kind === 'event') {
        const p = m.payload as ApiEvents['train.event'];
        events.push(p);
        if (p.event.type === 'done' || p.event.type === 'error') finished();
      } else pending.get(m.id)?.(m);
    });
    let next = 0;
    const call = (method: string, params: unknown) =>
      new Promise<WireMessage>((resolve) => {
        const id = ++next;
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      });
    const list = await call('templates.list', {});
    expect(list.kind === 'result' && (list.result as { id: string }[]).map((t) => t.id)).toEqual(expect.arrayContaining(['lenet', 'mlp']));
    const datasets = await call('datasets.list', {});
    expect(datasets.kind === 'result' && (datasets.result as { name: string; available: boolean }[]).filter((d) => d.available).map((d) => d.name)).toEqual(['synthetic-shapes', 'fashion-mnist', 'mnist']);
    const document = JSON.parse(readFileSync(template('mlp'), 'utf8'));
    const started = await call('train.start', { document, config: { dataset: 'synthetic-shapes', epochs: 1, batchSize: 100, limitTrain: 300, limitTest: 100, backend: 'cpu' } });
    expect(started.kind).toBe('result');
    const runId = started.kind === 'result' && (started.result as { runId: string }).runId;
    await done;
    ws.close();
    expect(events.every((e) => e.runId === runId)).toBe(true);
    expect(events.map((e) => e.event.type)).toEqual(['start', 'batch', 'batch', 'batch', 'epoch', 'evaluation', 'done']);
  });

  it('refuses WebSocket connections from other origins', async () => {
    const ws = new WebSocket(served.url.replace('http', 'ws') + '/api', { origin: 'http://evil.example' });
    const code = await new Promise<number>((r) => ws.once('close', (c) => r(c)));
    expect(code).toBe(1008);
  });
});
