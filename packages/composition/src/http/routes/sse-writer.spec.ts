import { createServer, request } from 'node:http';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SseWriter } from './sse-writer.js';

/** Serves one request with `handle` (the head written first unless `deferHead`), and answers the body the client received. */
async function exchange(
  handle: (raw: ServerResponse) => Promise<void>,
  options: { deferHead?: boolean; onHeaders?: (headers: IncomingHttpHeaders) => void } = {},
): Promise<string> {
  const server = createServer((_incoming, raw) => {
    if (!options.deferHead) raw.writeHead(200, { 'content-type': 'text/event-stream' });
    void handle(raw);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await new Promise<string>((resolve, reject) => {
      const outgoing = request(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, (response) => {
        options.onHeaders?.(response.headers);
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (part: string) => (text += part));
        response.on('end', () => resolve(text));
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('SseWriter', () => {
  it('joins the events of one event-loop turn into one socket write, in order', async () => {
    const writes: string[] = [];
    const body = await exchange(async (raw) => {
      const write = raw.write.bind(raw);
      raw.write = ((chunk: string) => {
        writes.push(chunk);
        return write(chunk);
      }) as typeof raw.write;
      const sse = new SseWriter(raw);
      await sse.send('data: 1\n\n');
      await sse.send('data: 2\n\n');
      await sse.send('data: 3\n\n');
      await new Promise((resolve) => setImmediate(resolve));
      await sse.send('data: 4\n\n');
      sse.end();
    });

    expect(writes).toEqual(['data: 1\n\ndata: 2\n\ndata: 3\n\n']);
    expect(body).toBe('data: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\n');
  });

  it('queues nothing once the response is destroyed', async () => {
    let queued = 'unset';
    await exchange(async (raw) => {
      const sse = new SseWriter(raw);
      await sse.send('data: 1\n\n');
      raw.end(sse.takePending());
      await new Promise((resolve) => raw.once('close', resolve));
      await sse.send('data: late\n\n');
      queued = sse.takePending();
    });
    expect(queued).toBe('');
  });

  it('sends a stream that ended before its first write whole, with a content-length, in one socket write', async () => {
    let headers: IncomingHttpHeaders = {};
    let socketWrites = 0;
    const body = await exchange(
      async (raw) => {
        const socket = raw.socket;
        const write = socket?.write.bind(socket);
        if (socket && write)
          socket.write = ((...parts: Parameters<typeof socket.write>) => {
            socketWrites += 1;
            return write(...parts);
          }) as typeof socket.write;
        const sse = new SseWriter(raw, { 'content-type': 'text/event-stream', 'x-llmops-cache': 'hit' });
        await sse.send('data: 1\n\n');
        await sse.send('data: [DONE]\n\n');
        sse.end();
      },
      { deferHead: true, onHeaders: (received) => (headers = received) },
    );

    expect(body).toBe('data: 1\n\ndata: [DONE]\n\n');
    expect(headers['content-length']).toBe(String(body.length));
    expect(headers['transfer-encoding']).toBeUndefined();
    expect(headers['x-llmops-cache']).toBe('hit');
    expect(socketWrites).toBe(1);
  });

  it('writes the head with the first events of a stream that goes on, and streams the rest chunked', async () => {
    let headers: IncomingHttpHeaders = {};
    const body = await exchange(
      async (raw) => {
        const sse = new SseWriter(raw, { 'content-type': 'text/event-stream' });
        await sse.send('data: 1\n\n');
        await new Promise((resolve) => setImmediate(resolve));
        expect(raw.headersSent).toBe(true);
        await sse.send('data: 2\n\n');
        sse.end();
      },
      { deferHead: true, onHeaders: (received) => (headers = received) },
    );

    expect(body).toBe('data: 1\n\ndata: 2\n\n');
    expect(headers['transfer-encoding']).toBe('chunked');
    expect(headers['content-type']).toBe('text/event-stream');
  });
});
