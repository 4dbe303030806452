import { createServer, request } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SseWriter } from './sse-writer.js';

/** Serves one request with `handle`, and answers the body the client received. */
async function exchange(handle: (raw: ServerResponse) => Promise<void>): Promise<string> {
  const server = createServer((_incoming, raw) => {
    raw.writeHead(200, { 'content-type': 'text/event-stream' });
    void handle(raw);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await new Promise<string>((resolve, reject) => {
      const outgoing = request(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, (response) => {
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
      raw.end(sse.takePending());
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
});
