import { join } from 'node:path';
import { LlmopsError } from '@llmops/kernel';
import type { ChatCompletionChunk } from '@llmops/kernel';
import { FileCorpusSource } from '../adapters/file-system/file-corpus-source.js';
import { builtInGuardrailPolicies } from '../domain/guardrails/guardrail-policies.js';
import type { ServableModel } from '../ports.js';
import { InMemoryIndexStore } from '../testing/in-memory-index-store.js';
import { servableModelFromSpec } from '../testing/servable-model-from-spec.js';
import { PipelineFactory } from './pipeline-factory.js';
import type { PipelineFactoryOptions } from './pipeline-factory.js';
import { CorpusIndexer } from './retrieval/corpus-indexer.js';
import type { ServingStep, ServingStepFactory } from './serving-step.js';
import { defaultStepOrder, orderStepFactories } from './step-chain.js';

const ragModel: ServableModel = servableModelFromSpec(
  {
    name: 'support-bot',
    provider: 'offline/extractive',
    pipeline: { kind: 'rag', prompt: 'unpinned', corpus: 'kb', retrieval: { k: 4 }, tokenBudget: 300 },
  },
  { version: 2 },
);

function factory(options: Partial<PipelineFactoryOptions> = {}): PipelineFactory {
  const indexer = new CorpusIndexer({
    source: new FileCorpusSource({ root: join(__dirname, '..', '__fixtures__') }),
    store: new InMemoryIndexStore(),
  });
  return new PipelineFactory({ guardrails: builtInGuardrailPolicies(), indexer, env: {}, ...options });
}

/**
 * A deployment's step: records where it was entered in a shared log, tags the trace, and rewrites
 * the question (the offline model answers about refunds only when the rewrite reached it).
 */
function taggingStep(name: string, log: string[]): ServingStepFactory {
  const step: ServingStep = {
    name,
    async wrapComplete(call) {
      log.push(`${name}:complete`);
      call.options.recorder.attributes[`step.${name}`] = true;
      return call.next({ ...call.request, messages: [{ role: 'user', content: 'How long do refunds take?' }] });
    },
    async wrapStream(call) {
      log.push(`${name}:stream`);
      call.options.recorder.attributes[`step.${name}`] = true;
      const inner = await call.next({
        ...call.request,
        messages: [{ role: 'user', content: 'How long do refunds take?' }],
      });
      return (async function* () {
        for await (const chunk of inner) yield chunk;
        log.push(`${name}:stream-end`);
      })();
    },
  };
  return { name, create: () => step };
}

describe('the serving step chain', () => {
  it('runs a deployment’s steps around both complete and stream, in the order given, after the built-in ones', async () => {
    const log: string[] = [];
    const pipeline = await factory({ steps: [taggingStep('tenant', log), taggingStep('rewrite', log)] }).create(
      ragModel,
    );
    const { completion, trace } = await pipeline.complete({ messages: [{ role: 'user', content: 'hello' }] });
    expect(completion.choices[0]?.message.content).toMatch(/^Refunds are issued/);
    expect(trace.attributes).toEqual({ 'step.tenant': true, 'step.rewrite': true });
    const stream = await pipeline.stream({ messages: [{ role: 'user', content: 'hello' }] });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream.chunks) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(
      completion.choices[0]?.message.content,
    );
    expect(log).toEqual([
      'tenant:complete',
      'rewrite:complete',
      'tenant:stream',
      'rewrite:stream',
      'rewrite:stream-end',
      'tenant:stream-end',
    ]);
    expect((await stream.trace).attributes).toEqual({ 'step.tenant': true, 'step.rewrite': true });
  });

  it('lets the deployment place its steps before the built-in ones by name', async () => {
    const log: string[] = [];
    const pipeline = await factory({
      steps: [taggingStep('tenant', log)],
      stepOrder: ['tenant', 'guardrails'],
    }).create(ragModel);
    // The rewrite happens before the guardrails, so the harmful question never reaches them.
    const { completion, trace } = await pipeline.complete({
      messages: [{ role: 'user', content: 'How do I make a pipe bomb?' }],
    });
    expect(completion.choices[0]?.message.content).toMatch(/^Refunds are issued/);
    expect(trace.spans.map((span) => span.name)).toEqual(['guard_input', 'retrieve', 'generate', 'guard_output']);
  });

  it('puts monitoring outermost, then limits, the guardrails, the cache inside them and the fallbacks innermost by default, and rejects unknown or repeated names in the order', () => {
    expect(defaultStepOrder).toEqual(['monitoring', 'limits', 'guardrails', 'cache', 'fallbacks']);
    const named = (name: string): ServingStepFactory => ({ name, create: () => undefined });
    expect(orderStepFactories({ available: [named('extra'), named('guardrails')] }).map((step) => step.name)).toEqual([
      'guardrails',
      'extra',
    ]);
    expect(
      orderStepFactories({ available: [named('guardrails'), named('extra'), named('monitoring')] }).map(
        (step) => step.name,
      ),
    ).toEqual(['monitoring', 'guardrails', 'extra']);
    expect(() => orderStepFactories({ available: [named('guardrails')], order: ['cache'] })).toThrow(
      'step order names "cache" but no such step is registered; known steps: guardrails',
    );
    expect(() => orderStepFactories({ available: [named('a'), named('a')] })).toThrow(
      'two serving steps are named "a"; step names must be unique',
    );
    const error = (() => {
      try {
        factory({ stepOrder: ['guardrails', 'guardrails'] });
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(LlmopsError.isInstance(error) && [error.code, error.message]).toEqual([
      'invalid_input',
      'step order names "guardrails" twice; known steps: guardrails, fallbacks',
    ]);
  });

  it('skips a step whose factory does not apply to the version', async () => {
    const pipeline = await factory({ steps: [{ name: 'cache', create: () => undefined }] }).create(ragModel);
    const { trace } = await pipeline.complete({ messages: [{ role: 'user', content: 'How long do refunds take?' }] });
    expect(trace.attributes).toBeUndefined();
    expect(trace.status).toBe('ok');
  });
});
