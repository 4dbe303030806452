import { LlmopsError } from '@llmops/kernel';
import type { ChatCompletionChunk, ChatModelRequest } from '@llmops/kernel';
import { readJsonFixture, readSseFixture } from '../__fixtures__/read-fixture.js';
import { assembleChatCompletion } from '../chat/chat-completion-assembler.js';
import { startOpenAiWireServer } from '../testing/openai-wire-server.js';
import type { OpenAiWireServer } from '../testing/openai-wire-server.js';
import { createOpenAiCompatible } from './create-openai-compatible.js';
import { OpenAiCompatibleChatModel } from './openai-compatible-chat-model.js';
import type { OpenAiCompatibleSettings } from './openai-compatible-settings.js';

const completions = '/v1/chat/completions';
const apiKey = 'sk-test-supersecretvalue-1234';
const question: ChatModelRequest = { messages: [{ role: 'user', content: 'How long do refunds take?' }] };

let server: OpenAiWireServer;
let sleeps: number[];

beforeEach(async () => {
  server = await startOpenAiWireServer();
  sleeps = [];
});

afterEach(async () => {
  await server.close();
});

/** A model on the test server; retries sleep instantly and record their delays. */
function model(settings: OpenAiCompatibleSettings = {}): OpenAiCompatibleChatModel {
  return new OpenAiCompatibleChatModel('gpt-4o-mini', {
    baseURL: server.baseUrl,
    apiKey,
    ...settings,
    retry: {
      random: () => 0.5,
      sleep: async (ms) => void sleeps.push(ms),
      ...settings.retry,
      policy: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 5_000, ...settings.retry?.policy },
    },
  });
}

