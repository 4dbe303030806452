import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { LlmopsError } from '@llmops/kernel';
import type { ChatCompletionChunk, ChatModelRequest } from '@llmops/kernel';
import { APIConnectionError, APIError } from 'openai';
import { readJsonFixture, readSseFixture } from '../__fixtures__/read-fixture.js';
import { startOpenAiWireServer } from '../testing/openai-wire-server.js';
import type { OpenAiWireServer } from '../testing/openai-wire-server.js';
import { OpenAiCompatibleChatModel } from './openai-compatible-chat-model.js';
import { OpenAiCompatibleEmbedder } from './openai-compatible-embedder.js';
import { OpenAiWireTransport } from './openai-wire-transport.js';
import { UpstreamPools } from './upstream-pools.js';

const completions = '/v1/chat/completions';
const question: ChatModelRequest = { messages: [{ role: 'user', content: 'How long do refunds take?' }] };
const body = JSON.stringify({ model: 'gpt-4o-mini', messages: question.messages });

let server: OpenAiWireServer;
let transport: OpenAiWireTransport;
let pools: UpstreamPools;

beforeEach(async () => {
  server = await startOpenAiWireServer();
  pools = new UpstreamPools();
  transport = new OpenAiWireTransport({
    pools,
    baseURL: server.baseUrl,
    apiKey: 'sk-test-key-1234',
    headers: { 'x-team': 'support' },
    query: { 'api-version': '2025-01-01' },
  });
});

afterEach(async () => {
  await pools.close();
  await server.close();
});

async function drain(iterator: AsyncIterator<unknown>): Promise<unknown[]> {
  const items: unknown[] = [];
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) items.push(next.value);
  return items;
}

/**
 * Waits until the upstream has ended the last answer's body and its socket is back in the pool (undici hands a
 * connection back one event-loop turn after the body ended, so a call made at once may open a second one).
 */
