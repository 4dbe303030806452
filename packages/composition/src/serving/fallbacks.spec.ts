import OpenAI from 'openai';
import { completionReply, startOpenAiWireServer } from '@llmops/providers/testing';
import type { WireReply } from '@llmops/providers/testing';
import { RequestMetrics } from '@llmops/monitoring';
import type { RequestEvent } from '@llmops/monitoring';
import { builtInGuardrailPolicies, PipelineFactory, ServingService } from '@llmops/serving';
import type { CircuitBreakerSettings, PipelineTrace } from '@llmops/serving';
import { InMemoryModelResolver, servableModelFromSpec } from '@llmops/serving/testing';
import { openAiRoutes } from '../http/routes/openai-routes.js';
import { startApiServer } from '../http/start-api-server.js';
import type { RunningApiServer } from '../http/start-api-server.js';
import { monitoringStepFactory } from '../monitoring/monitoring-step.js';

const path = '/v1/chat/completions';
const messages = [{ role: 'user' as const, content: 'How fast does the Tidewater One boil?' }];

const errorReply = (status: number, message: string): WireReply => ({
  kind: 'json',
  status,
  body: { error: { message, type: 'server_error', param: null, code: null } },
});

const chunk = (choices: unknown[]) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-up', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'gpt-4o-mini', choices })}`;

/** An upstream stream answering `content` word by word. */
function streamEvents(content: string): string[] {
  return [
    chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null, logprobs: null }]),
    ...(content.match(/\S+\s*/g) ?? []).map((word) =>
      chunk([{ index: 0, delta: { content: word }, finish_reason: null, logprobs: null }]),
    ),
    chunk([{ index: 0, delta: {}, finish_reason: 'stop', logprobs: null }]),
    'data: [DONE]',
  ];
}

/** The value of one sample line of a scrape (`name{labels} value`). */
function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((candidate) => candidate.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

/** A long answer: the output guardrails hold back about 150 characters, so text leaves only once more has arrived. */
const longAnswer =
  'The Tidewater One boils a litre of water in about three minutes at full power. ' +
  'Its element switches off on its own when the water boils, and the base keeps it warm for ten minutes. ' +
  'Descale it once a month in hard-water areas to keep it quick and quiet.';

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * The API over two OpenAI-wire stubs: `writer/1` (primary stub) falls back to `writer-lite@champion` (version 2,
 * fallback stub); `plain/1` (primary stub too) has no fallbacks.
 */
async function startStack(options: { breaker?: CircuitBreakerSettings } = {}) {
  const primary = await startOpenAiWireServer();
  const fallback = await startOpenAiWireServer();
  const events: RequestEvent[] = [];
  const traces: PipelineTrace[] = [];
  const resolver = new InMemoryModelResolver()
    .add(
      servableModelFromSpec(
        {
          name: 'writer',
          provider: { provider: 'openai', model: 'gpt-4o', baseUrl: primary.baseUrl },
          pipeline: { kind: 'chat', prompt: 'unpinned' },
          fallbacks: ['writer-lite@champion'],
        },
        { version: 1 },
      ),
    )
    .add(
      servableModelFromSpec(
        {
          name: 'writer-lite',
          provider: { provider: 'openai', model: 'gpt-4o-mini', baseUrl: fallback.baseUrl },
          pipeline: { kind: 'chat', prompt: 'unpinned' },
        },
        { version: 2 },
      ),
      { aliases: ['champion'] },
    );
  const factory = new PipelineFactory({
    guardrails: builtInGuardrailPolicies(),
    env: {},
    ...(options.breaker ? { circuitBreaker: options.breaker } : {}),
    steps: [
      monitoringStepFactory({
        sink: { record: (event) => void events.push(event) },
        keepQuestionText: false,
        looksLikeRefusal: () => false,
      }),
    ],
  });
  const metrics = new RequestMetrics({
    processMetrics: false,
    circuitBreakers: () => factory.breakers?.snapshot() ?? [],
  });
  const serving = new ServingService({ resolver, factory, traceSink: { record: (trace) => traces.push(trace) } });
  const running: RunningApiServer = await startApiServer({ port: 0, routes: [openAiRoutes({ serving })] });
  const client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: 'not-checked', maxRetries: 0 });
  return {
    primary,
    fallback,
    events,
    traces,
    metrics,
    client,
    /** The trace and the event of the last request, once both are recorded (streams record them as they end). */
    last: async (count: number) => {
      await until(() => traces.length >= count && events.length >= count);
      return { trace: traces[count - 1] as PipelineTrace, event: events[count - 1] as RequestEvent };
    },
    close: async () => {
      await running.close();
      await primary.close();
      await fallback.close();
    },
  };
}

type Stack = Awaited<ReturnType<typeof startStack>>;