async function failure(promise: Promise<unknown>): Promise<LlmopsError> {
  try {
    await promise;
  } catch (error) {
    if (LlmopsError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

async function collect(
  stream: AsyncIterable<ChatCompletionChunk>,
  into: ChatCompletionChunk[] = [],
): Promise<ChatCompletionChunk[]> {
  for await (const chunk of stream) into.push(chunk);
  return into;
}

describe('OpenAiCompatibleChatModel.generate', () => {
  it('sends an OpenAI chat request with the model, key and parameters, and returns the parsed completion with cached tokens', async () => {
    server.reply(completions, { kind: 'json', body: readJsonFixture('chat-completion.json') });
    const completion = await model({ headers: { 'x-team': 'support' } }).generate({
      ...question,
      temperature: 0,
      seed: 42,
      stop: ['\n\n'],
    });

    expect(completion.choices[0]?.message.content).toBe(
      'Refunds are issued within 14 days of receiving the returned item [1].',
    );
    expect(completion.usage).toMatchObject({
      prompt_tokens: 1342,
      completion_tokens: 14,
      prompt_tokens_details: { cached_tokens: 1024 },
    });
    const [request] = server.requestsTo(completions);
    expect(request?.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(request?.headers['x-team']).toBe('support');
    expect(request?.body).toEqual({
      ...question,
      temperature: 0,
      seed: 42,
      stop: ['\n\n'],
      model: 'gpt-4o-mini',
      stream: false,
    });
  });

  it('passes a JSON-schema response_format through and returns the structured content', async () => {
    server.reply(completions, { kind: 'json', body: readJsonFixture('chat-completion-structured.json') });
    const responseFormat = {
      type: 'json_schema' as const,
      json_schema: {
        name: 'cited_answer',
        strict: true,
        schema: {
          type: 'object',
          properties: { answer: { type: 'string' }, citations: { type: 'array', items: { type: 'integer' } } },
          required: ['answer', 'citations'],
          additionalProperties: false,
        },
      },
    };
    const completion = await model().generate({ ...question, response_format: responseFormat });

    expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual({
      answer: 'Refunds are issued within 14 days.',
      citations: [1],
    });
    expect((server.requests[0]?.body as Record<string, unknown>)['response_format']).toEqual(responseFormat);
  });

  it('accepts the leaner answers of local servers (no refusal, logprobs or object) and sends no Authorization without a key', async () => {
    server.reply(completions, { kind: 'json', body: readJsonFixture('chat-completion-minimal.json') });
    const local = new OpenAiCompatibleChatModel('llama3.2', { baseURL: server.baseUrl, name: 'ollama' });
    const completion = await local.generate(question);

    expect(local.provider).toBe('ollama');
    expect(completion).toMatchObject({
      object: 'chat.completion',
      choices: [{ message: { content: 'Hello from a local server.', refusal: null }, finish_reason: 'stop' }],
    });
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('uses the injected fetch', async () => {
    server.reply(completions, { kind: 'json', body: readJsonFixture('chat-completion.json') });
    const seen: string[] = [];
    const countingFetch: typeof fetch = (input, init) => {
      seen.push(String(input instanceof Request ? input.url : input));
      return fetch(input, init);
    };
    await model({ fetch: countingFetch }).generate(question);
    expect(seen).toEqual([`${server.baseUrl}/chat/completions`]);
  });

  it('maps 400 context-length errors to invalid_input that says so, without retrying', async () => {
    server.reply(completions, { kind: 'json', status: 400, body: readJsonFixture('error-context-length.json') });
    const error = await failure(model().generate(question));

    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain("exceeds the model's context length");
    expect(error.message).toContain('maximum context length is 128000 tokens');
    expect(error.details).toMatchObject({
      reason: 'context_length_exceeded',
      status: 400,
      upstreamCode: 'context_length_exceeded',
    });
    expect(server.requests).toHaveLength(1);
  });

  it('maps 401 to unauthorized, never retried, with no trace of the API key in the message', async () => {
    server.reply(completions, { kind: 'json', status: 401, body: readJsonFixture('error-invalid-api-key.json') });
    const error = await failure(model().generate(question));

    expect(error.code).toBe('unauthorized');
    expect(error.message).toContain(server.baseUrl);
    expect(error.message).not.toContain(apiKey);
    expect(error.message).not.toMatch(/sk-test/);
    expect(JSON.stringify(error.details)).not.toContain('sk-test');
    expect(server.requests).toHaveLength(1);
  });

  it('maps 403 to forbidden and 404 to not_found naming the model', async () => {
    server.reply(completions, { kind: 'json', status: 403, body: readJsonFixture('error-permission-denied.json') });
    expect(await failure(model().generate(question))).toMatchObject({ code: 'forbidden', retryable: false });

    server.reply(completions, { kind: 'json', status: 404, body: readJsonFixture('error-model-not-found.json') });
    const notFound = await failure(model().generate(question));
    expect(notFound.code).toBe('not_found');
    expect(notFound.message).toMatch(/model not found.*gpt-9-turbo/);
    expect(notFound.message).toContain('(model gpt-4o-mini)');
  });

  it('retries a 429 after the Retry-After delay, then succeeds', async () => {
    server.reply(
      completions,
      { kind: 'json', status: 429, headers: { 'retry-after': '2' }, body: readJsonFixture('error-rate-limit.json') },
      { kind: 'json', body: readJsonFixture('chat-completion.json') },
    );
    const completion = await model().generate(question);

    expect(completion.id).toBe('chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT');
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toEqual([2_000]);
  });

  it('gives up on a lasting 429 with rate_limited, retryable, carrying retryAfterMs', async () => {
    server.reply(completions, {
      kind: 'json',
      status: 429,
      headers: { 'retry-after': '7' },
      body: readJsonFixture('error-rate-limit.json'),
    });
    const error = await failure(model({ retry: { policy: { maxAttempts: 2 } } }).generate(question));

    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 7_000 });
    expect(server.requests).toHaveLength(2);
  });

  it('retries 500s with jittered backoff and reports upstream_error when they last', async () => {
    server.reply(completions, { kind: 'json', status: 500, body: readJsonFixture('error-server.json') });
    const error = await failure(model().generate(question));

    expect(error).toMatchObject({ code: 'upstream_error', retryable: true });
    expect(error.message).toContain('(500)');
    expect(server.requests).toHaveLength(3);
    expect(sleeps).toEqual([50, 100]);
  });

  it('recovers from a 500 on the next attempt', async () => {
    server.reply(
      completions,
      { kind: 'json', status: 500, body: readJsonFixture('error-server.json') },
      { kind: 'json', body: readJsonFixture('chat-completion.json') },
    );
    await expect(model().generate(question)).resolves.toMatchObject({ object: 'chat.completion' });
    expect(server.requests).toHaveLength(2);
  });

  it('maps connection resets to retryable upstream_error', async () => {
    server.reply(completions, { kind: 'reset' });
    const error = await failure(model({ retry: { policy: { maxAttempts: 2 } } }).generate(question));

    expect(error).toMatchObject({ code: 'upstream_error', retryable: true });
    expect(server.requests).toHaveLength(2);
  });

  it('times out a slow response through its AbortSignal, and retries the timeout', async () => {
    server.reply(completions, { kind: 'json', delayMs: 2_000, body: readJsonFixture('chat-completion.json') });
    const error = await failure(model({ timeoutMs: 100, retry: { policy: { maxAttempts: 2 } } }).generate(question));

    expect(error.code).toBe('timeout');
    expect(error.message).toContain('no response within 100 ms');
    expect(server.requests).toHaveLength(2);
  });

  it('stops at once when the caller aborts, without retrying', async () => {
    server.reply(completions, { kind: 'json', delayMs: 2_000, body: readJsonFixture('chat-completion.json') });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await failure(model().generate(question, { signal: controller.signal }));

    expect(error).toMatchObject({ code: 'unavailable', retryable: false });
    expect(error.message).toContain('aborted by the caller');
    expect(server.requests).toHaveLength(1);
  });

  it("maps the caller's own AbortSignal.timeout to timeout", async () => {
    server.reply(completions, { kind: 'json', delayMs: 2_000, body: readJsonFixture('chat-completion.json') });
    const error = await failure(model().generate(question, { signal: AbortSignal.timeout(50) }));

    expect(error.code).toBe('timeout');
    expect(error.message).toContain("caller's deadline");
    expect(server.requests).toHaveLength(1);
  });

  it('rejects a body that is not a chat completion with upstream_error naming the field', async () => {
    server.reply(completions, {
      kind: 'json',
      body: { id: 'x', choices: [{ index: 0, message: { role: 'assistant', content: 42 } }] },
    });
    const error = await failure(model().generate(question));

    expect(error.code).toBe('upstream_error');
    expect(error.message).toContain('choices[0].message.content');
    expect(server.requests).toHaveLength(1);
  });
});

describe('OpenAiCompatibleChatModel.stream', () => {
  it('streams the chunks, asks for usage, and ends with a usage chunk with cached tokens', async () => {
    server.reply(completions, { kind: 'sse', events: readSseFixture('chat-stream.sse') });
    const chunks = await collect(model().stream({ ...question, seed: 7 }));

    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(
      'Refunds are issued within 14 days [1].',
    );
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 1342, completion_tokens: 9, prompt_tokens_details: { cached_tokens: 1024 } },
    });
    expect(server.requests[0]?.body).toMatchObject({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      seed: 7,
    });
  });

  it('assembles streamed tool-call deltas into complete tool calls', async () => {
    server.reply(completions, { kind: 'sse', events: readSseFixture('chat-stream-tool-calls.sse') });
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string' } } },
        },
      },
    ];
    const completion = assembleChatCompletion(
      await collect(model().stream({ ...question, tools, tool_choice: 'auto' })),
    );
    const [choice] = completion.choices;

    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    expect(
      choice?.message.tool_calls?.map((call) => [call.id, call.function.name, JSON.parse(call.function.arguments)]),
    ).toEqual([
      ['call_3Jq8pZ0nQ6yK2mV9tXwR1bLc', 'get_weather', { city: 'Paris', unit: 'celsius' }],
      ['call_8Hs2dL5vNp1QxC7zYt4Gk0Wm', 'get_weather', { city: 'Tokyo', unit: 'celsius' }],
    ]);
    expect(completion.usage?.total_tokens).toBe(127);
    expect((server.requests[0]?.body as Record<string, unknown>)['tools']).toEqual(tools);
  });

  it('retries opening a stream that failed before its first chunk', async () => {
    server.reply(
      completions,
      { kind: 'json', status: 500, body: readJsonFixture('error-server.json') },
      { kind: 'sse', events: readSseFixture('chat-stream.sse') },
    );
    const chunks = await collect(model().stream(question));

    expect(chunks.length).toBeGreaterThan(5);
    expect(server.requests).toHaveLength(2);
  });

  it('honours Retry-After when opening a stream', async () => {
    server.reply(
      completions,
      { kind: 'json', status: 429, headers: { 'retry-after': '1' }, body: readJsonFixture('error-rate-limit.json') },
      { kind: 'sse', events: readSseFixture('chat-stream.sse') },
    );
    await collect(model().stream(question));
    expect(sleeps).toEqual([1_000]);
    expect(server.requests).toHaveLength(2);
  });

  it('never retries after the first chunk: a stream cut mid-way fails with upstream_error after the chunks it delivered', async () => {
    server.reply(completions, { kind: 'sse', events: readSseFixture('chat-stream.sse'), cutAfter: 3 });
    const received: ChatCompletionChunk[] = [];
    const error = await failure(collect(model().stream(question), received));

    expect(received.map((chunk) => chunk.choices[0]?.delta.content)).toEqual(['', 'Refunds', ' are']);
    expect(error).toMatchObject({ code: 'upstream_error' });
    expect(error.message).toContain('closed');
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('fails a stream that ends cleanly but before any finish_reason', async () => {
    const events = readSseFixture('chat-stream.sse').slice(0, 4);
    server.reply(completions, { kind: 'sse', events });
    const error = await failure(collect(model().stream(question)));

    expect(error.code).toBe('upstream_error');
    expect(error.message).toContain('before a finish_reason');
    expect(server.requests).toHaveLength(1);
  });

  it('times out a stream that stalls between chunks, without retrying it', async () => {
    server.reply(completions, { kind: 'sse', events: readSseFixture('chat-stream.sse'), stallAfter: 2 });
    const received: ChatCompletionChunk[] = [];
    const error = await failure(collect(model({ timeoutMs: 150 }).stream(question), received));

    expect(error.code).toBe('timeout');
    expect(received).toHaveLength(2);
    expect(server.requests).toHaveLength(1);
  });

  it('maps an error event inside the stream to upstream_error', async () => {
    const [first] = readSseFixture('chat-stream.sse');
    server.reply(completions, {
      kind: 'sse',
      events: [
        first as string,
        'data: {"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}',
      ],
    });
    const error = await failure(collect(model().stream(question)));

    expect(error.code).toBe('upstream_error');
    expect(error.message).toContain('the stream reported an error');
  });

  it('closes the request when the consumer stops early, and the model keeps working', async () => {
    server.reply(completions, { kind: 'sse', events: readSseFixture('chat-stream.sse') });
    const chat = model();
    const received: string[] = [];
    for await (const chunk of chat.stream(question)) {
      received.push(chunk.choices[0]?.delta.content ?? '');
      if (received.length === 2) break;
    }
    expect(received).toEqual(['', 'Refunds']);
    const again = await collect(chat.stream(question));
    expect(again.at(-1)?.usage?.total_tokens).toBe(1351);
    expect(server.requests).toHaveLength(2);
  });

  it('leaves stream_options out when includeStreamUsage is false', async () => {
    server.reply(completions, { kind: 'sse', events: readSseFixture('chat-stream.sse') });
    await collect(model({ includeStreamUsage: false }).stream(question));
    expect(server.requests[0]?.body).not.toHaveProperty('stream_options');
  });
});

