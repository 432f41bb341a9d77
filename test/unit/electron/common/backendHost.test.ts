import { describe, expect, test, vi } from 'vitest';
import type { ApiEventName, ApiEvents, ApiHandlers } from '../../../../contracts/api.js';
import { serveBackend, type BackendService } from '../../../../electron/common/backendHost.js';
import type { BackendMessage } from '../../../../electron/common/relay.js';

const options = { templatesDir: '/t', runsDir: '/r' };

function fakeService(overrides: Partial<ApiHandlers> = {}) {
  let emit: (<E extends ApiEventName>(e: E, p: ApiEvents[E]) => void) | undefined;
  const handlers: Partial<ApiHandlers> = {
    'app.info': () => ({ version: '9.9.9' }),
    'templates.list': async () => [],
    'templates.get': () => {
      throw new Error('Template not found');
    },
    'datasets.list': () => [],
    'train.start': () => ({ runId: 'run-1' as never }),
    'train.stop': () => ({ stopped: true }),
    ...overrides,
  };
  const service: BackendService = {
    // The methods these tests call; the host looks handlers up by name.
    handlers: handlers as ApiHandlers,
    onEvent: vi.fn((l) => {
      emit = l;
      return () => {
        emit = undefined;
      };
    }),
    dispose: vi.fn(async () => {}),
  };
  return { service, emit: (e: ApiEventName, p: unknown) => emit?.(e, p as never) };
}

function host(create: (o: typeof options) => BackendService) {
  const posted: BackendMessage[] = [];
  let deliver: (raw: unknown) => void = () => {};
  const exit = vi.fn();
  const log = vi.fn();
  const createSpy = vi.fn(create);
  serveBackend(
    {
      // structuredClone stands in for the process boundary, so unclonable values fail as they would there.
      post: (m) => posted.push(structuredClone(m)),
      onMessage: (l) => (deliver = l),
      exit,
      log,
    },
    createSpy,
  );
  const send = async (raw: unknown) => {
    deliver(raw);
    await new Promise((r) => setImmediate(r));
  };
  return { posted, send, exit, log, createSpy };
}

describe('serveBackend', () => {
  test('creates the service on init and answers requests by id', async () => {
    const { service } = fakeService();
    const h = host(() => service);
    await h.send({ type: 'init', options });
    expect(h.createSpy).toHaveBeenCalledWith(options);
    await h.send({ type: 'request', id: 7, method: 'app.info', params: {} });
    await h.send({ type: 'request', id: 8, method: 'templates.get', params: { id: 'x' } });
    expect(h.posted).toEqual([{ type: 'ready' }, { type: 'result', id: 7, value: { version: '9.9.9' } }, { type: 'error', id: 8, error: 'Template not found' }]);
  });

  test('answers a method the service lacks with an error', async () => {
    const h = host(() => fakeService().service);
    await h.send({ type: 'init', options });
    await h.send({ type: 'request', id: 5, method: 'runs.list', params: {} });
    expect(h.posted.at(-1)).toEqual({ type: 'error', id: 5, error: 'The backend does not implement runs.list.' });
  });

  test('answers requests before init with an error', async () => {
    const h = host(() => fakeService().service);
    await h.send({ type: 'request', id: 1, method: 'app.info', params: {} });
    expect(h.posted).toEqual([{ type: 'error', id: 1, error: 'The backend has not been initialised yet.' }]);
  });

  test('reports a failed init as fatal and repeats it to every request', async () => {
    const h = host(() => {
      throw new Error('templates dir missing');
    });
    await h.send({ type: 'init', options });
    await h.send({ type: 'request', id: 2, method: 'templates.list', params: {} });
    expect(h.posted).toEqual([
      { type: 'fatal', error: 'The backend could not start: templates dir missing' },
      { type: 'error', id: 2, error: 'The backend could not start: templates dir missing' },
    ]);
  });

  test('forwards service events', async () => {
    const { service, emit } = fakeService();
    const h = host(() => service);
    await h.send({ type: 'init', options });
    emit('train.event', { runId: 'run-1', event: { type: 'log', message: 'epoch 1' } });
    expect(h.posted.at(-1)).toEqual({ type: 'event', event: 'train.event', payload: { runId: 'run-1', event: { type: 'log', message: 'epoch 1' } } });
  });

  test('answers an unclonable result with an error instead of silence', async () => {
    const { service } = fakeService({ 'app.info': () => ({ version: (() => 1) as never }) });
    const h = host(() => service);
    await h.send({ type: 'init', options });
    await h.send({ type: 'request', id: 3, method: 'app.info', params: {} });
    expect(h.posted.at(-1)).toMatchObject({ type: 'error', id: 3, error: expect.stringMatching(/could not be sent/) });
  });

  test('ignores malformed messages and a second init', async () => {
    const { service } = fakeService();
    const h = host(() => service);
    await h.send({ type: 'request', id: 1, method: '__proto__', params: {} });
    await h.send('junk');
    await h.send({ type: 'init', options });
    await h.send({ type: 'init', options });
    expect(h.createSpy).toHaveBeenCalledOnce();
    expect(h.posted).toEqual([{ type: 'ready' }]);
    expect(h.log).toHaveBeenCalledTimes(3);
  });

  test('dispose stops the service, says so and exits 0; later requests are refused', async () => {
    const { service } = fakeService();
    const h = host(() => service);
    await h.send({ type: 'init', options });
    await h.send({ type: 'dispose' });
    await h.send({ type: 'request', id: 4, method: 'app.info', params: {} });
    expect(service.dispose).toHaveBeenCalledOnce();
    expect(h.exit).toHaveBeenCalledWith(0);
    expect(h.posted).toEqual([{ type: 'ready' }, { type: 'disposed' }, { type: 'error', id: 4, error: 'The backend is shutting down.' }]);
  });
});
