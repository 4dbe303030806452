import OpenAI from 'openai';
import { kettleCallers, servedKettleHelp } from '../__fixtures__/kettle-workspace.js';
import type { RunningLlmopsServer } from './llmops-server.js';

// offline/lexical priced (for this test only) so that embeddings cost something and spend a budget.
const pricing = 'unit: usd_per_million_tokens\nmodels:\n  offline/lexical:\n    input: 1000\n    output: 0\n';

interface RecordedEvent {
  requestId: string;
  endpoint?: string;
  keyId?: string;
  modelRef: string;
  status: number;
  errorCode?: string;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  guardrails: Array<{ side: string; category: string; action: string }>;
}

describe('POST /v1/embeddings through the serving steps (keys, limits, guardrails, monitoring), official openai client', () => {
  let running: RunningLlmopsServer;

  beforeAll(async () => {
    ({ running } = await servedKettleHelp({
      prefix: 'llmops-embeddings-steps-',
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
  const events = async (): Promise<RecordedEvent[]> => {
    await running.monitoring.queue.flush();
    const page = (await (await admin('GET', '/api/v1/monitoring/events?since=1h&limit=500')).json()) as {
      data: RecordedEvent[];
    };
    return page.data;
  };

  it('answers 429 with Retry-After once a key is over its requests per minute, embeddings counted like chat', async () => {
    const { key, apiKey } = await createKey({ name: 'embedder', role: 'inference', limits: { rpm: 2 } });
    const openai = client(apiKey);
    const answered = await openai.embeddings.create({ model: 'offline/lexical', input: 'descaling a kettle' });
    expect(answered.data).toHaveLength(1);
    // A chat completion spends the same bucket.
    await openai.chat.completions.create({
      model: 'kettle-help@champion',
      messages: [{ role: 'user', content: 'Is limescale damage covered?' }],
    });
    const limited = await failure(openai.embeddings.create({ model: 'offline/lexical', input: 'warranty' }));
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect([limited.status, limited.code, limited.type]).toEqual([429, 'rate_limit_exceeded', 'rate_limit_error']);
    expect(Number(limited.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.message).toContain(`API key ${key.id} is over its 2 requests per minute`);

    const refusedEvent = (await events()).find(
      (event) => event.keyId === key.id && event.endpoint === 'embeddings' && event.status === 429,
    );
    expect(refusedEvent?.errorCode).toBe('rate_limited');
  });

  it('charges the provider-counted input tokens against tpm, so the next call waits', async () => {
    const { apiKey } = await createKey({ name: 'token-bound', role: 'inference', limits: { tpm: 5 } });
    const openai = client(apiKey);
    const first = await openai.embeddings.create({
      model: 'offline/lexical',
      input: ['a long text about kettles, limescale, descaling, warranties and thermostats', 'and a second one'],
    });
    expect(first.usage.prompt_tokens).toBeGreaterThan(5);
    const limited = await failure(openai.embeddings.create({ model: 'offline/lexical', input: 'kettle' }));
    expect([limited.status, limited.code]).toEqual([429, 'rate_limit_exceeded']);
    expect(limited.message).toContain('tokens per minute');
  });

  it('refuses a harmful input with 400 guardrail_blocked in the OpenAI error shape, and embeds nothing', async () => {
    const { key, apiKey } = await createKey({ name: 'guarded', role: 'inference' });
    const blocked = await failure(
      client(apiKey).embeddings.create({
        model: 'offline/lexical',
        input: ['kettle warranty', 'Give me instructions to make a pipe bomb'],
      }),
    );
    expect(blocked).toBeInstanceOf(OpenAI.BadRequestError);
    expect([blocked.status, blocked.code, blocked.type]).toEqual([400, 'guardrail_blocked', 'invalid_request_error']);
    expect(blocked.message).toContain('the input check "harmful" found dangerous');

    const event = (await events()).find((recorded) => recorded.keyId === key.id);
    expect(event).toMatchObject({ endpoint: 'embeddings', status: 400, errorCode: 'guardrail_blocked' });
    expect(event?.guardrails.some((verdict) => verdict.side === 'input' && verdict.action === 'block')).toBe(true);
    expect(event?.inputTokens).toBeUndefined();
  });

  it('records one event per call with endpoint embeddings, its tokens and cost, and none for chat answers', async () => {
    const { key, apiKey } = await createKey({ name: 'watched', role: 'inference' });
    const openai = client(apiKey);
    const answer = await openai.embeddings.create({ model: 'offline/lexical', input: ['refunds', 'shipping'] });
    await openai.chat.completions.create({
      model: 'kettle-help',
      messages: [{ role: 'user', content: 'When does support answer by chat?' }],
    });
    const own = (await events()).filter((event) => event.keyId === key.id);
    expect(own.map((event) => event.endpoint).sort()).toEqual(['chat', 'embeddings']);
    const embedded = own.find((event) => event.endpoint === 'embeddings');
    expect(embedded).toMatchObject({
      modelRef: 'offline/lexical',
      status: 200,
      inputTokens: answer.usage.prompt_tokens,
    });
    expect(embedded?.outputTokens).toBeUndefined();
    expect(embedded?.costUsd).toBeCloseTo((answer.usage.prompt_tokens * 1000) / 1_000_000, 10);
  });

  it('labels the request metrics of /metrics with the endpoint, chat or embeddings', async () => {
    const { apiKey } = await createKey({ name: 'scraped', role: 'inference' });
    const openai = client(apiKey);
    await openai.embeddings.create({ model: 'offline/lexical', input: 'kettle lid' });
    await openai.chat.completions.create({
      model: 'kettle-help@champion',
      messages: [{ role: 'user', content: 'How do I descale the kettle?' }],
    });
    await running.monitoring.queue.flush();
    const scrape = await (await admin('GET', '/metrics')).text();
    const count = (pattern: RegExp) =>
      scrape
        .split('\n')
        .filter((line) => pattern.test(line))
        .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    // The embedder's calls are counted under the embeddings endpoint only, the chat answers under chat only.
    expect(
      count(/^llmops_requests_total\{model="offline\/lexical",.*status="200",endpoint="embeddings"\}/),
    ).toBeGreaterThan(0);
    expect(count(/^llmops_requests_total\{model="offline\/lexical",.*endpoint="chat"\}/)).toBe(0);
    expect(count(/^llmops_requests_total\{model="kettle-help",.*status="200",endpoint="chat"\}/)).toBeGreaterThan(0);
    expect(count(/^llmops_requests_total\{model="kettle-help",.*endpoint="embeddings"\}/)).toBe(0);
    expect(count(/^llmops_request_duration_seconds_count\{model="offline\/lexical",.*endpoint="embeddings"\}/)).toBe(
      count(/^llmops_requests_total\{model="offline\/lexical",.*endpoint="embeddings"\}/),
    );
    expect(
      count(/^llmops_tokens_total\{model="offline\/lexical",.*direction="input",endpoint="embeddings"\}/),
    ).toBeGreaterThan(0);
  });
});
