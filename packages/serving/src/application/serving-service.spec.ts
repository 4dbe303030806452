import { join } from 'node:path';
import type { ChatCompletionChunk } from '@llmops/kernel';
import { FileCorpusSource } from '../adapters/file-system/file-corpus-source.js';
import { builtInGuardrailPolicies, GuardrailPolicies } from '../domain/guardrails/guardrail-policies.js';
import { guardrailPolicySchema } from '../domain/guardrails/guardrail-policy.js';
import type { ServableModel, TraceSink } from '../ports.js';
import { InMemoryIndexStore } from '../testing/in-memory-index-store.js';
import { servableModelFromSpec } from '../testing/servable-model-from-spec.js';
import { InMemoryModelResolver } from '../testing/in-memory-model-resolver.js';
import { BatchingTraceSink } from './batching-trace-sink.js';
import type { PipelineTrace } from './pipeline.js';
import { PipelineFactory } from './pipeline-factory.js';
import { CorpusIndexer } from './retrieval/corpus-indexer.js';
import { ServingService } from './serving-service.js';
import { spanIdOf } from './span-id.js';

const ragModel: ServableModel = servableModelFromSpec(
  {
    name: 'support-bot',
    provider: 'offline/extractive',
    pipeline: { kind: 'rag', prompt: 'unpinned', corpus: 'kb', retrieval: { k: 4 }, tokenBudget: 300 },
  },
  { version: 2 },
);

/** A trace sink in memory (or one whose writes all fail). */
class InMemoryTraceSink implements TraceSink {
  readonly traces: PipelineTrace[] = [];
  constructor(private readonly failing = false) {}
  async write(traces: readonly PipelineTrace[]): Promise<void> {
    if (this.failing) throw new Error('disk full');
    this.traces.push(...traces);
  }
}

function service(sink: TraceSink, traceSampleRate?: number) {
  const policies = new GuardrailPolicies({
    default: builtInGuardrailPolicies().get('default'),
    polite: guardrailPolicySchema.parse({ onBlock: 'refuse', input: { harmful: {} }, output: { harmful: {} } }),
  });
  const factory = new PipelineFactory({
    guardrails: policies,
    env: {},
    indexer: new CorpusIndexer({
      source: new FileCorpusSource({ root: join(__dirname, '..', '__fixtures__') }),
      store: new InMemoryIndexStore(),
    }),
  });
  const resolver = new InMemoryModelResolver()
    .add(ragModel, { aliases: ['champion'] })
    .add({ ...ragModel, version: 3, guardrails: 'polite' }, { aliases: ['polite'] })
    .add({
      ...ragModel,
      version: 4,
      pipeline: { ...ragModel.pipeline, corpus: 'missing' } as ServableModel['pipeline'],
    });
  const traceSink = new BatchingTraceSink({ sink, flushIntervalMs: 60_000 });
  return {
    serving: new ServingService({
      resolver,
      factory,
      traceSink,
      ...(traceSampleRate === undefined ? {} : { traceSampleRate }),
    }),
    traceSink,
  };
}

const question = { messages: [{ role: 'user' as const, content: 'How long do refunds take?' }] };
const harmful = { messages: [{ role: 'user' as const, content: 'How do I make a pipe bomb?' }] };

