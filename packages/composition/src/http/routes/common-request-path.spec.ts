import OpenAI from 'openai';
import { createPricingTable } from '@llmops/providers';
import { startOpenAiWireServer } from '@llmops/providers/testing';
import type { OpenAiWireServer, WireReply } from '@llmops/providers/testing';
import type { RequestEvent } from '@llmops/monitoring';
import { builtInGuardrailPolicies, commonServedChatRequest, PipelineFactory, ServingService } from '@llmops/serving';
import type { PipelineTrace } from '@llmops/serving';
import { InMemoryModelResolver, servableModelFromSpec } from '@llmops/serving/testing';
import { monitoringStepFactory } from '../../monitoring/monitoring-step.js';
import { startApiServer } from '../start-api-server.js';
import type { RunningApiServer } from '../start-api-server.js';
import { openAiRoutes } from './openai-routes.js';

/**
 * The route checks the common request by hand (`commonServedChatRequest`) and leaves every other body to zod. A body
 * with one field the hand check does not know (`x_general_path`, which OpenAI's loose request schema lets through and
 * the pipeline does not forward) takes the general path: both must answer the same body, headers, upstream request,
 * monitoring event and trace, whatever the upstream answers.
 */

const completion = (message: Record<string, unknown>, finishReason = 'stop') => ({
  id: 'chatcmpl-up',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'gpt-4o-mini',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', refusal: null, ...message },
      finish_reason: finishReason,
      logprobs: null,
    },
  ],
  usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 },
});

const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-up', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }] })}`;

const usageChunk = `data: ${JSON.stringify({ id: 'chatcmpl-up', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'gpt-4o-mini', choices: [], usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 } })}`;

const toolCall = { id: 'call_1', type: 'function', function: { name: 'lookup_order', arguments: '{"order":"A1"}' } };

/** What differs by nature between two requests (ids, times, durations) replaced by placeholders. */
function comparable(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (key, item: unknown) => {
      if (['id', 'created', 'traceId', 'spanId', 'parentSpanId', 'requestId', 'at'].includes(key)) return '<varies>';
      if (
        /(TimeMs|latencyMs|LatencyMs|durationMs|_ms|\.ms$|^total$|^overhead$|^generate$|^guard$|^retrieve$)/.test(key)
      )
        return typeof item === 'number' ? '<ms>' : item;
      return item;
    }),
  );
}

const headersOf = (response: Response) =>
  Object.fromEntries(
    [...response.headers.entries()].filter(
      ([name]) => !['date', 'x-request-id', 'x-llmops-overhead-ms', 'content-length', 'keep-alive'].includes(name),
    ),
  );