describe('fallbacks over HTTP (official openai client, OpenAI-wire stubs)', () => {
  let stack: Stack;
  beforeEach(async () => {
    stack = await startStack();
  });
  afterEach(async () => {
    await stack.close();
  });

  it('answers with the fallback when the primary returns 503: header, extension field, trace and event say so', async () => {
    stack.primary.reply(path, errorReply(503, 'overloaded'));
    stack.fallback.reply(path, completionReply('Three minutes for a litre.'));
    const { data, response } = await stack.client.chat.completions
      .create({ model: 'writer/1', messages })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('Three minutes for a litre.');
    expect(data.model).toBe('writer-lite/2');
    expect((data as unknown as { llmops: object }).llmops).toMatchObject({
      model_version: 'writer-lite/2',
      fallback: { from: 'writer/1', to: 'writer-lite/2', reason: 'upstream_error' },
    });
    expect(response.headers.get('x-llmops-fallback')).toBe('from=writer/1; to=writer-lite/2; reason=upstream_error');
    expect(response.headers.get('x-llmops-model-version')).toBe('writer-lite/2');
    // The provider's own retries first (3 attempts), then the fallback, once.
    expect(stack.primary.requestsTo(path)).toHaveLength(3);
    expect(stack.fallback.requestsTo(path)).toHaveLength(1);
    const { trace, event } = await stack.last(1);
    expect(trace.model).toBe('writer-lite/2');
    expect(trace.fallback).toEqual({
      from: 'writer/1',
      to: 'writer-lite/2',
      reason: 'upstream_error',
      tried: ['writer/1', 'writer-lite/2'],
    });
    expect(
      trace.spans.filter((span) => span.name === 'attempt').map((span) => span.attributes['model_version']),
    ).toEqual(['writer/1', 'writer-lite/2']);
    expect(event).toMatchObject({
      modelRef: 'writer/1',
      modelName: 'writer-lite',
      modelVersion: 2,
      fallbackFrom: 'writer/1',
      status: 200,
      completed: true,
    });
    stack.metrics.record(event);
    expect(
      sample(await stack.metrics.scrape(), 'llmops_fallbacks_total{model="writer-lite",version="2",from="writer/1"}'),
    ).toBe(1);
  });

  it('falls back when the primary resets the connection; with nothing to fall back on, a clean 502 in OpenAI’s shape', async () => {
    stack.primary.reply(path, { kind: 'reset' });
    stack.fallback.reply(path, completionReply('Three minutes for a litre.'));
    const answered = await stack.client.chat.completions.create({ model: 'writer/1', messages });
    expect(answered.choices[0]?.message.content).toBe('Three minutes for a litre.');
    expect(stack.primary.requestsTo(path)).toHaveLength(3);

    stack.fallback.reply(path, { kind: 'reset' });
    const error = (await stack.client.chat.completions
      .create({ model: 'writer-lite@champion', messages })
      .catch((thrown: unknown) => thrown)) as InstanceType<typeof OpenAI.APIError>;
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect([error.status, error.code, error.type]).toEqual([502, 'upstream_error', 'api_error']);
    // Said plainly, without a stack trace or the upstream's internals.
    expect(error.message).not.toMatch(/\n\s+at |node:internal/);
    const { event } = await stack.last(2);
    expect(event).toMatchObject({ status: 502, errorCode: 'upstream_error', completed: false });
  });

  it('does not fall back when the primary refuses the request (400): the client gets the 400', async () => {
    stack.primary.reply(path, errorReply(400, 'max_tokens is too large'));
    stack.fallback.reply(path, completionReply('should not be asked'));
    const error = await stack.client.chat.completions.create({ model: 'writer/1', messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect([
      (error as InstanceType<typeof OpenAI.APIError>).status,
      (error as InstanceType<typeof OpenAI.APIError>).code,
    ]).toEqual([400, 'invalid_input']);
    expect(stack.primary.requestsTo(path)).toHaveLength(1);
    expect(stack.fallback.requestsTo(path)).toHaveLength(0);
    const { event } = await stack.last(1);
    expect(event.fallbackFrom).toBeUndefined();
    expect(event.modelName).toBe('writer');
  });

  it('streams the fallback’s answer when the primary fails before its first byte', async () => {
    stack.primary.reply(path, errorReply(503, 'overloaded'));
    stack.fallback.reply(path, { kind: 'sse', events: streamEvents('Three minutes for a litre.') });
    const { data: stream, response } = await stack.client.chat.completions
      .create({ model: 'writer/1', messages, stream: true })
      .withResponse();
    expect(response.headers.get('x-llmops-fallback')).toBe('from=writer/1; to=writer-lite/2; reason=upstream_error');
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const part of stream) chunks.push(part);
    expect(chunks.map((part) => part.choices[0]?.delta.content ?? '').join('')).toBe('Three minutes for a litre.');
    expect(new Set(chunks.map((part) => part.model))).toEqual(new Set(['writer-lite/2']));
    const { event } = await stack.last(1);
    expect(event).toMatchObject({ stream: true, completed: true, modelName: 'writer-lite', fallbackFrom: 'writer/1' });
  });

  it('ends a stream whose upstream fails after the first chunk with an SSE error: the client throws, no fallback', async () => {
    stack.primary.reply(path, {
      kind: 'sse',
      // The role chunk, then 40 words, then the connection is destroyed.
      events: streamEvents(longAnswer),
      cutAfter: 41,
    });
    stack.fallback.reply(path, completionReply('should not be asked'));
    const stream = await stack.client.chat.completions.create({ model: 'writer/1', messages, stream: true });
    const received: string[] = [];
    const error = await (async () => {
      for await (const part of stream) received.push(part.choices[0]?.delta.content ?? '');
    })().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream_error');
    const sent = received.join('');
    expect(sent.length).toBeGreaterThan(0);
    expect(longAnswer.startsWith(sent)).toBe(true);
    expect(sent.length).toBeLessThan(longAnswer.length);
    expect(stack.fallback.requestsTo(path)).toHaveLength(0);
    const { trace, event } = await stack.last(1);
    expect([trace.completed, trace.status]).toEqual([false, 'error']);
    expect(event).toMatchObject({ status: 200, errorCode: 'upstream_error', completed: false });
    // On the wire: an error event in OpenAI's shape, and no `[DONE]` that would make it look complete.
    const raw = await fetch(`${stack.client.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'writer/1', messages, stream: true }),
    });
    const body = await raw.text();
    expect(raw.status).toBe(200);
    expect(body).toMatch(
      /event: error\ndata: \{"error":\{"message":"[^"]*","type":"api_error","code":"upstream_error"/,
    );
    expect(body).not.toContain('[DONE]');
  });

  it('aborts the upstream request when the client closes its connection mid-stream', async () => {
    stack.primary.reply(path, {
      kind: 'sse',
      events: streamEvents(longAnswer),
      stallAfter: 41,
    });
    const controller = new AbortController();
    const stream = await stack.client.chat.completions.create(
      { model: 'writer/1', messages, stream: true },
      { signal: controller.signal },
    );
    const received: string[] = [];
    await (async () => {
      for await (const part of stream) {
        received.push(part.choices[0]?.delta.content ?? '');
        if (received.join('') !== '') controller.abort();
      }
    })().catch(() => undefined);
    const upstreamRequest = stack.primary.requestsTo(path)[0];
    await until(() => upstreamRequest?.closedEarly === true);
    expect(upstreamRequest?.closedEarly).toBe(true);
    const { trace, event } = await stack.last(1);
    expect(trace.completed).toBe(false);
    expect(event.completed).toBe(false);
    expect(stack.fallback.requestsTo(path)).toHaveLength(0);
  });
});

describe('the circuit breaker over HTTP', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ breaker: { failureThreshold: 2, coolDownMs: 600_000 } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('opens after 2 failed calls; the next request goes straight to the fallback, the primary is not called', async () => {
    stack.primary.reply(path, errorReply(503, 'overloaded'));
    stack.fallback.reply(path, completionReply('Three minutes for a litre.'));
    for (let request = 0; request < 2; request += 1) {
      const { response } = await stack.client.chat.completions.create({ model: 'writer/1', messages }).withResponse();
      expect(response.headers.get('x-llmops-fallback')).toContain('reason=upstream_error');
    }
    const primaryCalls = stack.primary.requestsTo(path).length;
    expect(primaryCalls).toBe(6);
    const scrape = await stack.metrics.scrape();
    const upstream = `openai/gpt-4o at ${stack.primary.baseUrl}`;
    expect(sample(scrape, `llmops_circuit_breaker_state{upstream="${upstream}"}`)).toBe(2);
    expect(sample(scrape, `llmops_circuit_breaker_openings_total{upstream="${upstream}"}`)).toBe(1);
    expect(
      sample(scrape, `llmops_circuit_breaker_state{upstream="openai/gpt-4o-mini at ${stack.fallback.baseUrl}"}`),
    ).toBe(0);

    const { data, response } = await stack.client.chat.completions
      .create({ model: 'writer/1', messages })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('Three minutes for a litre.');
    expect(response.headers.get('x-llmops-fallback')).toBe('from=writer/1; to=writer-lite/2; reason=unavailable');
    expect(stack.primary.requestsTo(path)).toHaveLength(primaryCalls);
    expect(stack.fallback.requestsTo(path)).toHaveLength(3);
  });
});
