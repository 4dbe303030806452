import { LlmopsError, systemClock } from '@llmops/kernel';
import type { CallOptions, ChatCompletion, ChatCompletionChunk, ChatModel, ChatModelRequest } from '@llmops/kernel';
import { builtInGuardrailPolicies } from '../domain/guardrails/guardrail-policies.js';
import { InMemoryModelResolver } from '../testing/in-memory-model-resolver.js';
import { servableModelFromSpec } from '../testing/servable-model-from-spec.js';
import type { PipelineTrace } from './pipeline.js';
import { fallbackStepFactory } from './fallback-step.js';
import { PipelineFactory } from './pipeline-factory.js';
import { ServingService } from './serving-service.js';
import type { ServingStepFactory } from './serving-step.js';

/** A scripted upstream: answers `text`, or fails with `error` (before its first chunk, or after `failAfterChunks`). */
class ScriptedModel implements ChatModel {
  readonly provider = 'openai';
  calls = 0;
  constructor(
    readonly modelId: string,
    public script: { text?: string; error?: LlmopsError; failAfterChunks?: number },
  ) {}

  async generate(_request: ChatModelRequest, _options?: CallOptions): Promise<ChatCompletion> {
    this.calls += 1;
    if (this.script.error) throw this.script.error;
    return {
      id: 'up',
      object: 'chat.completion',
      created: 1,
      model: this.modelId,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: this.script.text ?? '' },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
    } as ChatCompletion;
  }

  async *stream(): AsyncIterable<ChatCompletionChunk> {
    this.calls += 1;
    const chunk = (delta: object, finish: string | null = null) =>
      ({
        id: 'up',
        object: 'chat.completion.chunk',
        created: 1,
        model: this.modelId,
        choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
      }) as ChatCompletionChunk;
    if (this.script.error && this.script.failAfterChunks === undefined) throw this.script.error;
    const words = (this.script.text ?? '').split(' ');
    for (const [index, word] of words.entries()) {
      if (this.script.error && index === this.script.failAfterChunks) throw this.script.error;
      yield chunk({ content: index === 0 ? word : ` ${word}` });
    }
    yield chunk({}, 'stop');
  }
}

const overloaded = () => new LlmopsError('upstream_error', 'primary: the upstream failed (503): overloaded');

function setup(
  specs: Array<{ name: string; version?: number; model: string; fallbacks?: string[] }>,
  steps: readonly ServingStepFactory[] = [],
) {
  const models = new Map<string, ScriptedModel>();
  const resolver = new InMemoryModelResolver();
  for (const spec of specs) {
    models.set(spec.model, new ScriptedModel(spec.model, { text: `answer from ${spec.model}` }));
    resolver.add(
      servableModelFromSpec(
        {
          name: spec.name,
          provider: `openai/${spec.model}`,
          pipeline: { kind: 'chat', prompt: 'unpinned' },
          fallbacks: spec.fallbacks ?? [],
        },
        { version: spec.version ?? 1 },
      ),
      { aliases: ['champion'] },
    );
  }
  const factory = new PipelineFactory({
    guardrails: builtInGuardrailPolicies(),
    env: {},
    circuitBreaker: false,
    createChatModel: (spec) => models.get(spec.model) as ScriptedModel,
    steps,
  });
  const traces: PipelineTrace[] = [];
  const serving = new ServingService({ resolver, factory, traceSink: { record: (trace) => traces.push(trace) } });
  const model = (id: string) => models.get(id) as ScriptedModel;
  return { serving, traces, model };
}

const request = { messages: [{ role: 'user' as const, content: 'How fast does the kettle boil?' }] };

async function failure(promise: Promise<unknown>): Promise<LlmopsError> {
  try {
    await promise;
  } catch (error) {
    return LlmopsError.fromUnknown(error);
  }
  throw new Error('expected a failure');
}

