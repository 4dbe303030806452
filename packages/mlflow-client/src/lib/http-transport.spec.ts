import { LlmopsError } from '@llmops/kernel';
import { z } from 'zod';
import { startTestServer } from './__fixtures__/http-test-server.js';
import type { TestServer } from './__fixtures__/http-test-server.js';
import { HttpTransport, parseTrackingUri } from './http-transport.js';
import { createMlflowClientFromEnv, readMlflowEnv } from './mlflow-client.js';

const fast = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };
const experimentBody = JSON.stringify({ experiment: { experiment_id: '7', name: 'support-bot' } });
let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function caught(promise: Promise<unknown>): Promise<LlmopsError> {
  try {
    await promise;
  } catch (error) {
    if (LlmopsError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('retries with bounded backoff', () => {
  it('retries a 503 twice, then succeeds', async () => {
    server = await startTestServer((_, index) =>
      index < 2
        ? { status: 503, body: 'Service Unavailable', headers: { 'content-type': 'text/plain' } }
        : { status: 200, body: experimentBody },
    );
    const client = createMlflowClientFromEnv({ MLFLOW_TRACKING_URI: server.url }, { retry: fast });
    const experiment = await client.experiments.getByName('support-bot');
    expect(experiment.experimentId).toBe('7');
    expect(server.requests.map((request) => request.url)).toEqual(
      Array(3).fill('/api/2.0/mlflow/experiments/get-by-name?experiment_name=support-bot'),
    );
  });

  it('gives up after maxAttempts with the last error, still retryable', async () => {
    server = await startTestServer(() => ({
      status: 502,
      body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
      headers: { 'content-type': 'text/html' },
    }));
    const client = createMlflowClientFromEnv({ MLFLOW_TRACKING_URI: server.url }, { retry: fast });
    const error = await caught(client.experiments.get('7'));
    expect(error.code).toBe('upstream_error');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('MLflow GET /api/2.0/mlflow/experiments/get failed with HTTP 502: 502 Bad Gateway');
    expect(server.requests).toHaveLength(3);
  });

  it('honours Retry-After of a 429', async () => {
    server = await startTestServer((_, index) =>
      index === 0
        ? { status: 429, body: 'slow down', headers: { 'retry-after': '0' } }
        : { status: 200, body: experimentBody },
    );
    const client = createMlflowClientFromEnv(
      { MLFLOW_TRACKING_URI: server.url },
      { retry: { maxAttempts: 2, baseDelayMs: 60_000, maxDelayMs: 60_000 } },
    );
    await expect(client.experiments.get('7')).resolves.toMatchObject({ name: 'support-bot' });
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry a 4xx', async () => {
    server = await startTestServer(() => ({
      status: 404,
      body: '{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "No Experiment with id=7 exists"}',
    }));
    const client = createMlflowClientFromEnv({ MLFLOW_TRACKING_URI: server.url }, { retry: fast });
    const error = await caught(client.experiments.get('7'));
    expect(error.code).toBe('not_found');
    expect(server.requests).toHaveLength(1);
  });

  it('maps an unreachable server to unavailable after retrying', async () => {
    const closed = await startTestServer(() => ({ status: 200 }));
    const url = closed.url;
    await closed.close();
    const client = createMlflowClientFromEnv({ MLFLOW_TRACKING_URI: url }, { retry: fast });
    const error = await caught(client.experiments.get('7'));
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain(`could not reach ${url} (ECONNREFUSED)`);
  });
});

describe('timeouts', () => {
  it('fails an attempt that outlives timeoutMs with timeout', async () => {
    server = await startTestServer(() => ({ status: 200, body: experimentBody, delayMs: 2_000 }));
    const client = createMlflowClientFromEnv(
      { MLFLOW_TRACKING_URI: server.url },
      { timeoutMs: 50, retry: { maxAttempts: 1 } },
    );
    const error = await caught(client.experiments.get('7'));
    expect(error.code).toBe('timeout');
    expect(error.message).toBe('MLflow GET /api/2.0/mlflow/experiments/get did not answer within 50 ms');
  });

  it('retries a timed-out GET but not a timed-out create', async () => {
    server = await startTestServer((request, index) =>
      index === 0 || request.method === 'POST'
        ? { status: 200, body: experimentBody, delayMs: 2_000 }
        : { status: 200, body: experimentBody },
    );
    const client = createMlflowClientFromEnv({ MLFLOW_TRACKING_URI: server.url }, { timeoutMs: 100, retry: fast });
    await expect(client.experiments.get('7')).resolves.toMatchObject({ experimentId: '7' });
    const error = await caught(client.experiments.create({ name: 'again' }));
    expect(error.code).toBe('timeout');
    expect(error.retryable).toBe(false);
    expect(server.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
  });

  it("stops at once when the caller's signal fires", async () => {
    server = await startTestServer(() => ({ status: 200, body: experimentBody, delayMs: 2_000 }));
    const client = createMlflowClientFromEnv({ MLFLOW_TRACKING_URI: server.url }, { retry: fast });
    const error = await caught(client.experiments.get('7', { signal: AbortSignal.timeout(50) }));
    expect(error.code).toBe('timeout');
    expect(error.retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
  });
});

describe("auth from MLflow's environment variables", () => {
  it('sends MLFLOW_TRACKING_TOKEN as a bearer token', async () => {
    server = await startTestServer(() => ({ status: 200, body: experimentBody }));
    await createMlflowClientFromEnv({
      MLFLOW_TRACKING_URI: server.url,
      MLFLOW_TRACKING_TOKEN: 'tok-123',
    }).experiments.get('7');
    expect(server.requests[0]?.headers['authorization']).toBe('Bearer tok-123');
  });

  it('sends username and password as basic auth, preferred over a token as in MLflow', async () => {
    server = await startTestServer(() => ({ status: 200, body: experimentBody }));
    await createMlflowClientFromEnv({
      MLFLOW_TRACKING_URI: server.url,
      MLFLOW_TRACKING_USERNAME: 'ada',
      MLFLOW_TRACKING_PASSWORD: 's3cret:x',
      MLFLOW_TRACKING_TOKEN: 'ignored',
    }).experiments.get('7');
    expect(server.requests[0]?.headers['authorization']).toBe(
      `Basic ${Buffer.from('ada:s3cret:x').toString('base64')}`,
    );
  });

  it('sends no authorization header without credentials', async () => {
    server = await startTestServer(() => ({ status: 200, body: experimentBody }));
    await createMlflowClientFromEnv({ MLFLOW_TRACKING_URI: server.url }).experiments.get('7');
    expect(server.requests[0]?.headers['authorization']).toBeUndefined();
  });

  it('uses credentials embedded in the tracking URI and keeps them out of the base URL', async () => {
    server = await startTestServer(() => ({ status: 200, body: experimentBody }));
    const client = createMlflowClientFromEnv({
      MLFLOW_TRACKING_URI: server.url.replace('http://', 'http://bob:pa%40ss@'),
    });
    await client.experiments.get('7');
    expect(server.requests[0]?.headers['authorization']).toBe(`Basic ${Buffer.from('bob:pa@ss').toString('base64')}`);
    expect(client.trackingUri).toBe(server.url);
  });

  it('names the missing variable without echoing the secret', () => {
    const error = (() => {
      try {
        readMlflowEnv({ MLFLOW_TRACKING_URI: 'http://127.0.0.1:5000', MLFLOW_TRACKING_PASSWORD: 'hunter2' });
      } catch (thrown) {
        return thrown as LlmopsError;
      }
      throw new Error('expected readMlflowEnv to fail');
    })();
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('MLFLOW_TRACKING_USERNAME is not set');
    expect(error.message).not.toContain('hunter2');
  });

  it('requires MLFLOW_TRACKING_URI and reads timeout and retries', () => {
    expect(() => readMlflowEnv({})).toThrow(/MLFLOW_TRACKING_URI is not set/);
    expect(
      readMlflowEnv({
        MLFLOW_TRACKING_URI: 'https://mlflow.example/',
        MLFLOW_HTTP_REQUEST_TIMEOUT: '5',
        MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0',
      }),
    ).toEqual({
      trackingUri: 'https://mlflow.example/',
      auth: undefined,
      timeoutMs: 5000,
      retry: { maxAttempts: 1 },
    });
    expect(() => readMlflowEnv({ MLFLOW_TRACKING_URI: 'http://x', MLFLOW_HTTP_REQUEST_TIMEOUT: 'soon' })).toThrow(
      /MLFLOW_HTTP_REQUEST_TIMEOUT is "soon"/,
    );
  });

  it('never puts the token in an error message', async () => {
    server = await startTestServer(() => ({
      status: 401,
      body: 'You are not authenticated.',
      headers: { 'content-type': 'text/plain' },
    }));
    const client = createMlflowClientFromEnv({
      MLFLOW_TRACKING_URI: server.url,
      MLFLOW_TRACKING_TOKEN: 'tok-very-secret',
    });
    const error = await caught(client.experiments.get('7'));
    expect(error.code).toBe('unauthorized');
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain('tok-very-secret');
  });
});

describe('the transport', () => {
  it('refuses tracking URIs that are not http(s)', () => {
    expect(() => parseTrackingUri('file:///tmp/mlruns')).toThrow(/scheme "file:" is not supported/);
    expect(() => parseTrackingUri('databricks')).toThrow(/is not a URL/);
    expect(parseTrackingUri('http://host:5000/prefix/')).toEqual({
      baseUrl: 'http://host:5000/prefix',
      auth: undefined,
    });
  });

  it('reads an empty body as {} and rejects a body that is not JSON', async () => {
    server = await startTestServer((_, index) =>
      index === 0 ? { status: 200, body: '' } : { status: 200, body: 'OK', headers: { 'content-type': 'text/plain' } },
    );
    const transport = new HttpTransport({ trackingUri: server.url });
    await expect(
      transport.json({ method: 'POST', path: '/api/2.0/mlflow/runs/set-tag', json: {} }, z.object({})),
    ).resolves.toEqual({});
    const error = await caught(transport.json({ method: 'GET', path: '/x' }, z.object({})));
    expect(error.code).toBe('upstream_error');
    expect(error.message).toContain('not JSON: OK');
  });

  it('reports an answer of the wrong shape as upstream_error naming the field', async () => {
    server = await startTestServer(() => ({ status: 200, body: '{"experiment": {"name": 3}}' }));
    const client = createMlflowClientFromEnv({ MLFLOW_TRACKING_URI: server.url });
    const error = await caught(client.experiments.get('7'));
    expect(error.code).toBe('upstream_error');
    expect(error.message).toMatch(/experiment\.experiment_id/);
  });

  it('sends JSON bodies, repeated query values and the extra headers', async () => {
    server = await startTestServer(() => ({ status: 200, body: '{}' }));
    const transport = new HttpTransport({ trackingUri: `${server.url}/`, headers: { 'x-team': 'search' } });
    await transport.json(
      { method: 'POST', path: '/a', json: { name: 'n' }, query: { order_by: ['a', 'b'], skip: undefined } },
      z.object({}),
    );
    expect(server.requests[0]?.url).toBe('/a?order_by=a&order_by=b');
    expect(server.requests[0]?.headers['content-type']).toBe('application/json');
    expect(server.requests[0]?.headers['x-team']).toBe('search');
    expect(server.requests[0]?.body.toString()).toBe('{"name":"n"}');
  });
});
