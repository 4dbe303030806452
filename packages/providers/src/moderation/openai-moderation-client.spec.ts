import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LlmopsError } from '@llmops/kernel';
import { startOpenAiWireServer } from '../testing/openai-wire-server.js';
import type { OpenAiWireServer } from '../testing/openai-wire-server.js';
import { OpenAiModerationClient } from './openai-moderation-client.js';

const flagged = JSON.parse(
  readFileSync(join(__dirname, '..', '__fixtures__', 'moderation-flagged.json'), 'utf8'),
) as unknown;
const clean = {
  id: 'modr-2',
  model: 'omni-moderation-latest',
  results: [{ flagged: false, categories: { violence: false }, category_scores: { violence: 0.01 } }],
};

describe('OpenAiModerationClient (against a local HTTP server)', () => {
  let server: OpenAiWireServer;
  beforeEach(async () => {
    server = await startOpenAiWireServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('posts the text with the model and key, and reads the flagged categories with scores', async () => {
    server.reply('/v1/moderations', { kind: 'json', body: flagged });
    const client = new OpenAiModerationClient({ baseUrl: server.baseUrl, apiKey: 'sk-test-123456' });
    const result = await client.moderate('I will hurt him');
    expect(result).toEqual({ flagged: true, categories: [{ category: 'violence', score: 0.97 }] });
    const [request] = server.requestsTo('/v1/moderations');
    expect(request?.body).toEqual({ model: 'omni-moderation-latest', input: 'I will hurt him' });
    expect(request?.headers['authorization']).toBe('Bearer sk-test-123456');
  });

  it('flags categories at or above its threshold even when the endpoint did not', async () => {
    server.reply('/v1/moderations', { kind: 'json', body: flagged });
    const result = await new OpenAiModerationClient({ baseUrl: server.baseUrl, threshold: 0.3 }).moderate('x');
    expect(result.categories.map((category) => category.category)).toEqual(['illicit', 'violence']);
    server.reply('/v1/moderations', { kind: 'json', body: clean });
    expect(await new OpenAiModerationClient({ baseUrl: server.baseUrl }).moderate('hello')).toEqual({
      flagged: false,
      categories: [],
    });
    expect(server.requestsTo('/v1/moderations')[1]?.headers['authorization']).toBeUndefined();
  });

  it('retries a 429 after its Retry-After, then succeeds', async () => {
    server.reply(
      '/v1/moderations',
      {
        kind: 'json',
        status: 429,
        body: { error: { message: 'slow down', type: 'rate_limit_error', param: null, code: null } },
        headers: { 'retry-after': '0' },
      },
      { kind: 'json', body: clean },
    );
    const result = await new OpenAiModerationClient({ baseUrl: server.baseUrl }).moderate('hello');
    expect(result.flagged).toBe(false);
    expect(server.requestsTo('/v1/moderations')).toHaveLength(2);
  });

  it('maps failures to llmops errors that never contain the key', async () => {
    server.reply('/v1/moderations', {
      kind: 'json',
      status: 401,
      body: {
        error: {
          message: 'Incorrect API key provided',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      },
    });
    const unauthorized = await new OpenAiModerationClient({ baseUrl: server.baseUrl, apiKey: 'sk-secret-987654' })
      .moderate('x')
      .catch((error: unknown) => error);
    expect(LlmopsError.isInstance(unauthorized) && unauthorized.code).toBe('unauthorized');
    expect((unauthorized as Error).message).toMatch(/answered HTTP 401: .*check the API key variable \(apiKeyEnv\)$/);
    expect((unauthorized as Error).message).not.toContain('sk-secret-987654');

    server.reply('/v1/moderations', { kind: 'json', body: { nothing: true } });
    await expect(new OpenAiModerationClient({ baseUrl: server.baseUrl }).moderate('x')).rejects.toThrow(
      /answered a body that is not a moderation response$/,
    );

    server.reply('/v1/moderations', { kind: 'json', body: clean, delayMs: 500 });
    const slow = await new OpenAiModerationClient({ baseUrl: server.baseUrl, timeoutMs: 50, retry: { maxAttempts: 1 } })
      .moderate('x')
      .catch((error: unknown) => error);
    expect(LlmopsError.isInstance(slow) && [slow.code, slow.message]).toEqual([
      'timeout',
      `moderation omni-moderation-latest at ${server.baseUrl}: no answer within 50 ms (timeoutMs)`,
    ]);
  });
});
