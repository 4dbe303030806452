import { errorResponseSchema, LlmopsError } from '@llmops/kernel';
import { createApiServer } from './api-server.js';
import { startApiServer } from './start-api-server.js';

describe('createApiServer', () => {
  it('answers health and readiness', async () => {
    const server = await createApiServer();
    const health = await server.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    expect(health.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const ready = await server.inject({ method: 'GET', url: '/readyz' });
    expect([ready.statusCode, ready.json().status]).toEqual([200, 'ready']);
    await server.close();
  });

  it('is not ready while a readiness check fails, and says which', async () => {
    const server = await createApiServer({
      readinessChecks: [
        { name: 'store', check: async () => undefined },
        { name: 'corpus', check: async () => Promise.reject(new LlmopsError('unavailable', 'corpus still indexing')) },
      ],
    });
    const ready = await server.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks).toEqual([
      { name: 'store', ok: true },
      { name: 'corpus', ok: false, message: 'corpus still indexing' },
    ]);
    await server.close();
  });

  it('keeps a request id given by the caller', async () => {
    const server = await createApiServer();
    const response = await server.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(response.headers['x-request-id']).toBe('abc-123');
    await server.close();
  });

  it('answers an unknown route with an OpenAI-shaped 404', async () => {
    const server = await createApiServer();
    const response = await server.inject({ method: 'GET', url: '/v2/nothing?x=1' });
    expect(response.statusCode).toBe(404);
    const body = errorResponseSchema.parse(response.json());
    expect(body.error).toEqual({
      message: 'no route GET /v2/nothing',
      type: 'invalid_request_error',
      code: 'not_found',
      param: null,
    });
    await server.close();
  });

  // A new user's client.responses.create(...) read only "no route POST /v1/responses" (2026-12-01 walkthrough).
  it('says which OpenAI APIs it answers when an unknown /v1 route is called', async () => {
    const server = await createApiServer();
    const response = await server.inject({ method: 'POST', url: '/v1/responses', payload: {} });
    expect(response.statusCode).toBe(404);
    expect(errorResponseSchema.parse(response.json()).error.message).toBe(
      "no route POST /v1/responses; under /v1 llmops answers OpenAI's Chat Completions API (POST /v1/chat/completions), embeddings and models, not the Responses or legacy Completions APIs; GET /docs lists every route",
    );
    await server.close();
  });

  it('answers an oversized body with 413 and an OpenAI-shaped error', async () => {
    const server = await createApiServer({
      bodyLimitBytes: 1_000,
      routes: [(app) => void app.post('/echo', async (request) => request.body)],
    });
    const response = await server.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ text: 'x'.repeat(2_000) }),
    });
    expect(response.statusCode).toBe(413);
    expect(errorResponseSchema.parse(response.json()).error.message).toBe(
      'request body is larger than the limit of 1000 bytes',
    );
    await server.close();
  });

  it('answers invalid JSON with 400', async () => {
    const server = await createApiServer({
      routes: [(app) => void app.post('/echo', async (request) => request.body)],
    });
    const response = await server.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"broken": ',
    });
    expect(response.statusCode).toBe(400);
    expect(errorResponseSchema.parse(response.json()).error.message).toMatch(/^request body is not valid JSON/);
    await server.close();
  });

  it('maps LlmopsErrors from routes to their status, and hides unknown errors behind a 500', async () => {
    const server = await createApiServer({
      routes: [
        (app) => {
          app.get('/limited', async () => {
            throw new LlmopsError('rate_limited', 'slow down');
          });
          app.get('/crash', async () => {
            throw new Error('database password is hunter2');
          });
        },
      ],
    });
    const limited = await server.inject({ method: 'GET', url: '/limited' });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error).toMatchObject({
      type: 'rate_limit_error',
      code: 'rate_limit_exceeded',
      message: 'slow down',
    });
    const crash = await server.inject({ method: 'GET', url: '/crash' });
    expect(crash.statusCode).toBe(500);
    expect(crash.json().error).toEqual({
      message: 'internal server error',
      type: 'server_error',
      code: 'internal',
      param: null,
    });
    await server.close();
  });

  it('drains an in-flight request on close and then refuses new ones', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let arrived: () => void = () => undefined;
    const received = new Promise<void>((resolve) => (arrived = resolve));
    const running = await startApiServer({
      port: 0,
      routes: [
        (app) =>
          void app.get('/slow', async () => {
            arrived();
            return gate.then(() => ({ done: true }));
          }),
      ],
    });
    const inFlight = fetch(`${running.url}/slow`);
    // Close only once the request is being handled: it is then in flight, and must be drained.
    await received;
    const closed = running.close();
    release();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ done: true });
    await closed;
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
  });
});
