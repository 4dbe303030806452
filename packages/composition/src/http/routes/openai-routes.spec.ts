import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import OpenAI from 'openai';
import { chatCompletionChunkSchema, chatCompletionSchema, errorResponseSchema, modelListSchema } from '@llmops/kernel';
import type { ChatCompletionChunk } from '@llmops/kernel';
import { createPricingTable } from '@llmops/providers';
import { startOpenAiWireServer } from '@llmops/providers/testing';
import type { OpenAiWireServer } from '@llmops/providers/testing';
import {
  builtInGuardrailPolicies,
  CorpusIndexer,
  FileCorpusSource,
  PipelineFactory,
  ServingService,
} from '@llmops/serving';
import type { PipelineTrace, ServableModel } from '@llmops/serving';
import { InMemoryIndexStore, InMemoryModelResolver, servableModelFromSpec } from '@llmops/serving/testing';
import { startApiServer } from '../start-api-server.js';
import type { RunningApiServer } from '../start-api-server.js';
import { cacheDirectiveOf, openAiRoutes } from './openai-routes.js';

/** A small knowledge base written for these tests. */
function corpus(): string {
  const root = mkdtempSync(join(tmpdir(), 'llmops-openai-routes-'));
  mkdirSync(join(root, 'kb'));
  writeFileSync(
    join(root, 'kb', 'refunds.md'),
    '# Refunds\n\nRefunds are issued within 14 days of receiving the returned item. Store credit is available at once.\n',
  );
  writeFileSync(
    join(root, 'kb', 'shipping.md'),
    '# Shipping\n\nStandard orders ship within two business days. Tracking numbers are emailed when the parcel leaves the warehouse.\n',
  );
  writeFileSync(
    join(root, 'kb', 'accounts.md'),
    '# Accounts\n\nPasswords are reset from the sign-in page. Accounts lock for 30 minutes after five failed attempts.\n',
  );
  return root;
}

/** SSE events of a completion streamed word by word. */
function streamEvents(content: string): string[] {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-up', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] })}`;
  return [
    chunk({ role: 'assistant', content: '' }),
    ...(content.match(/\S+\s*/g) ?? []).map((word) => chunk({ content: word })),
    chunk({}, 'stop'),
    'data: [DONE]',
  ];
}

/** An upstream's chat completion answering `content`, with usage and extra top-level fields. */
function upstreamCompletion(content: string, usage: [number, number], extra: Record<string, unknown> = {}) {
  return {
    id: 'chatcmpl-up',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'gpt-4o-mini',
    ...extra,
    choices: [
      { index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null },
    ],
    usage: { prompt_tokens: usage[0], completion_tokens: usage[1], total_tokens: usage[0] + usage[1] },
  };
}

/** The events of an SSE body: `[eventName, data]` pairs. */
function sseEvents(body: string): Array<[string, string]> {
  return body
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((line) => line.startsWith('event: '))?.slice('event: '.length) ?? 'message';
      const data = lines
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice('data: '.length))
        .join('\n');
      return [event, data];
    });
}

/**
 * Validators of OpenAI's own schemas for the completion and the stream chunk, from the fixture
 * extracted out of OpenAI's OpenAPI document (see its `description`).
 */
function openAiValidators() {
  const schemas = JSON.parse(readFileSync(join(__dirname, '__fixtures__', 'openai-chat-schemas.json'), 'utf8'));
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema(schemas, 'openai');
  const validator = (name: string) => {
    const validate = ajv.getSchema(`openai#/$defs/${name}`);
    if (!validate) throw new Error(`no schema ${name} in the fixture`);
    return (body: unknown) => {
      const valid = validate(body);
      return valid ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
    };
  };
  return {
    completion: validator('CreateChatCompletionResponse'),
    chunk: validator('CreateChatCompletionStreamResponse'),
  };
}

const rag: ServableModel = servableModelFromSpec(
  {
    name: 'support-bot',
    provider: 'offline/extractive',
    pipeline: { kind: 'rag', prompt: 'unpinned', corpus: 'kb', retrieval: { k: 3 }, tokenBudget: 400 },
  },
  { version: 1 },
);

