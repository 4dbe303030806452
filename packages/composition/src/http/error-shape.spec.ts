import { connect } from 'node:net';
import { errorResponseSchema } from '@llmops/kernel';
import { kettleAdminHeaders, kettleWorkspace, seedKettleAdminKey } from '../__fixtures__/kettle-workspace.js';
import { startLlmopsServer } from './llmops-server.js';
import type { RunningLlmopsServer } from './llmops-server.js';

/** Sends raw bytes (a request no HTTP client would build) and answers the status and the body. */
function rawRequest(url: string, request: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.end(request));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
  });
}

/** The error of an OpenAI-shaped body: throws (with the body) when the body has another shape. */
function openAiError(body: string) {
  return errorResponseSchema.strict().parse(JSON.parse(body)).error;
}

describe("every error of the llmops server in OpenAI's shape", () => {
  let running: RunningLlmopsServer;

  beforeAll(async () => {
    const cwd = kettleWorkspace('llmops-errors-');
    await seedKettleAdminKey(cwd);
    running = await startLlmopsServer({ port: 0, cwd, env: {}, logger: false });
  });
  afterAll(async () => {
    await running.close();
  });

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${running.url}${path}`, {
      method: 'POST',
      headers: { ...kettleAdminHeaders, 'content-type': 'application/json', ...headers },
      body,
    });

  it('answers an unknown route with 404 not_found, with and without a key, for any method', async () => {
    for (const method of ['GET', 'POST', 'DELETE', 'OPTIONS']) {
      for (const headers of [{}, kettleAdminHeaders]) {
        const response = await fetch(`${running.url}/v2/nothing?x=1`, { method, headers });
        expect([method, response.status]).toEqual([method, 404]);
        expect(openAiError(await response.text())).toMatchObject({ code: 'not_found', param: null });
      }
    }
  });

  it('answers a known path asked with a method it does not take with 405, Allow, and the methods in the message', async () => {
    const cases: Array<[method: string, path: string, allow: string]> = [
      ['GET', '/v1/chat/completions', 'POST'],
      ['DELETE', '/v1/models', 'GET, HEAD'],
      ['PUT', '/v1/models/kettle-help', 'GET, HEAD'],
      ['DELETE', '/api/v1/traces/0123?x=1', 'GET, HEAD'],
      ['GET', '/api/v1/keys/0123456789ab/revoke', 'POST'],
      ['PATCH', '/api/v1/keys', 'GET, HEAD, POST'],
      ['POST', '/ui/runs/42', 'GET, HEAD'],
      ['OPTIONS', '/healthz', 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      // Without a key too: the method is wrong whoever asks, and the route table is public (GET /docs).
      for (const headers of [{}, kettleAdminHeaders]) {
        const response = await fetch(`${running.url}${path}`, { method, headers });
        expect([method, path, response.status, response.headers.get('allow')]).toEqual([method, path, 405, allow]);
        const error = openAiError(await response.text());
        expect(error).toMatchObject({ code: 'method_not_allowed', type: 'invalid_request_error', param: null });
        expect(error.message).toBe(`method ${method} is not allowed on ${path.split('?')[0]}; it answers ${allow}`);
      }
    }
  });

  it('answers a wrong method with 405 before reading the body: a broken JSON body, a QUERY without a content type', async () => {
    const broken = await fetch(`${running.url}/v1/chat/completions`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"model":',
    });
    expect([broken.status, broken.headers.get('allow')]).toEqual([405, 'POST']);
    const query = await rawRequest(running.url, 'QUERY /v1/models HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect([query.status, openAiError(query.body).code]).toEqual([405, 'method_not_allowed']);
  });

  it('keeps 404 and its hint for paths no method answers, even beside a known path', async () => {
    for (const path of ['/v1/completions', '/v1/chat/completions/extra', '/v1/models/a/b', '/api/v1/keys/x']) {
      const response = await fetch(`${running.url}${path}`, { method: 'POST', headers: kettleAdminHeaders });
      expect([path, response.status, response.headers.get('allow')]).toEqual([path, 404, null]);
      expect(openAiError(await response.text()).code).toBe('not_found');
    }
    const legacy = await fetch(`${running.url}/v1/completions`, { method: 'POST' });
    expect(openAiError(await legacy.text()).message).toContain('not the Responses or legacy Completions APIs');
  });

  it('answers a path parameter longer than the router takes with 414 and says which limit', async () => {
    const response = await fetch(`${running.url}/api/v1/models/${'a'.repeat(500)}`, { headers: kettleAdminHeaders });
    expect(response.status).toBe(414);
    const error = openAiError(await response.text());
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/path parameter is longer than \d+ characters/);
  });

  it('answers a malformed URL (a broken percent escape) with 400 naming the URL', async () => {
    const response = await rawRequest(
      running.url,
      'GET /api/v1/models/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    expect(response.status).toBe(400);
    const error = openAiError(response.body);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('/api/v1/models/%zz');
  });

  it('reports a body with a __proto__ key as such, not as invalid JSON', async () => {
    const response = await post('/api/v1/keys', '{"name":"a","role":"admin","__proto__":{"x":1}}');
    expect(response.status).toBe(400);
    const error = openAiError(await response.text());
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/"__proto__"/);
    expect(error.message).not.toMatch(/not valid JSON/);
    const constructor = await post('/api/v1/keys', '{"constructor":{"prototype":{"x":1}}}');
    expect(constructor.status).toBe(400);
    expect(openAiError(await constructor.text()).message).toMatch(/"constructor"/);
  });

  it('answers invalid JSON, an empty body and a wrong content type in the same shape', async () => {
    const broken = await post('/api/v1/keys', '{"name":');
    expect(broken.status).toBe(400);
    expect(openAiError(await broken.text()).message).toMatch(/not valid JSON/);
    const empty = await post('/api/v1/keys', '');
    expect(empty.status).toBe(400);
    expect(openAiError(await empty.text()).message).toMatch(/empty/);
    const text = await post('/api/v1/keys', '<key/>', { 'content-type': 'application/xml' });
    expect(text.status).toBe(415);
    expect(openAiError(await text.text()).code).toBe('invalid_input');
  });

  it('answers an oversized body with 413 and a header-only abuse with a clean 4xx', async () => {
    const large = await post(
      '/v1/chat/completions',
      JSON.stringify({ model: 'x', messages: [], pad: 'x'.repeat(2_000_000) }),
    );
    expect(large.status).toBe(413);
    expect(openAiError(await large.text()).message).toMatch(/larger than the limit/);
  });
});
