import OpenAI from 'openai';
import { findFreePort } from '@llmops/mlflow-client/testing';
import { capturingLogger } from '../__fixtures__/capturing-logger.js';
import { kettleAdminHeaders, kettleWorkspace, seedKettleAdminKey } from '../__fixtures__/kettle-workspace.js';
import { startLlmopsServer } from './llmops-server.js';
import type { RunningLlmopsServer } from './llmops-server.js';

describe('Redis unreachable: the response cache and the limits fall back to this process', () => {
  let running: RunningLlmopsServer;
  const lines: string[] = [];

  beforeAll(async () => {
    // A port nothing listens on: every Redis command fails at once, as with a Redis that went down.
    const closedPort = await findFreePort();
    const cwd = kettleWorkspace('llmops-redis-down-');
    await seedKettleAdminKey(cwd);
    running = await startLlmopsServer({
      port: 0,
      cwd,
      env: { REDIS_URL: `redis://127.0.0.1:${closedPort}` },
      logger: capturingLogger(lines),
    });
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${running.url}${path}`, {
        method: 'POST',
        headers: { ...kettleAdminHeaders, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(`${path} ${response.status}`).toMatch(/ 20[01]$/);
      return response.json() as Promise<Record<string, unknown>>;
    };
    await post('/api/v1/prompts', { name: 'answer', template: 'Answer from the passages.\n\n{{context}}' });
    await post('/api/v1/models', {
      spec: {
        name: 'kettle-help',
        provider: 'offline/extractive',
        pipeline: { kind: 'rag', prompt: 'answer', corpus: 'kb', retrieval: { k: 2 }, tokenBudget: 300 },
        cache: { ttlSeconds: 600 },
      },
    });
  });
  afterAll(async () => {
    await running.close();
  });

  it('caches answers in process, keeps applying the key limits, logs each outage once and counts it', async () => {
    const created = await fetch(`${running.url}/api/v1/keys`, {
      method: 'POST',
      headers: { ...kettleAdminHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'app', role: 'inference', limits: { rpm: 3 } }),
    });
    expect(created.status).toBe(201);
    const { apiKey } = (await created.json()) as { apiKey: string };
    const openai = new OpenAI({ baseURL: `${running.url}/v1`, apiKey, maxRetries: 0 });
    const ask = () =>
      openai.chat.completions
        .create({ model: 'kettle-help', messages: [{ role: 'user', content: 'How long is the warranty?' }] })
        .withResponse();

    const first = await ask();
    expect(first.response.headers.get('x-llmops-cache')).toBe('miss');
    const second = await ask();
    expect(second.response.headers.get('x-llmops-cache')).toBe('hit');
    expect(second.data.choices[0]?.message.content).toBe(first.data.choices[0]?.message.content);
    await ask();
    const limited = await ask().catch((error: unknown) => error as InstanceType<typeof OpenAI.APIError>);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);

    const outages = lines.filter((line) => line.includes('Redis unreachable'));
    expect(outages.filter((line) => line.includes('response cache:'))).toHaveLength(1);
    expect(outages.filter((line) => line.includes('limit counters:'))).toHaveLength(1);
    expect(lines.join('\n')).not.toMatch(/limits not applied|response cache skipped/);

    const metrics = await (await fetch(`${running.url}/metrics`, { headers: kettleAdminHeaders })).text();
    const calls = (backend: string) =>
      Number(new RegExp(`llmops_backend_fallback_calls_total\\{backend="${backend}"\\} (\\d+)`).exec(metrics)?.[1]);
    expect(calls('response_cache')).toBeGreaterThanOrEqual(4);
    expect(calls('limit_counters')).toBeGreaterThanOrEqual(4);
  });
});