describe('createOpenAiCompatible', () => {
  it('hands out chat models sharing the endpoint settings', async () => {
    server.reply(completions, { kind: 'json', body: readJsonFixture('chat-completion-minimal.json') });
    const provider = createOpenAiCompatible({ baseURL: server.baseUrl, name: 'vllm', headers: { 'x-route': 'a' } });
    const chat = provider.chatModel('meta-llama/Llama-3.1-8B-Instruct');
    await chat.generate(question);

    expect([provider.name, chat.provider, chat.modelId]).toEqual(['vllm', 'vllm', 'meta-llama/Llama-3.1-8B-Instruct']);
    expect(server.requests[0]?.headers['x-route']).toBe('a');
    expect(server.requests[0]?.body).toMatchObject({ model: 'meta-llama/Llama-3.1-8B-Instruct' });
  });

  it('rejects a base URL that is not http(s) and an empty model id', () => {
    expect(() => createOpenAiCompatible({ baseURL: 'localhost:11434' }).chatModel('x')).toThrow(
      /baseURL .* uses localhost:|is not a URL/,
    );
    expect(() => createOpenAiCompatible({ baseURL: 'ftp://example.com/v1' }).chatModel('x')).toThrow(
      /expected http: or https:/,
    );
    expect(() => createOpenAiCompatible().chatModel(' ')).toThrow(/model id is empty/);
  });

  it('rejects a base URL with a user name or password, without repeating the password', () => {
    const refuse = (baseURL: string) => () => createOpenAiCompatible({ baseURL }).chatModel('x');
    expect(refuse('http://bob:s3cret@127.0.0.1:9/v1')).toThrow(
      'baseURL http://127.0.0.1:9/v1 carries a user name or password; expected none in the URL',
    );
    expect(refuse('https://token@example.com/v1')).toThrow(/carries a user name or password/);
    let message = '';
    try {
      refuse('http://bob:s3cret@127.0.0.1:9/v1')();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toContain('s3cret');
  });
});
