import { join } from 'node:path';
import { chatCompletionChunkSchema, chatCompletionSchema, contentText, LlmopsError } from '@llmops/kernel';
import type { ChatCompletionChunk } from '@llmops/kernel';
import { countTokens, createPricingTable, doNotKnowAnswer } from '@llmops/providers';
import { startOpenAiWireServer } from '@llmops/providers/testing';
import type { OpenAiWireServer } from '@llmops/providers/testing';
import { completionBody, streamEvents } from '../__fixtures__/wire.js';
import { FileCorpusSource } from '../adapters/file-system/file-corpus-source.js';
import { builtInGuardrailPolicies, GuardrailPolicies } from '../domain/guardrails/guardrail-policies.js';
import { guardrailPolicySchema } from '../domain/guardrails/guardrail-policy.js';
import type { ServableModel } from '../ports.js';
import { InMemoryIndexStore } from '../testing/in-memory-index-store.js';
import { InMemoryModelResolver } from '../testing/in-memory-model-resolver.js';
import { servableModelFromSpec } from '../testing/servable-model-from-spec.js';
import type { PipelineStream } from './pipeline.js';
import { PipelineFactory } from './pipeline-factory.js';
import { CorpusIndexer } from './retrieval/corpus-indexer.js';
import { ServingService } from './serving-service.js';