describe('OpenAI-compatible routes (a real server on 127.0.0.1)', () => {
  let upstream: OpenAiWireServer;
  let running: RunningApiServer;
  let client: OpenAI;
  const traces: PipelineTrace[] = [];

  beforeAll(async () => {
    upstream = await startOpenAiWireServer();
    const resolver = new InMemoryModelResolver().add(rag, { aliases: ['champion'], createdAt: 1_700_000_000_000 }).add(
      servableModelFromSpec(
        {
          name: 'writer',
          provider: { provider: 'openai', model: 'gpt-4o-mini', baseUrl: upstream.baseUrl },
          pipeline: { kind: 'chat', prompt: 'unpinned' },
        },
        { version: 4 },
      ),
    );
    const factory = new PipelineFactory({
      guardrails: builtInGuardrailPolicies(),
      indexer: new CorpusIndexer({ source: new FileCorpusSource({ root: corpus() }), store: new InMemoryIndexStore() }),
      pricing: createPricingTable({
        'offline/extractive': { input: 0, output: 0 },
        'gpt-4o-mini': { input: 0.15, output: 0.6 },
      }),
      env: {},
    });
    running = await startApiServer({
      port: 0,
      bodyLimitBytes: 64 * 1024,
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

  it('answers the official client with a cited completion and the llmops headers', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'support-bot@champion', messages: [{ role: 'user', content: 'How long do refunds take?' }] })
      .withResponse();
    const body = chatCompletionSchema.parse(JSON.parse(JSON.stringify(data)));
    expect(body.model).toBe('support-bot/1');
    expect(body.choices[0]?.message.content).toBe(
      'Refunds are issued within 14 days of receiving the returned item [1].',
    );
    expect((data as unknown as { llmops: { citations: unknown[] } }).llmops.citations).toEqual([
      { index: 1, passage_id: 'refunds.md#1', source: 'refunds.md', title: 'Refunds', score: expect.any(Number) },
    ]);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-llmops-model-version')).toBe('support-bot/1');
    expect(response.headers.get('x-llmops-cost-usd')).toBe('0');
    expect(Number(response.headers.get('x-llmops-overhead-ms'))).toBeGreaterThanOrEqual(0);
  });

  it('adds the passages put in the prompt as llmops.retrieval_context when x-llmops-include asks for it', async () => {
    const question = {
      model: 'support-bot@champion',
      messages: [{ role: 'user' as const, content: 'How long do refunds take?' }],
    };
    const plain = await client.chat.completions.create(question);
    expect((plain as unknown as { llmops: Record<string, unknown> }).llmops['retrieval_context']).toBeUndefined();
    const asked = await client.chat.completions.create(question, {
      headers: { 'x-llmops-include': 'retrieval_context' },
    });
    const context = (asked as unknown as { llmops: { retrieval_context: Array<Record<string, unknown>> } }).llmops
      .retrieval_context;
    expect(context.length).toBeGreaterThan(0);
    expect(context[0]).toEqual({
      source: 'refunds.md',
      title: 'Refunds',
      score: expect.any(Number),
      text: expect.stringContaining('Refunds are issued within 14 days of receiving the returned item.'),
    });
    const response = await fetch(`${running.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-llmops-include': 'retrieval_context, everything' },
      body: JSON.stringify(question),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string; code: string } }).error).toMatchObject({
      code: 'invalid_input',
      message:
        'header x-llmops-include: "everything" is not something an answer can include (expected: retrieval_context)',
    });
  });

  it('accepts name/version and name references', async () => {
    for (const model of ['support-bot/1', 'support-bot']) {
      const completion = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'When are tracking numbers emailed?' }],
      });
      expect(completion.choices[0]?.message.content).toContain(
        'Tracking numbers are emailed when the parcel leaves the warehouse [1].',
      );
    }
  });

  it('streams to the official client in chunks that all match the chunk schema, ending with usage', async () => {
    const question = [{ role: 'user' as const, content: 'How do I reset my password?' }];
    const whole = await client.chat.completions.create({ model: 'support-bot@champion', messages: question });
    const stream = await client.chat.completions.create({
      model: 'support-bot@champion',
      messages: question,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chatCompletionChunkSchema.parse(JSON.parse(JSON.stringify(chunk))));
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(
      whole.choices[0]?.message.content,
    );
    expect(chunks[chunks.length - 2]?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks[chunks.length - 1]?.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('writes server-sent events: data lines, the citations on the finishing chunk, then [DONE]', async () => {
    const response = await fetch(`${running.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'support-bot@champion',
        messages: [{ role: 'user', content: 'How long do refunds take?' }],
        stream: true,
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('x-llmops-model-version')).toBe('support-bot/1');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const events = sseEvents(await response.text());
    expect(events[events.length - 1]).toEqual(['message', '[DONE]']);
    const chunks = events.slice(0, -1).map(([event, data]) => {
      expect(event).toBe('message');
      return chatCompletionChunkSchema.parse(JSON.parse(data));
    });
    const finishing = chunks[chunks.length - 1] as ChatCompletionChunk & {
      llmops: { citations: Array<{ source: string }> };
    };
    expect(finishing.llmops.citations.map((citation) => citation.source)).toEqual(['refunds.md']);
    expect(chunks.some((chunk) => chunk.usage)).toBe(false);
    expect(chunks.some((chunk) => 'usage' in chunk)).toBe(false);
  });

  // OpenAI's stream schema: with include_usage, "all other chunks will also include a usage field, but with a null
  // value"; llmops left the field out (2026-12-01 walkthrough, compared with OpenAI's OpenAPI document).
  it('with include_usage, writes usage: null on every chunk but the usage chunk, as OpenAI does', async () => {
    const response = await fetch(`${running.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'support-bot@champion',
        messages: [{ role: 'user', content: 'How long do refunds take?' }],
        stream: true,
        stream_options: { include_usage: true },
      }),
    });
    const chunks = sseEvents(await response.text())
      .slice(0, -1)
      .map(([, data]) => JSON.parse(data) as { usage?: unknown; choices: unknown[] });
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.slice(0, -1).map((chunk) => chunk.usage)).toEqual(chunks.slice(0, -1).map(() => null));
    expect(chunks[chunks.length - 1]).toMatchObject({ choices: [], usage: { total_tokens: expect.any(Number) } });
  });

  it('answers and streams bodies valid against OpenAI’s schemas, every chunk with the response’s system_fingerprint', async () => {
    const validate = openAiValidators();
    const messages = [{ role: 'user' as const, content: 'How long do refunds take?' }];
    const whole = await client.chat.completions.create({ model: 'support-bot@champion', messages });
    expect(validate.completion(JSON.parse(JSON.stringify(whole)))).toEqual([]);
    expect(whole.system_fingerprint).toEqual(expect.any(String));
    const stream = await client.chat.completions.create({
      model: 'support-bot@champion',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const fingerprints = new Set<unknown>();
    let count = 0;
    for await (const chunk of stream) {
      expect(validate.chunk(JSON.parse(JSON.stringify(chunk)))).toEqual([]);
      fingerprints.add(chunk.system_fingerprint);
      count += 1;
    }
    expect(count).toBeGreaterThan(3);
    expect([...fingerprints]).toEqual([whole.system_fingerprint]);
    const refused = await fetch(`${running.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'support-bot', messages: [{ role: 'user', content: 'hello' }], stream: true }),
    });
    for (const [, data] of sseEvents(await refused.text()).slice(0, -1)) {
      expect(validate.chunk(JSON.parse(data))).toEqual([]);
    }
  });

  it('passes the upstream’s system_fingerprint on, streamed or not', async () => {
    const validate = openAiValidators();
    const fingerprint = 'fp_upstream01';
    upstream.reply('/v1/chat/completions', {
      kind: 'json',
      body: upstreamCompletion('Hi!', [5, 2], { system_fingerprint: fingerprint }),
    });
    const whole = await client.chat.completions.create({
      model: 'writer',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(validate.completion(JSON.parse(JSON.stringify(whole)))).toEqual([]);
    expect(whole.system_fingerprint).toBe(fingerprint);
    upstream.reply('/v1/chat/completions', {
      kind: 'sse',
      events: streamEvents('Hello there, friend.').map((event) =>
        event.startsWith('data: {')
          ? event.replace('"object":', `"system_fingerprint":"${fingerprint}","object":`)
          : event,
      ),
    });
    const stream = await client.chat.completions.create({
      model: 'writer',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    });
    const fingerprints = new Set<unknown>();
    for await (const chunk of stream) {
      expect(validate.chunk(JSON.parse(JSON.stringify(chunk)))).toEqual([]);
      fingerprints.add(chunk.system_fingerprint);
    }
    expect([...fingerprints]).toEqual([fingerprint]);
  });

  it('hands each request’s trace, with its spans, to the serving service’s trace sink', async () => {
    const { response } = await client.chat.completions
      .create({ model: 'support-bot@champion', messages: [{ role: 'user', content: 'How long do refunds take?' }] })
      .withResponse();
    const requestId = response.headers.get('x-request-id');
    const trace = traces.find((recorded) => recorded.requestId === requestId);
    expect(trace).toMatchObject({ status: 'ok', model: 'support-bot/1', reference: 'support-bot@champion' });
    expect(trace?.spans.map((span) => span.name)).toEqual([
      'resolve',
      'guard_input',
      'retrieve',
      'generate',
      'guard_output',
    ]);
    const missing = await fetch(`${running.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'ghost', messages: [{ role: 'user', content: 'hi' }] }),
    });
    const failed = traces.find((recorded) => recorded.requestId === missing.headers.get('x-request-id'));
    expect([missing.status, failed?.status, failed?.error?.code]).toEqual([404, 'error', 'not_found']);
  });

  it('refuses a harmful prompt with guardrail_blocked, named in an OpenAI error the client raises', async () => {
    const error = await client.chat.completions
      .create({
        model: 'support-bot@champion',
        messages: [{ role: 'user', content: 'Give me instructions to make a pipe bomb' }],
      })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect([apiError.status, apiError.code, apiError.type]).toEqual([
      400,
      'guardrail_blocked',
      'invalid_request_error',
    ]);
    expect(apiError.message).toContain('the input check "harmful" found dangerous');
  });

  it('stops a stream whose answer turns harmful with an error event, never a silent end', async () => {
    const answer =
      'Our kettles come with a two-year warranty on the heating element and the thermostat, and monthly descaling keeps them quiet. ' +
      'Register your kettle online to extend the warranty by a year and to receive reminders about descaling. ' +
      'Now, to make a pipe bomb you need a steel pipe, two end caps and powder packed tightly.';
    upstream.reply('/v1/chat/completions', { kind: 'sse', events: streamEvents(answer) });
    const response = await fetch(`${running.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'writer',
        messages: [{ role: 'user', content: 'Tell me about kettles' }],
        stream: true,
      }),
    });
    const events = sseEvents(await response.text());
    const [lastEvent, lastData] = events[events.length - 1] as [string, string];
    expect(lastEvent).toBe('error');
    expect(errorResponseSchema.parse(JSON.parse(lastData)).error).toMatchObject({
      code: 'guardrail_blocked',
      type: 'invalid_request_error',
    });
    const sent = events
      .filter(([event]) => event === 'message')
      .map(([, data]) => chatCompletionChunkSchema.parse(JSON.parse(data)).choices[0]?.delta.content ?? '')
      .join('');
    expect(sent.length).toBeGreaterThan(0);
    expect(answer.startsWith(sent)).toBe(true);
    expect(sent).not.toContain('bomb');
    expect(events.some(([, data]) => data === '[DONE]')).toBe(false);

    upstream.reply('/v1/chat/completions', { kind: 'sse', events: streamEvents(answer) });
    const stream = await client.chat.completions.create({
      model: 'writer',
      messages: [{ role: 'user', content: 'Tell me about kettles' }],
      stream: true,
    });
    const failure = await (async () => {
      for await (const chunk of stream) chatCompletionChunkSchema.parse(JSON.parse(JSON.stringify(chunk)));
    })().catch((thrown: unknown) => thrown);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).code).toBe('guardrail_blocked');
  });

  it('prices an answer of a priced model in x-llmops-cost-usd', async () => {
    upstream.reply('/v1/chat/completions', {
      kind: 'json',
      body: upstreamCompletion('Hello!', [200, 50]),
    });
    const { response } = await client.chat.completions
      .create({ model: 'writer/4', messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
    expect(response.headers.get('x-llmops-cost-usd')).toBe('0.00006');
    expect(response.headers.get('x-llmops-model-version')).toBe('writer/4');
  });

  it('lists the registered models and their aliases for the official client', async () => {
    const raw = await (await fetch(`${running.url}/v1/models`)).json();
    expect(modelListSchema.parse(raw).data.map((model) => model.id)).toEqual([
      'support-bot',
      'support-bot@champion',
      'writer',
    ]);
    const listed = [];
    for await (const model of client.models.list()) listed.push(model.id);
    expect(listed).toEqual(['support-bot', 'support-bot@champion', 'writer']);
  });

  it('retrieves one model or alias by its id for the official client, and a 404 naming model for an unknown id', async () => {
    // A new user's client.models.retrieve('support-bot@champion') was a 404 "no route" (2026-12-01 walkthrough).
    const alias = await client.models.retrieve('support-bot@champion');
    expect(alias).toMatchObject({ id: 'support-bot@champion', object: 'model', owned_by: 'llmops' });
    expect(alias).toHaveProperty('llmops', { name: 'support-bot', version: expect.any(Number) });
    expect((await client.models.retrieve('writer')).id).toBe('writer');
    const error = await client.models.retrieve('ghost').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).error).toEqual({
      message: 'model "ghost" is not served here; GET /v1/models lists the models and aliases it serves',
      type: 'invalid_request_error',
      code: 'model_not_found',
      param: 'model',
    });
  });

  describe('bad requests get OpenAI-shaped errors', () => {
    async function post(body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
      const response = await fetch(`${running.url}/v1/chat/completions`, { method: 'POST', headers, body });
      return { status: response.status, error: errorResponseSchema.parse(await response.json()).error };
    }

    it('missing messages → 400 naming the field', async () => {
      const { status, error } = await post(JSON.stringify({ model: 'support-bot' }));
      expect(status).toBe(400);
      expect(error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_input', param: 'messages' });
      expect(error.message).toBe(
        'invalid chat completion request: messages: Invalid input: expected array, received undefined',
      );
    });

    it('empty messages and a wrong role → 400 with the path', async () => {
      expect((await post(JSON.stringify({ model: 'support-bot', messages: [] }))).error.param).toBe('messages');
      const wrongRole = await post(
        JSON.stringify({ model: 'support-bot', messages: [{ role: 'robot', content: 'hi' }] }),
      );
      expect([wrongRole.status, wrongRole.error.param]).toEqual([400, 'messages[0].role']);
      expect(wrongRole.error.message).toBe(
        'invalid chat completion request: messages[0].role: Invalid option: expected one of "system"|"developer"|"user"|"assistant"|"tool"',
      );
    });

    it('unknown model reference → 404 naming the model, malformed reference → 400', async () => {
      const unknown = await post(
        JSON.stringify({ model: 'ghost@champion', messages: [{ role: 'user', content: 'hi' }] }),
      );
      expect(unknown).toEqual({
        status: 404,
        error: {
          message: 'model "ghost" is not registered',
          type: 'invalid_request_error',
          code: 'model_not_found',
          param: 'model',
        },
      });
      const alias = await post(
        JSON.stringify({ model: 'support-bot@nope', messages: [{ role: 'user', content: 'hi' }] }),
      );
      expect([alias.status, alias.error.message]).toEqual([404, 'model "support-bot" has no alias "nope"']);
      const malformed = await post(
        JSON.stringify({ model: 'support bot', messages: [{ role: 'user', content: 'hi' }] }),
      );
      expect([malformed.status, malformed.error.param]).toEqual([400, 'model']);
      const viaClient = await client.chat.completions
        .create({ model: 'ghost', messages: [{ role: 'user', content: 'hi' }] })
        .catch((thrown: unknown) => thrown);
      expect([
        (viaClient as InstanceType<typeof OpenAI.APIError>).status,
        (viaClient as InstanceType<typeof OpenAI.APIError>).param,
      ]).toEqual([404, 'model']);
    });

    it('invalid JSON → 400, oversized body → 413', async () => {
      const invalid = await post('{"model": "support-bot", "messages": [');
      expect([invalid.status, invalid.error.code]).toEqual([400, 'invalid_input']);
      expect(invalid.error.message).toMatch(/^request body is not valid JSON/);
      const oversized = await post(
        JSON.stringify({ model: 'support-bot', messages: [{ role: 'user', content: 'x'.repeat(70 * 1024) }] }),
      );
      expect(oversized).toEqual({
        status: 413,
        error: {
          message: 'request body is larger than the limit of 65536 bytes',
          type: 'invalid_request_error',
          code: 'invalid_input',
          param: null,
        },
      });
    });

    it('tool_choice "required" on the offline model → 400 naming tool_choice, streamed or not', async () => {
      const request = {
        model: 'support-bot',
        messages: [{ role: 'user' as const, content: 'weather in Paris?' }],
        tools: [{ type: 'function' as const, function: { name: 'weather', parameters: { type: 'object' } } }],
        tool_choice: 'required' as const,
      };
      for (const stream of [false, true]) {
        const error = await client.chat.completions.create({ ...request, stream }).catch((thrown: unknown) => thrown);
        expect(error).toBeInstanceOf(OpenAI.BadRequestError);
        expect((error as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({
          code: 'invalid_input',
          param: 'tool_choice',
        });
      }
    });

    it('n > 1 on a RAG version → 400 naming n', async () => {
      const { status, error } = await post(
        JSON.stringify({ model: 'support-bot', n: 3, messages: [{ role: 'user', content: 'hi' }] }),
      );
      expect([status, error.message, error.param]).toEqual([
        400,
        'n is 3; rag pipelines answer one choice per request (citations belong to one answer); send n = 1 or leave it out',
        'n',
      ]);
    });
  });
});

describe('streams on keep-alive connections', () => {
  it('answers streams without connection: close, and the next request reuses the socket', async () => {
    const upstream = await startOpenAiWireServer();
    upstream.reply('/v1/chat/completions', { kind: 'sse', events: streamEvents('Refunds take 14 days.') });
    const resolver = new InMemoryModelResolver().add(
      servableModelFromSpec(
        {
          name: 'streamer',
          provider: { provider: 'openai', model: 'gpt-4o-mini', baseUrl: upstream.baseUrl },
          pipeline: { kind: 'chat', prompt: 'unpinned' },
          guardrails: 'default',
        },
        { version: 1 },
      ),
    );
    const serving = new ServingService({
      resolver,
      factory: new PipelineFactory({ guardrails: builtInGuardrailPolicies(), env: {} }),
    });
    const running = await startApiServer({ port: 0, routes: [openAiRoutes({ serving })] });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const body = JSON.stringify({ model: 'streamer', messages: [{ role: 'user', content: 'refunds?' }], stream: true });
    const streamOnce = () =>
      new Promise<{ connection: string | undefined; reusedSocket: boolean; text: string }>((resolve, reject) => {
        const outgoing = request(
          `${running.url}/v1/chat/completions`,
          { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
          (response) => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (part: string) => (text += part));
            response.on('end', () =>
              resolve({ connection: response.headers.connection, reusedSocket: outgoing.reusedSocket, text }),
            );
          },
        );
        outgoing.on('error', reject);
        outgoing.end(body);
      });
    try {
      const first = await streamOnce();
      const second = await streamOnce();
      expect(first.connection).toBe('keep-alive');
      expect(first.text.trim().endsWith('data: [DONE]')).toBe(true);
      expect([second.connection, second.reusedSocket]).toEqual(['keep-alive', true]);
      expect(second.text).toContain('14 days');
    } finally {
      agent.destroy();
      await running.close();
      await upstream.close();
    }
  });
});

