import OpenAI from 'openai';
import { kettleCallers, servedKettleHelp } from '../__fixtures__/kettle-workspace.js';
import type { RunningLlmopsServer } from './llmops-server.js';

const question = { role: 'user' as const, content: 'Is limescale damage covered by the warranty?' };

// offline/extractive priced (for this test only) so that every answer costs something.
const pricing = 'unit: usd_per_million_tokens\nmodels:\n  offline/extractive:\n    input: 1000\n    output: 1000\n';

describe('API keys, limits and budgets through the official openai client', () => {
  let running: RunningLlmopsServer;

  beforeAll(async () => {
    ({ running } = await servedKettleHelp({
      prefix: 'llmops-keys-',
      files: { 'confs/pricing.yaml': pricing },
      monitoring: { flushIntervalMs: 50 },
    }));
  });
  afterAll(async () => {
    await running.close();
  });

  // `running` is assigned in beforeAll: the callers read its URL when they are called.
  const { admin, createKey, client, failure } = kettleCallers({
    get url() {
      return running.url;
    },
  });

  it('answers 401 to a key that does not exist and 403 to an inference key on an admin route', async () => {
    const unknown = await failure(
      client(`llmops-0123456789ab-${'x'.repeat(43)}`).chat.completions.create({
        model: 'kettle-help',
        messages: [question],
      }),
    );
    expect(unknown).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(unknown.status).toBe(401);

    const { apiKey } = await createKey({ name: 'app', role: 'inference' });
    const forbidden = await fetch(`${running.url}/api/v1/keys`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: { type: string } }).error.type).toBe('permission_error');
  });

  it('answers 429 rate_limit_exceeded with Retry-After at the key requests per minute', async () => {
    const { key, apiKey } = await createKey({ name: 'slow', role: 'inference', limits: { rpm: 2 } });
    const openai = client(apiKey);
    for (let index = 0; index < 2; index += 1)
      await openai.chat.completions.create({ model: 'kettle-help@champion', messages: [question] });
    const limited = await failure(
      openai.chat.completions.create({ model: 'kettle-help@champion', messages: [question] }),
    );
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect(limited.status).toBe(429);
    expect(limited.type).toBe('rate_limit_error');
    expect(limited.code).toBe('rate_limit_exceeded');
    expect(Number(limited.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers?.get('retry-after'))).toBeLessThanOrEqual(30);
    expect(limited.message).toContain(`API key ${key.id} is over its 2 requests per minute`);
  });

  it('answers budget_exceeded once a key spent its daily budget, streams counted too, and lists the spend', async () => {
    const { key, apiKey } = await createKey({ name: 'thrifty', role: 'inference', limits: { budgetUsdDay: 0.0001 } });
    const openai = client(apiKey);
    // A question no other test asks: a response-cache hit would cost nothing and spend no budget.
    const stream = await openai.chat.completions.create({
      model: 'kettle-help@champion',
      messages: [{ role: 'user', content: 'When does support answer by chat?' }],
      stream: true,
    });
    for await (const chunk of stream) void chunk;
    const refused = await failure(
      openai.chat.completions.create({ model: 'kettle-help@champion', messages: [question] }),
    );
    expect(refused.status).toBe(429);
    expect(refused.code).toBe('budget_exceeded');
    expect(refused.type).toBe('insufficient_quota');
    expect(refused.headers?.get('x-should-retry')).toBe('false');
    expect(Number(refused.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.message).toContain(`API key ${key.id} has spent its daily budget of 0.0001 USD`);

    const listed = (await (await admin('GET', '/api/v1/keys')).json()) as {
      data: Array<{ id: string; spend: { dayUsd: number; monthUsd: number } }>;
    };
    const spend = listed.data.find((entry) => entry.id === key.id)?.spend;
    expect(spend?.dayUsd).toBeGreaterThan(0.0001);
    expect(spend?.monthUsd).toBe(spend?.dayUsd);
    expect(JSON.stringify(listed)).not.toContain(apiKey.slice(20));
  });

  it('refuses a revoked key at once, and a rotated key works with its new secret only', async () => {
    const revoked = await createKey({ name: 'leaked', role: 'inference' });
    await client(revoked.apiKey).chat.completions.create({ model: 'kettle-help', messages: [question] });
    expect((await admin('POST', `/api/v1/keys/${revoked.key.id}/revoke`)).status).toBe(200);
    const afterRevoke = await failure(
      client(revoked.apiKey).chat.completions.create({ model: 'kettle-help', messages: [question] }),
    );
    expect(afterRevoke.status).toBe(401);

    const rotating = await createKey({ name: 'rotating', role: 'inference' });
    const rotated = (await (await admin('POST', `/api/v1/keys/${rotating.key.id}/rotate`)).json()) as {
      apiKey: string;
    };
    expect(rotated.apiKey).not.toBe(rotating.apiKey);
    const answer = await client(rotated.apiKey).chat.completions.create({ model: 'kettle-help', messages: [question] });
    expect(answer.choices[0]?.message.content).toContain('Limescale damage is not covered');
    expect(
      (await failure(client(rotating.apiKey).chat.completions.create({ model: 'kettle-help', messages: [question] })))
        .status,
    ).toBe(401);
  });

  it('records the key id, never the secret, on each request event', async () => {
    const { key, apiKey } = await createKey({ name: 'watched', role: 'inference' });
    await client(apiKey).chat.completions.create({ model: 'kettle-help', messages: [question] });
    await running.monitoring.queue.flush();
    const page = (await (await admin('GET', '/api/v1/monitoring/events?since=1h&limit=500')).json()) as {
      data: Array<{ keyId?: string }>;
    };
    expect(page.data.some((event) => event.keyId === key.id)).toBe(true);
    expect(JSON.stringify(page)).not.toContain(apiKey.slice(20));
  });
});
