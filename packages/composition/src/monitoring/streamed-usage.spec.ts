import OpenAI from 'openai';
import { countMessageTokens, countTokens, createPricingTable } from '@llmops/providers';
import { startOpenAiWireServer } from '@llmops/providers/testing';
import type { OpenAiWireServer } from '@llmops/providers/testing';
import { RequestMetrics } from '@llmops/monitoring';
import type { RequestEvent } from '@llmops/monitoring';
import { builtInGuardrailPolicies, PipelineFactory, ServingService } from '@llmops/serving';
import type { PipelineTrace } from '@llmops/serving';
import { InMemoryModelResolver, servableModelFromSpec } from '@llmops/serving/testing';
import { openAiRoutes } from '../http/routes/openai-routes.js';
import { startApiServer } from '../http/start-api-server.js';
import type { RunningApiServer } from '../http/start-api-server.js';
import { monitoringStepFactory } from './monitoring-step.js';

const upstreamChunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-up', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'gpt-4o-mini', choices, ...extra })}`;

/** An upstream stream answering `content` word by word, with a usage chunk or (a server ignoring `include_usage`) without. */
function streamEvents(content: string, usage?: { prompt_tokens: number; completion_tokens: number }): string[] {
  return [
    upstreamChunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null, logprobs: null }]),
    ...(content.match(/\S+\s*/g) ?? []).map((word) =>
      upstreamChunk([{ index: 0, delta: { content: word }, finish_reason: null, logprobs: null }]),
    ),
    upstreamChunk([{ index: 0, delta: {}, finish_reason: 'stop', logprobs: null }]),
    ...(usage
      ? [upstreamChunk([], { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } })]
      : []),
    'data: [DONE]',
  ];
}

/** The value of one sample line of a scrape (`name{labels} value`). */
function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((candidate) => candidate.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

const price = (usage: { prompt_tokens: number; completion_tokens: number }) =>
  (usage.prompt_tokens * 0.15 + usage.completion_tokens * 0.6) / 1_000_000;

describe('streamed usage and cost (official openai client, monitoring events, Prometheus)', () => {
  let upstream: OpenAiWireServer;
  let running: RunningApiServer;
  let client: OpenAI;
  const events: RequestEvent[] = [];
  const traces: PipelineTrace[] = [];
  const metrics = new RequestMetrics({ processMetrics: false });
  const answer = 'The Tidewater One boils a litre in three minutes.';
  const messages = [{ role: 'user' as const, content: 'How fast is the Tidewater One?' }];

  beforeAll(async () => {
    upstream = await startOpenAiWireServer();
    const resolver = new InMemoryModelResolver().add(
      servableModelFromSpec(
        {
          name: 'writer',
          provider: { provider: 'openai', model: 'gpt-4o-mini', baseUrl: upstream.baseUrl },
          pipeline: { kind: 'chat', prompt: 'unpinned' },
        },
        { version: 3 },
      ),
    );
    const factory = new PipelineFactory({
      guardrails: builtInGuardrailPolicies(),
      pricing: createPricingTable({ 'gpt-4o-mini': { input: 0.15, output: 0.6 } }),
      env: {},
      steps: [
        monitoringStepFactory({
          sink: {
            record: (event) => {
              events.push(event);
              metrics.record(event);
            },
          },
          keepQuestionText: false,
          looksLikeRefusal: () => false,
        }),
      ],
    });
    const serving = new ServingService({ resolver, factory, traceSink: { record: (trace) => traces.push(trace) } });
    running = await startApiServer({ port: 0, routes: [openAiRoutes({ serving })] });
    client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: 'not-checked', maxRetries: 0 });
  });

  afterAll(async () => {
    await running.close();
    await upstream.close();
  });

  /** Streams one answer through the official client; returns its chunks once the trace is recorded. */
  async function streamed(includeUsage: boolean) {
    const before = traces.length;
    const stream = await client.chat.completions.create({
      model: 'writer/3',
      messages,
      stream: true,
      ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    // The trace and the event are recorded when the server's stream ends, just after the client's.
    while (traces.length === before) await new Promise((resolve) => setTimeout(resolve, 5));
    return { chunks, trace: traces[traces.length - 1] as PipelineTrace, event: events[events.length - 1] };
  }

  it('ends with the usage chunk when the client asks, and costs the stream in the trace and the event', async () => {
    const usage = { prompt_tokens: 14, completion_tokens: 11 };
    upstream.reply('/v1/chat/completions', { kind: 'sse', events: streamEvents(answer, usage) });
    const { chunks, trace, event } = await streamed(true);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(answer);
    const last = chunks[chunks.length - 1];
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual({ prompt_tokens: 14, completion_tokens: 11, total_tokens: 25 });
    expect(trace.costUsd).toBeCloseTo(price(usage), 12);
    expect(event).toMatchObject({ stream: true, inputTokens: 14, outputTokens: 11 });
    expect(event?.costUsd).toBeCloseTo(price(usage), 12);
  });

  it('always asks the upstream for usage, and costs a stream whose client did not ask for it', async () => {
    const usage = { prompt_tokens: 20, completion_tokens: 9 };
    upstream.reply('/v1/chat/completions', { kind: 'sse', events: streamEvents(answer, usage) });
    const { chunks, trace, event } = await streamed(false);
    const sent = upstream.requestsTo('/v1/chat/completions').at(-1)?.body as Record<string, unknown>;
    expect(sent['stream_options']).toEqual({ include_usage: true });
    expect(chunks.some((chunk) => chunk.usage)).toBe(false);
    expect(chunks.every((chunk) => chunk.choices.length > 0)).toBe(true);
    expect(trace.usage).toEqual({ ...usage, total_tokens: 29 });
    expect(event).toMatchObject({ stream: true, inputTokens: 20, outputTokens: 9 });
    expect(event?.costUsd).toBeCloseTo(price(usage), 12);
  });

  it('counts the tokens of a stream whose upstream reports no usage, so its cost is never 0', async () => {
    upstream.reply('/v1/chat/completions', { kind: 'sse', events: streamEvents(answer) });
    const { chunks, event } = await streamed(true);
    const counted = {
      prompt_tokens: countMessageTokens(messages, 'gpt-4o-mini'),
      completion_tokens: countTokens(answer, 'gpt-4o-mini'),
    };
    expect(chunks[chunks.length - 1]?.usage).toEqual({
      ...counted,
      total_tokens: counted.prompt_tokens + counted.completion_tokens,
    });
    expect(event).toMatchObject({ inputTokens: counted.prompt_tokens, outputTokens: counted.completion_tokens });
    expect(event?.costUsd).toBeGreaterThan(0);
    expect(event?.costUsd).toBeCloseTo(price(counted), 12);
  });

  it('adds every streamed request’s tokens and cost to Prometheus', async () => {
    const scrape = await metrics.scrape();
    const version = 'model="writer",version="3"';
    const streamedEvents = events.filter((event) => event.stream);
    expect(streamedEvents).toHaveLength(3);
    const total = streamedEvents.reduce((sum, event) => sum + (event.costUsd ?? 0), 0);
    expect(sample(scrape, `llmops_cost_usd_total{${version},endpoint="chat"}`)).toBeCloseTo(total, 12);
    expect(sample(scrape, `llmops_tokens_total{${version},direction="output",endpoint="chat"}`)).toBe(
      streamedEvents.reduce((sum, event) => sum + (event.outputTokens ?? 0), 0),
    );
  });
});
