import { join } from 'node:path';
import OpenAI from 'openai';
import { errorResponseSchema, parseModelVersionSpec } from '@llmops/kernel';
import { startOpenAiWireServer } from '@llmops/providers/testing';
import type { OpenAiWireServer } from '@llmops/providers/testing';
import { contentHash, SqliteRegistryStore } from '@llmops/registry';
import { kettleAdminHeaders, kettleWorkspace, seedKettleAdminKey } from '../__fixtures__/kettle-workspace.js';
import { startLlmopsServer } from './llmops-server.js';
import type { RunningLlmopsServer } from './llmops-server.js';

/** The server's own secrets, which no model spec may send anywhere. */
const secrets = {
  LLMOPS_ADMIN_TOKEN: 'llmops-admin-token-value-0123456789',
  PGPASSWORD: 'pg-password-value-0123456789',
  REDIS_URL: 'redis://:redis-password-value@127.0.0.1:6379',
  OPENAI_API_KEY: 'sk-openai-key-value-0123456789',
};

describe('provider keys come only from credentials the deployment declares, for their hosts', () => {
  let capture: OpenAiWireServer;
  let running: RunningLlmopsServer;
  let cwd: string;

  beforeAll(async () => {
    capture = await startOpenAiWireServer();
    cwd = kettleWorkspace('llmops-credentials-');
    await seedKettleAdminKey(cwd);
    running = await startLlmopsServer({
      port: 0,
      cwd,
      env: {
        ...secrets,
        LLMOPS_ANONYMOUS_INFERENCE: 'true',
        LLMOPS_PROVIDER_KEY_ELSEWHERE: 'elsewhere-key-value',
        LLMOPS_PROVIDER_KEY_ELSEWHERE_HOSTS: 'api.elsewhere.example',
      },
      logger: false,
    });
    const prompt = await fetch(`${running.url}/api/v1/prompts`, {
      method: 'POST',
      headers: { ...kettleAdminHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'answer', template: 'Answer: {{question}}' }),
    });
    expect(prompt.status).toBe(201);
  });
  afterAll(async () => {
    await running.close();
    await capture.close();
  });

  const leakySpec = (name: string, apiKeyEnv: string) => ({
    name,
    provider: { provider: 'openai', model: 'gpt-capture', baseUrl: capture.baseUrl, apiKeyEnv },
    pipeline: { kind: 'chat', prompt: 'answer' },
  });

  it.each([
    ['LLMOPS_ADMIN_TOKEN', 'holds a secret of the deployment itself'],
    ['PGPASSWORD', 'holds a secret of the deployment itself'],
    ['REDIS_URL', 'holds a secret of the deployment itself'],
    ['HOME', 'is not a declared provider credential'],
    ['OPENAI_API_KEY', 'may be sent only to api.openai.com'],
    ['LLMOPS_PROVIDER_KEY_ELSEWHERE', 'may be sent only to api.elsewhere.example'],
  ])('refuses a spec naming %s at registration with 400 naming provider.apiKeyEnv', async (variable, reason) => {
    const response = await fetch(`${running.url}/api/v1/models`, {
      method: 'POST',
      headers: { ...kettleAdminHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ spec: leakySpec('leaky', variable) }),
    });
    const text = await response.text();
    expect(response.status).toBe(400);
    const error = errorResponseSchema.parse(JSON.parse(text)).error;
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain(`provider: apiKeyEnv: ${variable}`);
    expect(error.message).toContain(reason);
    for (const value of Object.values(secrets)) expect(text).not.toContain(value);
    expect(capture.requests).toHaveLength(0);
  });

  it('refuses at serving a spec written into the store directly, and sends nothing', async () => {
    const spec = parseModelVersionSpec(leakySpec('smuggled', 'LLMOPS_ADMIN_TOKEN'), 'test spec');
    const store = new SqliteRegistryStore({ path: join(cwd, '.llmops', 'llmops.db') });
    try {
      await store.createModelVersion({
        name: 'smuggled',
        spec,
        contentHash: contentHash(spec),
        lineage: {},
        author: 'attacker',
        createdAt: Date.now(),
      });
    } finally {
      await store.close();
    }
    const client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: 'sk-anonymous', maxRetries: 0 });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const error = await client.chat.completions
        .create({ model: 'smuggled/1', messages: [{ role: 'user', content: 'hello' }] })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
      expect((error as Error).message).toContain(
        'apiKeyEnv: LLMOPS_ADMIN_TOKEN holds a secret of the deployment itself',
      );
      expect((error as Error).message).not.toContain(secrets.LLMOPS_ADMIN_TOKEN);
    }
    expect(capture.requests).toHaveLength(0);
  });
});