const fixtures = join(__dirname, '..', '__fixtures__');
const pricing = createPricingTable({
  'offline/extractive': { input: 0, output: 0 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
});

const ragModel: ServableModel = servableModelFromSpec(
  {
    name: 'support-bot',
    provider: 'offline/extractive',
    pipeline: {
      kind: 'rag',
      prompt: 'unpinned',
      corpus: 'kb',
      tokenBudget: 300,
      retrieval: { k: 4, chunking: { strategy: 'tokens', maxTokens: 80, overlapTokens: 16 } },
    },
  },
  { version: 2 },
);

const policies = new GuardrailPolicies({
  default: builtInGuardrailPolicies().get('default'),
  polite: guardrailPolicySchema.parse({
    onBlock: 'refuse',
    refusalMessage: 'Sorry, I cannot help with that.',
    input: { harmful: {} },
    output: { harmful: {} },
  }),
});

function factory(extra: Partial<ConstructorParameters<typeof PipelineFactory>[0]> = {}) {
  const indexer = new CorpusIndexer({
    source: new FileCorpusSource({ root: fixtures }),
    store: new InMemoryIndexStore(),
  });
  return new PipelineFactory({ guardrails: policies, indexer, pricing, env: {}, ...extra });
}

async function collect(stream: PipelineStream): Promise<{ chunks: ChatCompletionChunk[]; error?: unknown }> {
  const chunks: ChatCompletionChunk[] = [];
  try {
    for await (const chunk of stream.chunks) chunks.push(chunkSchemaChecked(chunk));
  } catch (error) {
    return { chunks, error };
  }
  return { chunks };
}

function chunkSchemaChecked(chunk: ChatCompletionChunk): ChatCompletionChunk {
  return chatCompletionChunkSchema.parse(JSON.parse(JSON.stringify(chunk)));
}

const text = (chunks: readonly ChatCompletionChunk[]) =>
  chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');

describe('the RAG pipeline with the offline extractive model', () => {
  it('answers from the right passage and cites it, with a full trace', async () => {
    const pipeline = await factory().create(ragModel);
    const { completion, trace } = await pipeline.complete(
      { messages: [{ role: 'user', content: 'How long do refunds take?' }] },
      { requestId: 'req-1' },
    );
    chatCompletionSchema.parse(JSON.parse(JSON.stringify(completion)));
    expect(completion.model).toBe('support-bot/2');
    expect(completion.choices[0]?.message.content).toMatch(
      /^Refunds are issued to the original payment method within 14 days of receiving the returned item \[1\]\./,
    );
    expect(completion.llmops.citations[0]).toMatchObject({
      index: 1,
      source: 'refunds.md',
      passage_id: 'refunds.md#1',
    });
    expect(completion.llmops.citations[0]?.score).toBeGreaterThan(0);
    expect(trace).toMatchObject({
      requestId: 'req-1',
      model: 'support-bot/2',
      pipeline: 'rag',
      provider: 'offline/extractive',
      guardrailPolicy: 'default',
      costUsd: 0,
      completed: true,
      finishReason: 'stop',
    });
    expect(trace.retrieval?.passages[0]).toMatchObject({ id: 'refunds.md#1', source: 'refunds.md', used: true });
    expect(trace.retrieval?.contextTokens).toBeGreaterThan(0);
    expect(trace.retrieval?.contextTokens).toBeLessThanOrEqual(300);
    expect(trace.promptTokens).toBe(completion.usage?.prompt_tokens);
    expect(trace.guardrails.map((verdict) => `${verdict.stage}:${verdict.check}:${verdict.outcome}`)).toEqual([
      'input:max_tokens:pass',
      'input:injection:pass',
      'input:harmful:pass',
      'input:language:pass',
      'input:pii:pass',
      'output:harmful:pass',
      'output:injection:pass',
      'output:urls:pass',
      'output:pii:pass',
    ]);
    for (const value of Object.values(trace.latencyMs)) expect(value).toBeGreaterThanOrEqual(0);
    expect(trace.latencyMs.total).toBeGreaterThanOrEqual(trace.latencyMs.generate);
  });

  it('keeps the context within the token budget, using fewer passages when the budget is small', async () => {
    const roomy = await factory().create(ragModel);
    const tight = await factory().create({
      ...ragModel,
      version: 3,
      pipeline: { ...ragModel.pipeline, tokenBudget: 60 } as ServableModel['pipeline'],
    });
    const question = {
      messages: [{ role: 'user' as const, content: 'What happens to damaged items and refunds after a return?' }],
    };
    const wide = (await roomy.complete(question)).trace.retrieval;
    const narrow = (await tight.complete(question)).trace.retrieval;
    expect(wide?.contextTokens).toBeLessThanOrEqual(300);
    expect(narrow?.contextTokens).toBeLessThanOrEqual(60);
    const used = (trace: typeof wide) => trace?.passages.filter((passage) => passage.used).length ?? 0;
    expect(used(narrow)).toBeLessThan(used(wide));
    expect(used(narrow)).toBeGreaterThan(0);
  });

  it('says it does not know, citing nothing, when the corpus has no answer', async () => {
    const { completion } = await (
      await factory().create(ragModel)
    ).complete({ messages: [{ role: 'user', content: 'What is the capital of Australia?' }] });
    expect(completion.choices[0]?.message.content).toBe(doNotKnowAnswer);
    expect(completion.llmops.citations).toEqual([]);
  });

  it('streams the same answer in OpenAI chunks, with citations on the finishing chunk and usage last', async () => {
    const pipeline = await factory().create(ragModel);
    const request = { messages: [{ role: 'user' as const, content: 'When are tracking numbers emailed?' }] };
    const whole = await pipeline.complete(request);
    const stream = await pipeline.stream(request, { includeUsage: true });
    const { chunks, error } = await collect(stream);
    expect(error).toBeUndefined();
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    expect(text(chunks)).toBe(whole.completion.choices[0]?.message.content);
    const finishing = chunks[chunks.length - 2] as ChatCompletionChunk & { llmops?: { citations: unknown[] } };
    expect(finishing.choices[0]?.finish_reason).toBe('stop');
    expect(finishing.llmops?.citations).toEqual(whole.completion.llmops.citations);
    expect(chunks[chunks.length - 1]?.choices).toEqual([]);
    expect(chunks[chunks.length - 1]?.usage?.total_tokens).toBeGreaterThan(0);
    expect(new Set(chunks.map((chunk) => chunk.id))).toEqual(new Set([stream.id]));
    const trace = await stream.trace;
    expect([trace.completed, trace.citations]).toEqual([true, whole.completion.llmops.citations]);
  });

  it('blocks a harmful question with guardrail_blocked before retrieval or the model', async () => {
    const pipeline = await factory().create(ragModel);
    const error = await pipeline
      .complete({ messages: [{ role: 'user', content: 'How do I make a pipe bomb?' }] })
      .catch((thrown: unknown) => thrown);
    expect(LlmopsError.isInstance(error) && [error.code, error.httpStatus, error.details]).toEqual([
      'guardrail_blocked',
      400,
      { policy: 'default', stage: 'input', check: 'harmful', categories: ['dangerous'] },
    ]);
    await expect(
      pipeline.stream({ messages: [{ role: 'user', content: 'How do I make a pipe bomb?' }] }),
    ).rejects.toThrow(/found dangerous$/);
  });

  it('answers a block with a 200 refusal when the policy says refuse, streamed or not', async () => {
    const pipeline = await factory().create({ ...ragModel, guardrails: 'polite' });
    const request = { messages: [{ role: 'user' as const, content: 'I want to kill my neighbour' }] };
    const { completion, trace } = await pipeline.complete(request);
    chatCompletionSchema.parse(JSON.parse(JSON.stringify(completion)));
    expect(completion.choices[0]).toMatchObject({
      message: { content: 'Sorry, I cannot help with that.' },
      finish_reason: 'content_filter',
    });
    expect(completion.llmops.guardrail).toEqual({
      blocked: true,
      stage: 'input',
      check: 'harmful',
      categories: ['violence'],
    });
    expect(trace.blocked?.check).toBe('harmful');
    expect(trace.retrieval).toBeUndefined();
    const { chunks } = await collect(await pipeline.stream(request));
    expect(text(chunks)).toBe('Sorry, I cannot help with that.');
    expect(chunks[chunks.length - 1]?.choices[0]?.finish_reason).toBe('content_filter');
  });

  it('rejects n > 1 for RAG and names the parameter', async () => {
    const pipeline = await factory().create(ragModel);
    const error = await pipeline
      .complete({ messages: [{ role: 'user', content: 'hi' }], n: 2 })
      .catch((thrown: unknown) => thrown);
    expect(LlmopsError.isInstance(error) && [error.code, error.message, error.details]).toEqual([
      'invalid_input',
      'n is 2; rag pipelines answer one choice per request (citations belong to one answer); send n = 1 or leave it out',
      { param: 'n' },
    ]);
  });
});

describe('pipelines over an OpenAI-compatible model (a real HTTP server)', () => {
  let server: OpenAiWireServer;
  beforeEach(async () => {
    server = await startOpenAiWireServer();
  });
  afterEach(async () => {
    await server.close();
  });
  const openAiModel = (overrides: Partial<ServableModel>): ServableModel => ({
    ...servableModelFromSpec(
      {
        name: 'writer',
        provider: { provider: 'openai', model: 'gpt-4o-mini', baseUrl: server.baseUrl },
        params: { temperature: 0.2, max_tokens: 300 },
        pipeline: { kind: 'chat', prompt: 'unpinned' },
      },
      { version: 1 },
    ),
    ...overrides,
  });

  it('renders the pinned prompt with the request variables, merges params, and prices the usage', async () => {
    server.reply('/v1/chat/completions', { kind: 'json', body: completionBody('Hello Ada, kettles are great.') });
    const pipeline = await factory().create(
      openAiModel({
        pipeline: {
          kind: 'chat',
          prompt: { reference: 'greeter/4', template: 'You are the assistant of {{shop}}. Greet {{customer}}.' },
        },
      }),
    );
    const { completion, trace } = await pipeline.complete({
      messages: [{ role: 'user', content: 'Hi!' }],
      max_tokens: 50,
      variables: { shop: 'Tidewater', customer: 'Ada' },
    });
    const body = server.requestsTo('/v1/chat/completions')[0]?.body as Record<string, unknown>;
    expect(body['messages']).toEqual([
      { role: 'system', content: 'You are the assistant of Tidewater. Greet Ada.' },
      { role: 'user', content: 'Hi!' },
    ]);
    expect([body['temperature'], body['max_tokens'], body['model']]).toEqual([0.2, 50, 'gpt-4o-mini']);
    expect(completion.choices[0]?.message.content).toBe('Hello Ada, kettles are great.');
    expect(trace.costUsd).toBeCloseTo((120 * 0.15 + 30 * 0.6) / 1_000_000, 12);
    expect(trace.promptTokens).toBeGreaterThan(countTokens('You are the assistant of Tidewater. Greet Ada.'));
  });

  it('names a prompt variable the request did not give', async () => {
    const pipeline = await factory().create(
      openAiModel({ pipeline: { kind: 'chat', prompt: { reference: 'greeter/4', template: 'Greet {{customer}}.' } } }),
    );
    await expect(pipeline.complete({ messages: [{ role: 'user', content: 'Hi!' }] })).rejects.toThrow(
      'prompt greeter/4 needs the variable "customer"; pass it in the request as llmops.variables',
    );
  });

  it('redacts personal data before the model sees it', async () => {
    server.reply('/v1/chat/completions', { kind: 'json', body: completionBody('Noted.') });
    const pipeline = await factory().create(openAiModel({}));
    await pipeline.complete({ messages: [{ role: 'user', content: 'My card 4111 1111 1111 1111 was charged twice' }] });
    const body = server.requestsTo('/v1/chat/completions')[0]?.body as { messages: Array<{ content: string }> };
    expect(body.messages[0]?.content).toBe('My card [REDACTED_PAYMENT_CARD] was charged twice');
  });

  it('blocks a harmful answer (error) or replaces it with the refusal (refuse)', async () => {
    server.reply('/v1/chat/completions', {
      kind: 'json',
      body: completionBody('Sure. To make a pipe bomb you need a steel pipe and powder.'),
    });
    await expect(
      (await factory().create(openAiModel({}))).complete({ messages: [{ role: 'user', content: 'Tell me a story' }] }),
    ).rejects.toThrow(
      'the answer was blocked by guardrail policy "default": the output check "harmful" found dangerous',
    );
    const { completion, trace } = await (
      await factory().create(openAiModel({ guardrails: 'polite' }))
    ).complete({ messages: [{ role: 'user', content: 'Tell me a story' }] });
    expect(completion.choices[0]?.message.content).toBe('Sorry, I cannot help with that.');
    expect(trace.usage?.total_tokens).toBe(150);
    expect(trace.blocked).toEqual({ policy: 'polite', stage: 'output', check: 'harmful', categories: ['dangerous'] });
  });

  it('stops a stream mid-way with guardrail_blocked after sending only checked text', async () => {
    const answer =
      'Our kettles come with a two-year warranty on the heating element and thermostat, and descaling every month keeps them quiet. ' +
      'Register your kettle online to extend the warranty by a year and to receive reminders. ' +
      'Now, to make a pipe bomb you need a steel pipe, end caps and powder packed tightly.';
    server.reply('/v1/chat/completions', { kind: 'sse', events: streamEvents(answer) });
    const stream = await (
      await factory().create(openAiModel({}))
    ).stream({ messages: [{ role: 'user', content: 'Tell me about kettles' }] });
    const { chunks, error } = await collect(stream);
    expect(LlmopsError.isInstance(error) && error.code).toBe('guardrail_blocked');
    expect(text(chunks).length).toBeGreaterThan(0);
    expect(answer.startsWith(text(chunks))).toBe(true);
    expect(text(chunks)).not.toContain('pipe bomb');
    expect(chunks.every((chunk) => chunk.choices.every((choice) => choice.finish_reason === null))).toBe(true);
    const trace = await stream.trace;
    expect([trace.completed, trace.finishReason, trace.blocked?.check]).toEqual([false, 'content_filter', 'harmful']);
  });

  it('blocks a paraphrased harmful answer the lexicon has no words for, naming the classifier rule and its score', async () => {
    const answer = '¡Claro! Para fabricar explosivos en casa mezcla el fertilizante con gasóleo y ciérralo bien.';
    server.reply('/v1/chat/completions', { kind: 'json', body: completionBody(answer) });
    const lexiconOnly = new GuardrailPolicies({
      default: guardrailPolicySchema.parse({ output: { harmful: { classifier: { enabled: false } } } }),
    });
    const passed = await (
      await factory({ guardrails: lexiconOnly }).create(openAiModel({}))
    ).complete({ messages: [{ role: 'user', content: 'Cuéntame algo' }] });
    expect(passed.completion.choices[0]?.message.content).toBe(answer);
    server.reply('/v1/chat/completions', { kind: 'json', body: completionBody(answer) });
    const error = await (
      await factory().create(openAiModel({}))
    )
      .complete({ messages: [{ role: 'user', content: 'Cuéntame algo' }] })
      .catch((thrown: unknown) => thrown);
    expect(LlmopsError.isInstance(error) && error.code).toBe('guardrail_blocked');
    const details = LlmopsError.isInstance(error)
      ? (error.details as { check: string; categories: string[] })
      : undefined;
    expect(details).toMatchObject({ check: 'harmful', categories: ['dangerous'] });
  });

  it('flags a question in a language the local classifiers do not cover, in llmops.guardrails and the trace', async () => {
    server.reply('/v1/chat/completions', { kind: 'json', body: completionBody('Dat kan via het menu Bestand.') });
    const pipeline = await factory().create(openAiModel({}));
    const { completion, trace } = await pipeline.complete({
      messages: [{ role: 'user', content: 'Hoe kan ik mijn notities exporteren naar een bestand op mijn computer?' }],
    });
    expect(completion.llmops.guardrails).toEqual({ uncovered_language: { language: 'nld', action: 'flag' } });
    const verdict = trace.guardrails.find((entry) => entry.check === 'language');
    expect(verdict).toMatchObject({
      outcome: 'flagged',
      findings: [{ category: 'uncovered_language', rule: 'language.nld' }],
    });
    server.reply('/v1/chat/completions', { kind: 'json', body: completionBody('Use File, Export.') });
    const english = await pipeline.complete({
      messages: [{ role: 'user', content: 'How can I export my notes to a file on my computer?' }],
    });
    expect(english.completion.llmops.guardrails).toBeUndefined();
  });

  it('answers an upstream failure before the stream starts with an error, not a broken stream', async () => {
    server.reply('/v1/chat/completions', {
      kind: 'json',
      status: 401,
      body: {
        error: {
          message: 'Incorrect API key provided',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      },
    });
    const error = await (
      await factory().create(openAiModel({}))
    )
      .stream({ messages: [{ role: 'user', content: 'hi' }] })
      .catch((thrown: unknown) => thrown);
    expect(LlmopsError.isInstance(error) && error.code).toBe('unauthorized');
  });
});

describe('PipelineFactory and ServingService', () => {
  it('refuses unknown guardrail policies, naming them', async () => {
    await expect(factory().create({ ...ragModel, guardrails: 'nope' })).rejects.toThrow(
      'guardrail policy "nope" is not defined; known policies: default, polite',
    );
  });

  it('builds one pipeline per version, follows alias moves, and does not keep failed builds', async () => {
    let builds = 0;
    const inner = factory();
    const resolver = new InMemoryModelResolver()
      .add(ragModel, { aliases: ['champion'] })
      .add({ ...ragModel, version: 3 }, { aliases: ['challenger'] })
      .add({
        ...ragModel,
        version: 4,
        pipeline: { ...ragModel.pipeline, corpus: 'missing' } as ServableModel['pipeline'],
      });
    const service = new ServingService({
      resolver,
      factory: { create: async (model) => ((builds += 1), inner.create(model)) },
    });
    const [first, second] = await Promise.all([
      service.pipeline('support-bot@champion'),
      service.pipeline('support-bot/2'),
    ]);
    expect(first).toBe(second);
    expect(builds).toBe(1);
    resolver.setAlias('support-bot', 'champion', 3);
    expect((await service.pipeline('support-bot@champion')).model.version).toBe(3);
    expect(await service.pipeline('support-bot@challenger')).toBe(await service.pipeline('support-bot@champion'));
    await expect(service.pipeline('support-bot')).rejects.toThrow(/corpus missing/);
    await expect(service.pipeline('support-bot/4')).rejects.toThrow(/corpus missing/);
    expect(builds).toBe(4);
    await expect(service.pipeline('support-bot@nope')).rejects.toThrow('model "support-bot" has no alias "nope"');
    await expect(service.pipeline('ghost')).rejects.toThrow('model "ghost" is not registered');
  });

  it('lists models with their aliases', async () => {
    const resolver = new InMemoryModelResolver()
      .add(ragModel, { aliases: ['champion'], createdAt: 1_700_000_000_000 })
      .add({ ...ragModel, version: 3 });
    const service = new ServingService({ resolver, factory: factory() });
    expect(await service.listModels()).toEqual([
      { name: 'support-bot', latestVersion: 3, aliases: { champion: 2 }, createdAt: 1_700_000_000_000 },
    ]);
  });
});

describe('message assembly seen by the offline model', () => {
  it('puts the numbered context in the system message and keeps the question last', async () => {
    const pipeline = await factory().create(ragModel);
    const { completion } = await pipeline.complete({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'How can I reset my password?' },
      ],
    });
    expect(contentText(completion.choices[0]?.message.content ?? '')).toContain('[1]');
    expect(completion.llmops.citations[0]?.source).toBe('accounts.txt');
  });
});