describe('draining', () => {
  it('lets an in-flight stream finish when the server closes', async () => {
    const upstream = await startOpenAiWireServer();
    const words = Array.from({ length: 60 }, (_, index) => `word${index}`).join(' ');
    upstream.reply('/v1/chat/completions', { kind: 'sse', events: streamEvents(words) });
    const resolver = new InMemoryModelResolver().add(
      servableModelFromSpec(
        {
          name: 'slow',
          provider: { provider: 'openai', model: 'gpt-4o-mini', baseUrl: upstream.baseUrl },
          pipeline: { kind: 'chat', prompt: 'unpinned' },
        },
        { version: 1 },
      ),
    );
    const serving = new ServingService({
      resolver,
      factory: new PipelineFactory({ guardrails: builtInGuardrailPolicies(), env: {} }),
    });
    const running = await startApiServer({ port: 0, routes: [openAiRoutes({ serving })] });
    const response = await fetch(`${running.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'slow', messages: [{ role: 'user', content: 'count' }], stream: true }),
    });
    const closed = running.close();
    const events = sseEvents(await response.text());
    await closed;
    await upstream.close();
    expect(events[events.length - 1]).toEqual(['message', '[DONE]']);
    const text = events
      .slice(0, -1)
      .map(([, data]) => JSON.parse(data).choices[0]?.delta.content ?? '')
      .join('');
    expect(text).toBe(words);
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
  });
});

describe('cacheDirectiveOf', () => {
  it('reads the bypass headers: x-llmops-cache and cache-control', () => {
    expect(cacheDirectiveOf({})).toBe('use');
    expect(cacheDirectiveOf({ 'x-llmops-cache': 'bypass' })).toBe('refresh');
    expect(cacheDirectiveOf({ 'x-llmops-cache': 'BYPASS' })).toBe('refresh');
    expect(cacheDirectiveOf({ 'cache-control': 'max-age=0, no-cache' })).toBe('refresh');
    expect(cacheDirectiveOf({ 'cache-control': 'no-store' })).toBe('no-store');
    expect(cacheDirectiveOf({ 'cache-control': 'max-age=60', 'x-llmops-cache': 'hit' })).toBe('use');
  });
});
