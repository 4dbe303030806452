import OpenAI from 'openai';
import { startOpenAiWireServer } from '@llmops/providers/testing';
import type { OpenAiWireServer } from '@llmops/providers/testing';
import { kettleCallers, servedKettleHelp } from '../__fixtures__/kettle-workspace.js';
import type { RunningLlmopsServer } from './llmops-server.js';

const question = { role: 'user' as const, content: 'Is limescale damage covered by the warranty?' };

describe("OpenAI's error codes through the official openai client", () => {
  let running: RunningLlmopsServer;
  let upstream: OpenAiWireServer;

  beforeAll(async () => {
    upstream = await startOpenAiWireServer();
    // Anonymous inference off: a request without a key is refused, as in a deployment.
    ({ running } = await servedKettleHelp({
      prefix: 'llmops-error-codes-',
      env: { LLMOPS_ANONYMOUS_INFERENCE: 'false' },
    }));
  });
  afterAll(async () => {
    await running.close();
    await upstream.close();
  });

  const { admin, createKey, client, failure } = kettleCallers({
    get url() {
      return running.url;
    },
  });

  it('answers a missing key with 401 unauthorized and a key it does not accept with 401 invalid_api_key', async () => {
    // The client always sends its key: a null header removes it, as a client configured without one would.
    const keyless = new OpenAI({
      baseURL: `${running.url}/v1`,
      apiKey: 'unused',
      maxRetries: 0,
      defaultHeaders: { authorization: null },
    });
    const missing = await failure(keyless.chat.completions.create({ model: 'kettle-help', messages: [question] }));
    expect(missing).toBeInstanceOf(OpenAI.AuthenticationError);
    expect([missing.status, missing.type, missing.code]).toEqual([401, 'invalid_request_error', 'unauthorized']);

    const unknown = await failure(
      client(`llmops-0123456789ab-${'x'.repeat(43)}`).chat.completions.create({
        model: 'kettle-help',
        messages: [question],
      }),
    );
    expect(unknown).toBeInstanceOf(OpenAI.AuthenticationError);
    expect([unknown.status, unknown.type, unknown.code]).toEqual([401, 'invalid_request_error', 'invalid_api_key']);

    const revoked = await createKey({ name: 'revoked', role: 'inference' });
    expect((await admin('POST', `/api/v1/keys/${revoked.key.id}/revoke`)).status).toBe(200);
    const afterRevoke = await failure(client(revoked.apiKey).models.list());
    expect(afterRevoke).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(afterRevoke.code).toBe('invalid_api_key');
    expect(afterRevoke.message).toContain(`API key ${revoked.key.id} is revoked`);

    const malformed = await fetch(`${running.url}/v1/models`, { headers: { authorization: 'bearer x' } });
    expect(malformed.status).toBe(401);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
  });

  it('answers a key without the role a route needs with 403 forbidden (OpenAI has no code for it)', async () => {
    const { apiKey } = await createKey({ name: 'app', role: 'inference' });
    const root = new OpenAI({ baseURL: running.url, apiKey, maxRetries: 0 });
    const refused = await failure(root.get('/api/v1/keys'));
    expect(refused).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect([refused.status, refused.type, refused.code]).toEqual([403, 'permission_error', 'forbidden']);
  });

  it('answers a model it does not serve with 404 model_not_found on chat, embeddings and models.retrieve', async () => {
    const { apiKey } = await createKey({ name: 'models', role: 'inference' });
    const openai = client(apiKey);
    const calls = {
      chat: () => openai.chat.completions.create({ model: 'kettle-help@nope', messages: [question] }),
      stream: () => openai.chat.completions.create({ model: 'no-such-model', messages: [question], stream: true }),
      embeddings: () => openai.embeddings.create({ model: 'no-such-model', input: 'kettle' }),
      retrieve: () => openai.models.retrieve('no-such-model'),
    };
    for (const [name, call] of Object.entries(calls)) {
      const error = await failure(call());
      expect([name, error instanceof OpenAI.NotFoundError]).toEqual([name, true]);
      expect([name, error.status, error.type, error.code, error.param]).toEqual([
        name,
        404,
        'invalid_request_error',
        'model_not_found',
        'model',
      ]);
    }
  });

  it('answers a wrong method on a route with 405 method_not_allowed and the methods in Allow', async () => {
    const { apiKey } = await createKey({ name: 'method', role: 'inference' });
    const refused = await failure(client(apiKey).get('/chat/completions'));
    expect([refused.status, refused.type, refused.code]).toEqual([405, 'invalid_request_error', 'method_not_allowed']);
    expect(refused.headers?.get('allow')).toBe('POST');
    expect(refused.message).toContain('method GET is not allowed on /v1/chat/completions; it answers POST');
  });

  it("answers an upstream's context-length refusal with 400 context_length_exceeded naming messages", async () => {
    expect((await admin('POST', '/api/v1/prompts', { name: 'plain', template: 'Answer: {{question}}' })).status).toBe(
      201,
    );
    const registered = await admin('POST', '/api/v1/models', {
      spec: {
        name: 'long-talk',
        provider: { provider: 'openai', model: 'gpt-4o-mini', baseUrl: upstream.baseUrl },
        pipeline: { kind: 'chat', prompt: 'plain' },
      },
    });
    expect(registered.status).toBe(201);
    // What OpenAI answers when the messages do not fit the model's context window.
    upstream.reply('/v1/chat/completions', {
      kind: 'json',
      status: 400,
      body: {
        error: {
          message:
            "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
          type: 'invalid_request_error',
          param: 'messages',
          code: 'context_length_exceeded',
        },
      },
    });
    const { apiKey } = await createKey({ name: 'long', role: 'inference' });
    const refused = await failure(
      client(apiKey).chat.completions.create({ model: 'long-talk/1', messages: [question] }),
    );
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect([refused.status, refused.type, refused.code, refused.param]).toEqual([
      400,
      'invalid_request_error',
      'context_length_exceeded',
      'messages',
    ]);
    expect(refused.message).toContain("exceeds the model's context length");
  });
});