async function idle(pool: OpenAiWireTransport): Promise<void> {
  while (pool.idleConnections === 0) await new Promise((resolve) => setTimeout(resolve, 2));
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('OpenAiWireTransport', () => {
  it('posts the JSON body once with key, headers and query, and parses the answer', async () => {
    server.reply(completions, { kind: 'json', body: readJsonFixture('chat-completion.json') });
    const answer = await transport.postJson('/chat/completions', body, new AbortController().signal);

    expect(answer).toEqual(readJsonFixture('chat-completion.json'));
    const [request] = server.requests;
    expect(request?.path).toBe('/v1/chat/completions?api-version=2025-01-01');
    expect(request?.headers).toMatchObject({
      authorization: 'Bearer sk-test-key-1234',
      'x-team': 'support',
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    });
    expect(request?.body).toEqual(JSON.parse(body));
  });

  it('reuses one keep-alive connection for calls in sequence, whole answers and streams alike', async () => {
    server.reply(
      completions,
      { kind: 'json', body: readJsonFixture('chat-completion.json') },
      { kind: 'sse', events: readSseFixture('chat-stream.sse') },
      { kind: 'sse', events: readSseFixture('chat-stream.sse') },
      { kind: 'json', body: readJsonFixture('chat-completion.json') },
    );
    const signal = new AbortController().signal;
    await transport.postJson('/chat/completions', body, signal);
    await idle(transport);
    await drain(await transport.postEvents('/chat/completions', body, signal));
    await idle(transport);
    await drain(await transport.postEvents('/chat/completions', body, signal));
    await idle(transport);
    await transport.postJson('/chat/completions', body, signal);

    expect(server.requests.map((request) => request.connection)).toEqual([1, 1, 1, 1]);
  });

  it('iterates the data payloads of a stream, parsed, and stops at [DONE]', async () => {
    server.reply(completions, { kind: 'sse', events: readSseFixture('chat-stream.sse') });
    const payloads = await drain(await transport.postEvents('/chat/completions', body, new AbortController().signal));

    const expected = readSseFixture('chat-stream.sse')
      .map((event) => event.replace(/^data: /, ''))
      .filter((data) => data !== '[DONE]')
      .map((data) => JSON.parse(data) as unknown);
    expect(payloads).toEqual(expected);
  });

  it('raises an error event inside a stream as the SDK APIError', async () => {
    server.reply(completions, {
      kind: 'sse',
      events: ['event: error\ndata: {"error":{"message":"overloaded","type":"server_error"}}'],
    });
    const iterator = await transport.postEvents('/chat/completions', body, new AbortController().signal);
    const error = await rejection(iterator.next());

    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toContain('overloaded');
  });

  it('raises a non-2xx answer as the SDK APIError with its status, body and headers, and keeps the connection', async () => {
    server.reply(
      completions,
      { kind: 'json', status: 429, headers: { 'retry-after': '3' }, body: readJsonFixture('error-rate-limit.json') },
      { kind: 'json', body: readJsonFixture('chat-completion.json') },
    );
    const error = await rejection(transport.postJson('/chat/completions', body, new AbortController().signal));

    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(429);
    expect((error as APIError).headers?.get('retry-after')).toBe('3');
    expect((error as APIError).code).toBe('rate_limit_exceeded');
    await idle(transport);
    await transport.postJson('/chat/completions', body, new AbortController().signal);
    expect(server.requests.map((request) => request.connection)).toEqual([1, 1]);
  });

  it('follows no redirect: the key never leaves the bound origin and a 3xx is raised as the SDK APIError', async () => {
    const elsewhere = await startOpenAiWireServer();
    try {
      server.reply(completions, {
        kind: 'json',
        status: 307,
        headers: { location: `${elsewhere.baseUrl}/chat/completions` },
        body: { error: { message: 'moved', type: 'redirect' } },
      });
      const error = await rejection(transport.postJson('/chat/completions', body, new AbortController().signal));

      expect(error).toBeInstanceOf(APIError);
      expect((error as APIError).status).toBe(307);
      expect(elsewhere.requests).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });

  it('raises a refused connection as the SDK APIConnectionError', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const nowhere = new OpenAiWireTransport({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: undefined });

    const error = await rejection(nowhere.postJson('/chat/completions', body, new AbortController().signal));
    nowhere.close();
    expect(error).toBeInstanceOf(APIConnectionError);
  });

  it('aborts a call in flight when its signal aborts: the request is closed early and the reason is raised', async () => {
    server.reply(completions, { kind: 'json', body: readJsonFixture('chat-completion.json'), delayMs: 5_000 });
    const controller = new AbortController();
    const call = transport.postJson('/chat/completions', body, controller.signal);
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const reason = new Error('caller gave up');
    controller.abort(reason);

    expect(await rejection(call)).toBe(reason);
    while (!server.requests[0]?.closedEarly) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(server.requests[0]?.closedEarly).toBe(true);
  });

  it('closes the connection of a stream its consumer leaves early, and opens a new one for the next call', async () => {
    server.reply(completions, { kind: 'sse', events: readSseFixture('chat-stream.sse') });
    const signal = new AbortController().signal;
    const iterator = await transport.postEvents('/chat/completions', body, signal);
    await iterator.next();
    await iterator.return?.();
    while (!server.requests[0]?.closedEarly) await new Promise((resolve) => setTimeout(resolve, 5));
    await drain(await transport.postEvents('/chat/completions', body, signal));

    expect(server.requests.map((request) => [request.connection, request.closedEarly])).toEqual([
      [1, true],
      [2, false],
    ]);
  });
});

describe('OpenAiCompatibleChatModel on the transport', () => {
  it('serves generate and stream calls over one keep-alive connection, with the same error mapping', async () => {
    server.reply(
      completions,
      { kind: 'json', body: readJsonFixture('chat-completion.json') },
      { kind: 'json', status: 404, body: readJsonFixture('error-model-not-found.json') },
      { kind: 'sse', events: readSseFixture('chat-stream.sse') },
    );
    const model = new OpenAiCompatibleChatModel('gpt-4o-mini', { baseURL: server.baseUrl, pools });
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    const completion = await model.generate(question);
    await nextTurn();
    let notFound: unknown;
    try {
      await model.generate(question);
    } catch (error) {
      notFound = error;
    }
    await nextTurn();
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of model.stream(question)) chunks.push(chunk);

    expect(completion.choices[0]?.message.content).toContain('Refunds are issued within 14 days');
    expect(LlmopsError.isInstance(notFound) && notFound.code).toBe('not_found');
    expect(chunks.at(-1)?.usage).toBeTruthy();
    expect(server.requests.map((request) => request.connection)).toEqual([1, 1, 1]);
  });

  it('keeps no connection when built without pools: each call asks the upstream to close its own', async () => {
    server.reply(completions, { kind: 'json', body: readJsonFixture('chat-completion.json') });
    server.reply('/v1/embeddings', { kind: 'json', body: readJsonFixture('embeddings.json') });
    // Nobody owns pools here, so nobody could close a kept-alive connection: none is kept.
    const model = new OpenAiCompatibleChatModel('gpt-4o-mini', { baseURL: server.baseUrl });
    await model.generate(question);
    await model.generate(question);
    await new OpenAiCompatibleEmbedder('text-embedding-3-small', { baseURL: server.baseUrl }).embed([
      'refunds',
      'returns',
    ]);

    expect(server.requests.map((request) => [request.connection, request.headers.connection])).toEqual([
      [1, 'close'],
      [2, 'close'],
      [3, 'close'],
    ]);
    // The upstream sees every connection closed without anyone closing anything (not at a keep-alive timeout).
    const deadline = Date.now() + 1_000;
    while (server.openConnections > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(server.openConnections).toBe(0);
  });

  describe('a whole answer read from an upstream that writes it its own way', () => {
    let raw: ReturnType<typeof createHttpServer>;
    let handle: (request: IncomingMessage, response: ServerResponse) => void;
    let rawTransport: OpenAiWireTransport;
    let rawPools: UpstreamPools;

    beforeEach(async () => {
      raw = createHttpServer((request, response) => {
        request.resume();
        request.on('end', () => handle(request, response));
      });
      await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
      rawPools = new UpstreamPools();
      rawTransport = new OpenAiWireTransport({
        pools: rawPools,
        baseURL: `http://127.0.0.1:${(raw.address() as AddressInfo).port}/v1`,
        apiKey: undefined,
      });
    });

    afterEach(async () => {
      await rawPools.close();
      raw.closeAllConnections();
      await new Promise<void>((resolve) => raw.close(() => resolve()));
    });

    it('joins a body sent in parts, a character split between two of them included', async () => {
      const answer = Buffer.from(JSON.stringify({ content: 'Remboursé sous 14 jours 🙂' }));
      const split = answer.indexOf(Buffer.from('🙂')) + 2;
      handle = (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write(answer.subarray(0, split));
        setTimeout(() => response.end(answer.subarray(split)), 10);
      };

      expect(await rawTransport.postJson('/chat/completions', body, new AbortController().signal)).toEqual({
        content: 'Remboursé sous 14 jours 🙂',
      });
    });

    it('raises a body cut off after its head as the SDK APIConnectionError saying the connection closed early', async () => {
      handle = (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '400' });
        response.write('{"id":"chatcmpl-1","choices":[');
        setTimeout(() => response.socket?.destroy(), 10);
      };
      const error = await rejection(rawTransport.postJson('/chat/completions', body, new AbortController().signal));

      expect(error).toBeInstanceOf(APIConnectionError);
      expect((error as Error).message).toMatch(/^the connection was closed before the response ended/);
    });

    it('raises the reason of an abort that comes after the head, while the body is still arriving', async () => {
      const controller = new AbortController();
      const reason = new Error('caller gave up');
      handle = (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"id":"chatcmpl-1",');
        setTimeout(() => controller.abort(reason), 10);
      };

      expect(await rejection(rawTransport.postJson('/chat/completions', body, controller.signal))).toBe(reason);
    });

    it('gives an error answer every header it had, repeated ones and a header named __proto__ included', async () => {
      handle = (_request, response) => {
        response.writeHead(503, [
          ['content-type', 'application/json'],
          ['x-upstream-note', 'one'],
          ['X-Upstream-Note', 'two'],
          ['__proto__', 'plain'],
        ]);
        response.end(JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } }));
      };
      const error = await rejection(rawTransport.postJson('/chat/completions', body, new AbortController().signal));

      expect(error).toBeInstanceOf(APIError);
      expect((error as APIError).status).toBe(503);
      expect((error as APIError).headers?.get('x-upstream-note')).toBe('one, two');
      expect((error as APIError).headers?.get('__proto__')).toBe('plain');
      expect((error as APIError).message).toContain('overloaded');
    });
  });
});