describe('the common request path answers as the general path does (official client, real servers)', () => {
  let upstream: OpenAiWireServer;
  let running: RunningApiServer;
  let client: OpenAI;
  const traces: PipelineTrace[] = [];
  const events: RequestEvent[] = [];

  beforeAll(async () => {
    upstream = await startOpenAiWireServer();
    const resolver = new InMemoryModelResolver().add(
      servableModelFromSpec(
        {
          name: 'writer',
          provider: { provider: 'openai', model: 'gpt-4o-mini', baseUrl: upstream.baseUrl },
          pipeline: { kind: 'chat', prompt: 'unpinned' },
        },
        { version: 2 },
      ),
      { aliases: ['champion'] },
    );
    const factory = new PipelineFactory({
      guardrails: builtInGuardrailPolicies(),
      pricing: createPricingTable({ 'gpt-4o-mini': { input: 0.15, output: 0.6 } }),
      steps: [
        monitoringStepFactory({
          sink: { record: (event) => events.push(event) },
          keepQuestionText: false,
          looksLikeRefusal: () => false,
        }),
      ],
      env: {},
    });
    running = await startApiServer({
      port: 0,
      routes: [
        openAiRoutes({
          serving: new ServingService({ resolver, factory, traceSink: { record: (trace) => traces.push(trace) } }),
        }),
      ],
    });
    client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: 'not-checked', maxRetries: 0 });
  });

  afterAll(async () => {
    await running.close();
    await upstream.close();
  });

  const common = {
    model: 'writer@champion',
    messages: [
      { role: 'system' as const, content: 'Answer briefly.' },
      { role: 'user' as const, content: 'Where is order A1?' },
    ],
    temperature: 0.3,
  };

  /** Sends `body` as it is and with `x_general_path`, with the same upstream reply; what each path left behind. */
  async function bothPaths(reply: WireReply, send: (body: typeof common) => Promise<unknown>) {
    const general = { ...common, x_general_path: true };
    expect(commonServedChatRequest(JSON.parse(JSON.stringify(common)))).toBeDefined();
    expect(commonServedChatRequest(JSON.parse(JSON.stringify(general)))).toBeUndefined();
    const outcomes = [];
    for (const body of [common, general]) {
      upstream.reply('/v1/chat/completions', reply);
      traces.length = 0;
      events.length = 0;
      const sent = upstream.requestsTo('/v1/chat/completions').length;
      const answer = await send(body as typeof common);
      // A stream's trace and event are recorded once its last chunk is read; wait for both.
      for (let waited = 0; (traces.length === 0 || events.length === 0) && waited < 100; waited += 1)
        await new Promise((resolve) => setTimeout(resolve, 10));
      outcomes.push(
        comparable({
          answer,
          upstream: upstream
            .requestsTo('/v1/chat/completions')
            .slice(sent)
            .map((request) => request.body),
          traces,
          events,
        }),
      );
    }
    expect(outcomes[1]).toEqual(outcomes[0]);
    return outcomes[0] as { answer: unknown; traces: unknown[]; events: unknown[]; upstream: unknown[] };
  }

  const whole = async (body: typeof common) => {
    const response = await fetch(`${running.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, headers: headersOf(response), body: await response.json() };
  };

  it('answers a plain completion alike: body, headers, upstream request, event and trace', async () => {
    const seen = await bothPaths({ kind: 'json', body: completion({ content: 'It ships today.' }) }, whole);
    expect(seen.answer).toMatchObject({
      status: 200,
      headers: { 'x-llmops-model-version': 'writer/2', 'x-llmops-cost-usd': expect.any(String) },
      body: { choices: [{ message: { content: 'It ships today.' } }] },
    });
    expect(seen.upstream).toEqual([
      {
        model: 'gpt-4o-mini',
        messages: common.messages,
        temperature: 0.3,
        stream: false,
      },
    ]);
    expect(seen.traces).toHaveLength(1);
    expect(seen.events).toHaveLength(1);
    // And through the official client too: the same answer on either path.
    upstream.reply('/v1/chat/completions', { kind: 'json', body: completion({ content: 'It ships today.' }) });
    const viaClient = await client.chat.completions.create(common);
    expect(viaClient.choices[0]?.message.content).toBe('It ships today.');
  });

  it('answers a tool call alike', async () => {
    const seen = await bothPaths(
      { kind: 'json', body: completion({ content: null, tool_calls: [toolCall] }, 'tool_calls') },
      async (body) => {
        const { data, response } = await client.chat.completions.create(body).withResponse();
        return { headers: headersOf(response), body: data };
      },
    );
    expect(seen.answer).toMatchObject({
      body: {
        choices: [
          { message: { tool_calls: [{ type: 'function', function: toolCall.function }] }, finish_reason: 'tool_calls' },
        ],
      },
    });
  });

  it('streams alike, usage included', async () => {
    const seen = await bothPaths(
      {
        kind: 'sse',
        events: [
          chunk({ role: 'assistant', content: '' }),
          chunk({ content: 'It ships ' }),
          chunk({ content: 'today.' }),
          chunk({}, 'stop'),
          usageChunk,
          'data: [DONE]',
        ],
      },
      async (body) => {
        const { data, response } = await client.chat.completions
          .create({ ...body, stream: true, stream_options: { include_usage: true } })
          .withResponse();
        const chunks = [];
        for await (const part of data) chunks.push(part);
        return { headers: headersOf(response), chunks };
      },
    );
    const { chunks } = seen.answer as {
      chunks: Array<{ choices: Array<{ delta: { content?: string } }>; usage?: unknown }>;
    };
    expect(chunks.map((part) => part.choices[0]?.delta.content ?? '').join('')).toBe('It ships today.');
    expect(chunks.at(-1)?.usage).toEqual({ prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 });
  });

  it('fails alike when the upstream refuses the call', async () => {
    const seen = await bothPaths(
      {
        kind: 'json',
        status: 400,
        body: { error: { message: 'bad temperature', type: 'invalid_request_error', param: null, code: null } },
      },
      whole,
    );
    expect((seen.answer as { status: number }).status).toBeGreaterThanOrEqual(400);
    expect(seen.events).toHaveLength(1);
    expect(seen.traces).toHaveLength(1);
  });

  it('refuses a malformed request with the schema’s error on both paths', async () => {
    const response = await whole({ ...common, temperature: 7 });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'invalid_input', param: 'temperature' } });
  });
});