describe('the fallbacks step', () => {
  it('answers with the first fallback when the version fails with a retryable error, and says so', async () => {
    const { serving, model } = setup([
      { name: 'writer', model: 'big', fallbacks: ['writer-lite@champion'] },
      { name: 'writer-lite', version: 4, model: 'small' },
    ]);
    model('big').script = { error: overloaded() };
    const { completion, trace } = await serving.complete('writer@champion', request);
    expect(completion.choices[0]?.message.content).toBe('answer from small');
    expect(completion.model).toBe('writer-lite/4');
    expect(completion.llmops.model_version).toBe('writer-lite/4');
    expect(completion.llmops.fallback).toEqual({ from: 'writer/1', to: 'writer-lite/4', reason: 'upstream_error' });
    expect(trace.model).toBe('writer-lite/4');
    expect(trace.fallback).toEqual({
      from: 'writer/1',
      to: 'writer-lite/4',
      reason: 'upstream_error',
      tried: ['writer/1', 'writer-lite/4'],
    });
    const attempts = trace.spans.filter((span) => span.name === 'attempt');
    expect(attempts.map((span) => [span.status, span.attributes['model_version'], span.attributes['outcome']])).toEqual(
      [
        ['error', 'writer/1', 'failed'],
        ['ok', 'writer-lite/4', 'answered'],
      ],
    );
    expect(attempts[1]?.attributes['reference']).toBe('writer-lite@champion');
    expect(trace.spans.filter((span) => span.name === 'generate').map((span) => span.status)).toEqual(['error', 'ok']);
  });

  it('does not fall back on an error of the request itself (400, 401)', async () => {
    const { serving, model } = setup([
      { name: 'writer', model: 'big', fallbacks: ['writer-lite'] },
      { name: 'writer-lite', model: 'small' },
    ]);
    for (const error of [
      new LlmopsError('invalid_input', 'rejected (400)'),
      new LlmopsError('unauthorized', 'bad key (401)'),
    ]) {
      model('big').script = { error };
      expect((await failure(serving.complete('writer', request))).code).toBe(error.code);
    }
    expect(model('small').calls).toBe(0);
  });

  it('follows the chain in order, a fallback’s own fallbacks first, and throws the first failure when none answers', async () => {
    const { serving, model, traces } = setup([
      { name: 'a', model: 'a', fallbacks: ['b', 'missing', 'c'] },
      { name: 'b', model: 'b', fallbacks: ['d'] },
      { name: 'c', model: 'c' },
      { name: 'd', model: 'd' },
    ]);
    for (const id of ['a', 'b', 'd']) model(id).script = { error: overloaded() };
    model('c').script = { error: new LlmopsError('timeout', 'c timed out') };
    const error = await failure(serving.complete('a', request));
    expect(error.code).toBe('upstream_error');
    expect(error.message).toContain('primary: the upstream failed (503)');
    expect(error.message).toContain(
      'fallbacks tried, none answered: b/1 upstream_error, missing not_found, c/1 timeout',
    );
    const trace = traces.at(-1) as PipelineTrace;
    expect(trace.model).toBe('a/1');
    expect(trace.fallback?.tried).toEqual(['a/1', 'b/1', 'd/1', 'c/1']);
    expect(trace.fallback?.to).toBeUndefined();
    model('c').script = { text: 'c answers' };
    const answered = await serving.complete('a', request);
    expect(answered.completion.llmops.fallback).toEqual({ from: 'a/1', to: 'c/1', reason: 'upstream_error' });
  });

  it('reports the deepest version that answered (a fallback’s own fallback)', async () => {
    const { serving, model } = setup([
      { name: 'a', model: 'a', fallbacks: ['b'] },
      { name: 'b', model: 'b', fallbacks: ['d'] },
      { name: 'd', model: 'd' },
    ]);
    model('a').script = { error: overloaded() };
    model('b').script = { error: new LlmopsError('rate_limited', 'b: 429') };
    const { completion } = await serving.complete('a', request);
    expect(completion.llmops.fallback).toEqual({ from: 'a/1', to: 'd/1', reason: 'upstream_error' });
    expect(completion.choices[0]?.message.content).toBe('answer from d');
  });

  it('refuses a version whose fallback chain leads back to itself, naming the cycle', async () => {
    const { serving, model } = setup([
      { name: 'a', model: 'a', fallbacks: ['b@champion'] },
      { name: 'b', model: 'b', fallbacks: ['a@champion'] },
    ]);
    const error = await failure(serving.complete('a', request));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('model a/1: its fallback chain a/1 -> b/1 (b@champion) -> a/1 (a@champion)');
    expect(model('a').calls).toBe(0);
    const self = setup([{ name: 'x', model: 'x', fallbacks: ['x@champion'] }]);
    expect((await failure(self.serving.complete('x', request))).message).toContain('x/1 -> x/1 (x@champion)');
  });

  it('streams the fallback’s answer when the version fails before its first chunk', async () => {
    const { serving, model } = setup([
      { name: 'writer', model: 'big', fallbacks: ['writer-lite'] },
      { name: 'writer-lite', version: 2, model: 'small' },
    ]);
    model('big').script = { error: overloaded() };
    const stream = await serving.stream('writer', request);
    expect(stream.model).toBe('writer-lite/2');
    expect(stream.fallback).toEqual({ from: 'writer/1', to: 'writer-lite/2', reason: 'upstream_error' });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream.chunks) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('answer from small');
    expect(new Set(chunks.map((chunk) => chunk.model))).toEqual(new Set(['writer-lite/2']));
    const finishing = chunks.find((chunk) => chunk.choices[0]?.finish_reason) as unknown as { llmops: object };
    expect(finishing.llmops).toMatchObject({ model_version: 'writer-lite/2', fallback: { to: 'writer-lite/2' } });
    expect((await stream.trace).fallback?.to).toBe('writer-lite/2');
  });

  it('never hands over a stream that started: a failure midway is thrown from the chunks', async () => {
    const { serving, model } = setup([
      { name: 'writer', model: 'big', fallbacks: ['writer-lite'] },
      { name: 'writer-lite', model: 'small' },
    ]);
    model('big').script = { text: 'one two three four', error: overloaded(), failAfterChunks: 2 };
    const stream = await serving.stream('writer', request);
    const received: string[] = [];
    const error = await failure(
      (async () => {
        for await (const chunk of stream.chunks) received.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    );
    expect(error.code).toBe('upstream_error');
    expect(model('small').calls).toBe(0);
    expect((await stream.trace).fallback).toBeUndefined();
  });

  it('does not fall back when the caller is gone', async () => {
    const { serving, model } = setup([
      { name: 'writer', model: 'big', fallbacks: ['writer-lite'] },
      { name: 'writer-lite', model: 'small' },
    ]);
    const controller = new AbortController();
    controller.abort();
    model('big').script = { error: new LlmopsError('unavailable', 'aborted') };
    expect((await failure(serving.complete('writer', request, { signal: controller.signal }))).code).toBe(
      'unavailable',
    );
    expect(model('small').calls).toBe(0);
  });

  it('keeps the slot of a version without fallbacks, wrapping nothing', async () => {
    const targets = {
      resolve: () => Promise.reject(new Error('not asked')),
      target: () => Promise.reject(new Error('not asked')),
    };
    const { serving } = setup([{ name: 'writer-lite', model: 'small' }]);
    const { model } = await serving.pipeline('writer-lite');
    const step = await fallbackStepFactory().create({ model, clock: systemClock, fallbacks: targets });
    expect(step).toEqual({ name: 'fallbacks' });
  });

  it('runs the steps inside the slot of a version without fallbacks when it stands in for another', async () => {
    const stepCalls: string[] = [];
    const counting: ServingStepFactory = {
      name: 'counting',
      create: ({ model }) => ({
        name: 'counting',
        wrapComplete: (call) => {
          stepCalls.push(`${model.name}/${model.version}`);
          return call.next();
        },
      }),
    };
    const { serving, model } = setup(
      [
        { name: 'writer', model: 'big', fallbacks: ['writer-lite'] },
        { name: 'writer-lite', version: 2, model: 'small' },
      ],
      [counting],
    );
    model('big').script = { error: overloaded() };
    const { completion } = await serving.complete('writer', request);
    expect(completion.model).toBe('writer-lite/2');
    expect(stepCalls).toEqual(['writer/1', 'writer-lite/2']);
  });
});