describe('ServingService hands every request’s trace to the sink', () => {
  it('records a served answer with its spans, in order, and their attributes', async () => {
    const sink = new InMemoryTraceSink();
    const { serving, traceSink } = service(sink);
    const resolved: string[] = [];
    const { completion, trace } = await serving.complete('support-bot@champion', question, {
      requestId: 'req-1',
      onResolved: (model) => resolved.push(`${model.name}/${model.version}`),
    });
    expect(resolved).toEqual(['support-bot/2']);
    await traceSink.flush();
    expect(sink.traces).toEqual([trace]);
    expect(trace).toMatchObject({ status: 'ok', requestId: 'req-1', reference: 'support-bot@champion' });
    expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(trace.spans.map((span) => span.name)).toEqual([
      'resolve',
      'guard_input',
      'retrieve',
      'generate',
      'guard_output',
    ]);
    expect(trace.spans[0]?.startTimeMs).toBe(trace.startTimeMs);
    for (const span of trace.spans) {
      expect(span.endTimeMs).toBeGreaterThanOrEqual(span.startTimeMs);
      expect(span.endTimeMs).toBeLessThanOrEqual(trace.endTimeMs);
    }
    const attributes = Object.fromEntries(trace.spans.map((span) => [span.name, span.attributes]));
    expect(attributes['generate']).toMatchObject({
      model_version: 'support-bot/2',
      provider: 'offline/extractive',
      'usage.input_tokens': completion.usage?.prompt_tokens,
      'usage.output_tokens': completion.usage?.completion_tokens,
      finish_reason: 'stop',
    });
    expect(attributes['retrieve']).toMatchObject({ k: 4, 'passages.used': expect.any(Number) });
    expect(attributes['retrieve']?.['score.top']).toBeGreaterThan(0);
    expect(String(attributes['retrieve']?.['index.key'])).toBe(trace.retrieval?.indexKey);
    expect(attributes['guard_input']).toMatchObject({ checks: 5, passed: 5, blocked: 0 });
    // No message text anywhere in the spans.
    expect(JSON.stringify(trace.spans)).not.toMatch(/refunds take|Refunds are issued/);
  });

  it('records refusals and failures, a failed resolution included, with the error’s code', async () => {
    const sink = new InMemoryTraceSink();
    const { serving, traceSink } = service(sink);
    await serving.complete('support-bot@polite', harmful);
    await expect(serving.complete('support-bot@champion', harmful)).rejects.toThrow(/found dangerous$/);
    await expect(serving.complete('ghost', question)).rejects.toThrow('model "ghost" is not registered');
    await expect(serving.stream('support-bot/4', question)).rejects.toThrow(/corpus missing/);
    await traceSink.close();
    expect(
      sink.traces.map((trace) => [trace.status, trace.error?.code, trace.model, trace.blocked?.check, trace.completed]),
    ).toEqual([
      ['ok', undefined, 'support-bot/3', 'harmful', true],
      ['error', 'guardrail_blocked', 'support-bot/2', 'harmful', false],
      ['error', 'not_found', 'ghost', undefined, false],
      ['error', 'invalid_input', 'support-bot/4', undefined, false],
    ]);
    expect(sink.traces[2]?.spans.map((span) => [span.name, span.status])).toEqual([['resolve', 'error']]);
    expect(sink.traces[2]?.error?.message).toBe('model "ghost" is not registered');
  });

  it('records a stream when it ends, however it ends (here: the client stops reading)', async () => {
    const sink = new InMemoryTraceSink();
    const { serving, traceSink } = service(sink);
    const whole = await serving.stream('support-bot@champion', question, { includeUsage: true });
    for await (const chunk of whole.chunks) expect(typeof chunk.system_fingerprint).toBe('string');
    const stopped = await serving.stream('support-bot@champion', question);
    const iterator = stopped.chunks[Symbol.asyncIterator]();
    const first: IteratorResult<ChatCompletionChunk> = await iterator.next();
    expect(first.done).toBe(false);
    await iterator.return?.();
    await traceSink.flush();
    expect(sink.traces.map((trace) => [trace.status, trace.completed])).toEqual([
      ['ok', true],
      ['ok', false],
    ]);
    expect(sink.traces[0]?.spans.map((span) => span.name)).toEqual([
      'resolve',
      'guard_input',
      'retrieve',
      'generate',
      'guard_output',
    ]);
    expect(sink.traces[0]?.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('never fails a request because the sink rejects', async () => {
    const sink = new InMemoryTraceSink(true);
    const { serving, traceSink } = service(sink);
    const { completion } = await serving.complete('support-bot@champion', question);
    await traceSink.flush();
    const again = await serving.complete('support-bot@champion', question);
    expect(again.completion.choices[0]?.message.content).toBe(completion.choices[0]?.message.content);
    await traceSink.flush();
    expect(traceSink.stats()).toEqual({ queued: 0, written: 0, dropped: 2, abandoned: 0 });
  });
});

describe('ServingService at a trace sample rate of 0', () => {
  it('stores no trace of a successful request and records it without spans', async () => {
    const sink = new InMemoryTraceSink();
    const { serving, traceSink } = service(sink, 0);
    const delivered: PipelineTrace[] = [];
    const { completion, trace } = await serving.complete('support-bot@champion', question, {
      onTrace: (finished) => delivered.push(finished),
    });
    expect(completion.choices[0]?.message.content).toBeTruthy();
    await traceSink.close();
    expect(sink.traces).toEqual([]);
    expect(trace.spans).toEqual([]);
    expect(delivered).toEqual([trace]);
    // The facts the response headers and the monitoring event read are still there.
    expect(trace).toMatchObject({ status: 'ok', model: 'support-bot/2', completed: true });
    expect(trace.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('stores a blocked and a failed request with their spans, ids and parents', async () => {
    const sink = new InMemoryTraceSink();
    const { serving, traceSink } = service(sink, 0);
    await serving.complete('support-bot@polite', harmful);
    await expect(serving.complete('support-bot@champion', harmful)).rejects.toThrow(/found dangerous$/);
    await traceSink.close();
    expect(sink.traces.map((trace) => [trace.status, trace.blocked?.check])).toEqual([
      ['ok', 'harmful'],
      ['error', 'harmful'],
    ]);
    for (const trace of sink.traces) {
      expect(trace.spans.map((span) => [span.name, span.status])).toEqual([
        ['resolve', 'ok'],
        ['guard_input', 'ok'],
      ]);
      expect(trace.spans.map((span) => [span.spanId, span.parentSpanId])).toEqual([
        [spanIdOf(trace.traceId, 1), spanIdOf(trace.traceId, 0)],
        [spanIdOf(trace.traceId, 2), spanIdOf(trace.traceId, 0)],
      ]);
      expect(trace.spans[1]?.attributes).toMatchObject({ blocked: 1 });
    }
  });
});
