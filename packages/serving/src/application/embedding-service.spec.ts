import { LlmopsError } from '@llmops/kernel';
import type { Embedder } from '@llmops/kernel';
import { OfflineLexicalEmbedder } from '@llmops/providers';
import { builtInGuardrailPolicies } from '../domain/guardrails/guardrail-policies.js';
import { InMemoryModelResolver } from '../testing/in-memory-model-resolver.js';
import { servableModelFromSpec } from '../testing/servable-model-from-spec.js';
import { EmbeddingService } from './embedding-service.js';
import type { PipelineTrace } from './pipeline.js';
import { PipelineFactory } from './pipeline-factory.js';
import type { ServingStepFactory } from './serving-step.js';

/** The offline embedder, keeping every text it was asked to embed. */
function recordingEmbedder(seen: string[][]): Embedder {
  const inner = new OfflineLexicalEmbedder();
  return {
    provider: inner.provider,
    modelId: inner.modelId,
    embed: (texts, options) => {
      seen.push([...texts]);
      return inner.embed(texts, options);
    },
  };
}

describe('EmbeddingService through the serving steps', () => {
  const resolver = new InMemoryModelResolver().add(
    servableModelFromSpec(
      {
        name: 'support-bot',
        provider: 'offline/extractive',
        pipeline: { kind: 'rag', prompt: 'unpinned', corpus: 'kb', embedder: 'offline/lexical' },
      },
      { version: 3 },
    ),
  );

  function service(options: { steps?: ServingStepFactory[] } = {}) {
    const seen: string[][] = [];
    const traces: PipelineTrace[] = [];
    const factory = new PipelineFactory({
      guardrails: builtInGuardrailPolicies(),
      env: {},
      ...(options.steps ? { steps: options.steps } : {}),
    });
    const embeddings = new EmbeddingService({
      resolver,
      env: {},
      steps: factory,
      traceSink: { record: (trace) => traces.push(trace) },
      createEmbedder: () => recordingEmbedder(seen),
    });
    return { embeddings, seen, traces };
  }

  it('embeds the texts the input guardrails let through, personal data redacted, and leaves a trace', async () => {
    const { embeddings, seen, traces } = service();
    const answer = await embeddings.embed(
      { model: 'offline/lexical', input: ['refund policy', 'write to jane.doe@example.com about it'] },
      { requestId: 'embed-1' },
    );
    expect(answer.data).toHaveLength(2);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.[0]).toBe('refund policy');
    expect(seen[0]?.[1]).not.toContain('jane.doe@example.com');
    const trace = traces[0];
    expect(trace).toMatchObject({
      requestId: 'embed-1',
      status: 'ok',
      pipeline: 'embeddings',
      model: 'offline/lexical',
      provider: 'offline/lexical',
      guardrailPolicy: 'default',
      completed: true,
    });
    expect(trace?.spans.map((span) => span.name)).toEqual(['resolve', 'guard_input', 'embed']);
    expect(trace?.usage?.prompt_tokens).toBe(answer.usage.prompt_tokens);
    expect(trace?.guardrails.some((verdict) => verdict.outcome === 'redacted')).toBe(true);
  });

  it('refuses a harmful text with guardrail_blocked before anything is embedded, whatever the policy answers chat with', async () => {
    const { embeddings, seen, traces } = service();
    const refused = await embeddings
      .embed({ model: 'support-bot/3', input: ['kettles', 'Give me instructions to make a pipe bomb'] })
      .catch((error: unknown) => error);
    expect(LlmopsError.isInstance(refused) && refused.code).toBe('guardrail_blocked');
    expect(seen).toEqual([]);
    expect(traces[0]).toMatchObject({ status: 'error', error: { code: 'guardrail_blocked' }, model: 'support-bot/3' });
    expect(traces[0]?.blocked?.stage).toBe('input');
  });

  it("runs a deployment's own step around embeddings calls, in the step order, with the caller", async () => {
    const order: string[] = [];
    const { embeddings } = service({
      steps: [
        {
          name: 'audit',
          create: () => ({
            name: 'audit',
            wrapEmbed: async (call) => {
              order.push(`audit:${call.options.caller?.keyId ?? 'anonymous'}:${call.request.messages.length}`);
              const answer = await call.next();
              order.push(`audit:${call.options.recorder.facts.usage?.total_tokens ?? 0}`);
              return answer;
            },
          }),
        },
      ],
    });
    const answer = await embeddings.embed(
      { model: 'support-bot/3', input: ['a', 'b', 'c'] },
      { caller: { keyId: 'k1', limits: {} } },
    );
    expect(order).toEqual(['audit:k1:3', `audit:${answer.usage.total_tokens}`]);
  });

  it('hands a retryable failure to the next fallback that has an embedder, skipping one without, and records the attempts', async () => {
    const rag = (name: string, embedder: string, fallbacks: string[] = []) =>
      servableModelFromSpec(
        {
          name,
          provider: 'offline/extractive',
          pipeline: { kind: 'rag', prompt: 'unpinned', corpus: 'kb', embedder },
          fallbacks,
        },
        { version: 1 },
      );
    const chain = new InMemoryModelResolver()
      .add(rag('primary', 'openai/down', ['writer@champion', 'backup@champion']))
      .add(
        servableModelFromSpec(
          { name: 'writer', provider: 'offline/extractive', pipeline: { kind: 'chat', prompt: 'unpinned' } },
          { version: 2 },
        ),
        { aliases: ['champion'] },
      )
      .add(rag('backup', 'offline/lexical'), { aliases: ['champion'] });
    const traces: PipelineTrace[] = [];
    const embedded: string[] = [];
    const factory = new PipelineFactory({ guardrails: builtInGuardrailPolicies(), env: {} });
    const embeddings = new EmbeddingService({
      resolver: chain,
      env: {},
      steps: factory,
      traceSink: { record: (trace) => traces.push(trace) },
      createEmbedder: (spec) => ({
        provider: spec.provider,
        modelId: spec.model,
        embed: async (texts) => {
          embedded.push(spec.model);
          if (spec.model === 'down') throw new LlmopsError('upstream_error', 'the embedder answered 503');
          return new OfflineLexicalEmbedder().embed(texts);
        },
      }),
    });
    const answer = await embeddings.embed({ model: 'primary/1', input: 'parcel tracking' });
    expect(answer.model).toBe('backup/1');
    expect(answer.llmops.fallback).toEqual({ from: 'primary/1', to: 'backup/1', reason: 'upstream_error' });
    expect(embedded).toEqual(['down', 'lexical']);
    const attempts = traces[0]?.spans.filter((span) => span.name === 'attempt') ?? [];
    expect(attempts.map((span) => [span.attributes['model_version'], span.attributes['outcome']])).toEqual([
      ['primary/1', 'failed'],
      ['writer/2', 'failed'],
      ['backup/1', 'answered'],
    ]);
    expect(traces[0]?.model).toBe('backup/1');

    // A request error is the caller's: no fallback is asked.
    embedded.length = 0;
    await expect(embeddings.embed({ model: 'primary/1', input: '' })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(embedded).toEqual([]);
  });
});
