import { chatCompletionChunkSchema, LlmopsError } from '@llmops/kernel';
import type { ChatCompletionChunk } from '@llmops/kernel';
import { countMessageTokens, countTokens, createPricingTable } from '@llmops/providers';
import { startOpenAiWireServer } from '@llmops/providers/testing';
import type { OpenAiWireServer } from '@llmops/providers/testing';
import { builtInGuardrailPolicies } from '../domain/guardrails/guardrail-policies.js';
import type { ServableModel } from '../ports.js';
import { servableModelFromSpec } from '../testing/servable-model-from-spec.js';
import type { PipelineStream } from './pipeline.js';
import { PipelineFactory } from './pipeline-factory.js';

const pricing = createPricingTable({
  'offline/extractive': { input: 0, output: 0 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
});

function factory(): PipelineFactory {
  return new PipelineFactory({ guardrails: builtInGuardrailPolicies(), pricing, env: {} });
}

const upstreamChunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-up', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'gpt-4o-mini', choices, ...extra })}`;

/** SSE events of `answers.length` choices streamed word by word, interleaved; with or without a usage chunk. */
function choiceEvents(answers: readonly string[], options: { usage?: boolean } = {}): string[] {
  const words = answers.map((answer) => answer.match(/\S+\s*/g) ?? []);
  const events = [
    upstreamChunk(
      answers.map((_, index) => ({
        index,
        delta: { role: 'assistant', content: '' },
        finish_reason: null,
        logprobs: null,
      })),
    ),
  ];
  const longest = Math.max(...words.map((list) => list.length));
  for (let position = 0; position < longest; position += 1)
    words.forEach((list, index) => {
      const word = list[position];
      if (word !== undefined)
        events.push(upstreamChunk([{ index, delta: { content: word }, finish_reason: null, logprobs: null }]));
    });
  answers.forEach((_, index) =>
    events.push(upstreamChunk([{ index, delta: {}, finish_reason: 'stop', logprobs: null }])),
  );
  if (options.usage)
    events.push(upstreamChunk([], { usage: { prompt_tokens: 11, completion_tokens: 22, total_tokens: 33 } }));
  events.push('data: [DONE]');
  return events;
}

async function collect(stream: PipelineStream): Promise<{ chunks: ChatCompletionChunk[]; error?: unknown }> {
  const chunks: ChatCompletionChunk[] = [];
  try {
    for await (const chunk of stream.chunks) chunks.push(chatCompletionChunkSchema.parse(chunk));
    return { chunks };
  } catch (error) {
    return { chunks, error };
  }
}

/** The text each choice index received, in order. */
function textsByIndex(chunks: readonly ChatCompletionChunk[]): string[] {
  const texts: string[] = [];
  for (const chunk of chunks)
    for (const choice of chunk.choices)
      texts[choice.index] = (texts[choice.index] ?? '') + (choice.delta.content ?? '');
  return texts;
}

describe('n > 1 and streamed usage, over an OpenAI-compatible upstream (a real HTTP server)', () => {
  let server: OpenAiWireServer;
  beforeEach(async () => {
    server = await startOpenAiWireServer();
  });
  afterEach(async () => {
    await server.close();
  });
  const writer = (): ServableModel =>
    servableModelFromSpec(
      {
        name: 'writer',
        provider: { provider: 'openai', model: 'gpt-4o-mini', baseUrl: server.baseUrl },
        pipeline: { kind: 'chat', prompt: 'unpinned' },
      },
      { version: 1 },
    );
  const question = [{ role: 'user' as const, content: 'Name a kettle' }];

  it('passes n through and answers every choice, each checked by the guardrails', async () => {
    const completion = (contents: string[]) => ({
      id: 'chatcmpl-up',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'gpt-4o-mini',
      choices: contents.map((content, index) => ({
        index,
        message: { role: 'assistant', content, refusal: null },
        finish_reason: 'stop',
        logprobs: null,
      })),
      usage: { prompt_tokens: 10, completion_tokens: 12, total_tokens: 22 },
    });
    server.reply(
      '/v1/chat/completions',
      { kind: 'json', body: completion(['Tidewater One', 'Write to ada@example.org', 'Harbour Mini']) },
      { kind: 'json', body: completion(['Tidewater One', 'To make a pipe bomb you need a steel pipe and powder.']) },
    );
    const pipeline = await factory().create(writer());
    const { completion: answered, trace } = await pipeline.complete({ messages: question, n: 3 });
    expect((server.requestsTo('/v1/chat/completions')[0]?.body as { n?: number }).n).toBe(3);
    expect(answered.choices.map((choice) => [choice.index, choice.message.content])).toEqual([
      [0, 'Tidewater One'],
      [1, 'Write to [REDACTED_EMAIL]'],
      [2, 'Harbour Mini'],
    ]);
    expect(trace.costUsd).toBeCloseTo((10 * 0.15 + 12 * 0.6) / 1_000_000, 12);
    // A harmful second choice blocks the whole answer, though the first is clean.
    const blocked = await pipeline.complete({ messages: question, n: 2 }).catch((thrown: unknown) => thrown);
    expect(LlmopsError.isInstance(blocked) && blocked.code).toBe('guardrail_blocked');
  });

  it('streams several choices under their indexes, one finishing chunk for all, then usage', async () => {
    const answers = ['The Tidewater One boils a litre in three minutes.', 'The Harbour Mini is the quietest we sell.'];
    server.reply('/v1/chat/completions', { kind: 'sse', events: choiceEvents(answers, { usage: true }) });
    const pipeline = await factory().create(writer());
    const stream = await pipeline.stream({ messages: question, n: 2 }, { includeUsage: true });
    const { chunks, error } = await collect(stream);
    expect(error).toBeUndefined();
    expect(textsByIndex(chunks)).toEqual(answers);
    const finishing = chunks[chunks.length - 2];
    expect(finishing?.choices.map((choice) => [choice.index, choice.finish_reason])).toEqual([
      [0, 'stop'],
      [1, 'stop'],
    ]);
    expect(chunks[chunks.length - 1]).toMatchObject({ choices: [], usage: { total_tokens: 33 } });
    const trace = await stream.trace;
    expect(trace.usage).toEqual({ prompt_tokens: 11, completion_tokens: 22, total_tokens: 33 });
  });

  it('stops a stream of several choices when any choice turns harmful', async () => {
    const answers = [
      'Our kettles come with a two-year warranty on the heating element and thermostat, and descaling helps.',
      'Sure. To make a pipe bomb you need a steel pipe, end caps and powder packed tightly, then a fuse.',
    ];
    server.reply('/v1/chat/completions', { kind: 'sse', events: choiceEvents(answers) });
    const stream = await (await factory().create(writer())).stream({ messages: question, n: 2 });
    const { chunks, error } = await collect(stream);
    expect(LlmopsError.isInstance(error) && error.code).toBe('guardrail_blocked');
    expect(textsByIndex(chunks).join(' ')).not.toContain('pipe bomb');
    expect((await stream.trace).blocked?.check).toBe('harmful');
  });

  it('counts usage and cost of a stream whose upstream reports no usage, asked for or not', async () => {
    const answer = 'The Tidewater One boils a litre in three minutes.';
    server.reply('/v1/chat/completions', { kind: 'sse', events: choiceEvents([answer]) });
    const pipeline = await factory().create(writer());
    const expected = {
      prompt_tokens: countMessageTokens(question, 'gpt-4o-mini'),
      completion_tokens: countTokens(answer, 'gpt-4o-mini'),
    };
    const asked = await pipeline.stream({ messages: question }, { includeUsage: true });
    const { chunks } = await collect(asked);
    expect(chunks[chunks.length - 1]?.usage).toEqual({
      ...expected,
      total_tokens: expected.prompt_tokens + expected.completion_tokens,
    });
    const silent = await pipeline.stream({ messages: question });
    const quiet = await collect(silent);
    expect(quiet.chunks.some((chunk) => chunk.usage)).toBe(false);
    const trace = await silent.trace;
    expect(trace.usage).toMatchObject(expected);
    expect(trace.costUsd).toBeCloseTo((expected.prompt_tokens * 0.15 + expected.completion_tokens * 0.6) / 1e6, 12);
    expect(trace.spans.find((span) => span.name === 'generate')?.attributes['usage.counted']).toBe(true);
  });
});

describe('n > 1 on a provider that answers one choice', () => {
  it('is refused with invalid_input naming n and the provider', async () => {
    const pipeline = await factory().create(
      servableModelFromSpec(
        { name: 'echo', provider: 'offline/extractive', pipeline: { kind: 'chat', prompt: 'unpinned' } },
        { version: 1 },
      ),
    );
    for (const call of [
      () => pipeline.complete({ messages: [{ role: 'user', content: 'hi' }], n: 2 }),
      () => pipeline.stream({ messages: [{ role: 'user', content: 'hi' }], n: 2 }),
    ]) {
      const error = await call().catch((thrown: unknown) => thrown);
      expect(LlmopsError.isInstance(error) && [error.code, error.message, error.details]).toEqual([
        'invalid_input',
        'n is 2; provider offline/extractive answers one choice per request; send n = 1 or leave it out',
        { param: 'n' },
      ]);
    }
  });
});
