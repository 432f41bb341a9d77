import { describe, expect, test } from 'vitest';
import { apiUrl } from '../../../../renderer/transport/index.js';
import { createWsClient, type SocketLike } from '../../../../renderer/transport/wsClient.js';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  onopen: SocketLike['onopen'] = null;
  onclose: SocketLike['onclose'] = null;
  onmessage: SocketLike['onmessage'] = null;
  send(d: string) {
    this.sent.push(d);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  reply(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const client = createWsClient('ws://h/api', () => {
    const s = new FakeSocket();
    sockets.push(s);
    return s;
  });
  return { client, socket: sockets[0]! };
}

describe('WebSocket client', () => {
  test('queues requests until the socket opens and matches results by id', async () => {
    const { client, socket } = setup();
    const a = client.invoke('templates.get', { id: 'lenet' });
    const b = client.invoke('app.info', {});
    expect(socket.sent).toEqual([]);
    socket.open();
    const sent = socket.sent.map((s) => JSON.parse(s));
    expect(sent).toEqual([
      { id: 1, method: 'templates.get', params: { id: 'lenet' } },
      { id: 2, method: 'app.info', params: {} },
    ]);
    socket.reply({ kind: 'result', id: 2, result: { version: '1' } });
    socket.reply({ kind: 'error', id: 1, error: 'no such template' });
    await expect(b).resolves.toEqual({ version: '1' });
    await expect(a).rejects.toThrow('no such template');
    client.close();
  });

  test('delivers pushed events to subscribers until they unsubscribe', () => {
    const { client, socket } = setup();
    socket.open();
    const got: unknown[] = [];
    const off = client.on('train.event', (p) => got.push(p));
    socket.reply({ kind: 'event', event: 'train.event', payload: { runId: 'r', event: { type: 'log', message: 'hi' } } });
    off();
    socket.reply({ kind: 'event', event: 'train.event', payload: { runId: 'r', event: { type: 'log', message: 'again' } } });
    expect(got).toEqual([{ runId: 'r', event: { type: 'log', message: 'hi' } }]);
    client.close();
  });

  test('a dropped connection fails pending requests', async () => {
    const { client, socket } = setup();
    socket.open();
    const p = client.invoke('app.info', {});
    client.close();
    socket.onclose?.({});
    await expect(p).rejects.toThrow(/closed/);
    expect(client.state()).toBe('closed');
  });

  test('the API URL follows the page: ws for http, wss for https', () => {
    expect(apiUrl({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/api');
    expect(apiUrl({ protocol: 'https:', host: 'lab.example' })).toBe('wss://lab.example/api');
  });
});
