import { LlmopsError } from '@llmops/kernel';
import { requestEvent } from '../../__fixtures__/request-events.js';
import { eventTraceTags } from './event-trace-tags.js';
import { MlflowEventTagWriter } from './mlflow-event-tag-writer.js';

const traceA = '0123456789abcdef0123456789abcdef';
const traceB = 'fedcba9876543210fedcba9876543210';

/** MLflow's traces API in memory: traces that exist get tags; others answer not_found until they "arrive". */
function fakeTraces(existing: string[]) {
  const tags = new Map<string, Record<string, string>>(existing.map((id) => [id, {}]));
  const calls: string[] = [];
  return {
    tags,
    calls,
    arrive: (id: string) => tags.set(id, {}),
    getInfo: async (traceId: string) => {
      calls.push(`${traceId} get`);
      if (!tags.has(traceId)) throw new LlmopsError('not_found', `Trace with ID ${traceId} not found.`);
      return {} as never;
    },
    setTag: async ({ traceId, key, value }: { traceId: string; key: string; value: string }) => {
      calls.push(`${traceId} ${key}`);
      const stored = tags.get(traceId);
      if (!stored) throw new LlmopsError('not_found', `Trace with ID ${traceId} not found.`);
      stored[key] = value;
    },
  };
}

describe('the MLflow trace tags of a request event', () => {
  it('carries status, outcome, latency, tokens, cost, cache, guardrails and the question hash, never its text', () => {
    const tags = eventTraceTags(
      requestEvent({
        question: 'How do I reset my password?',
        cache: 'miss',
        errorCode: 'guardrail_blocked',
        status: 400,
        refused: true,
        latencyMs: 12.6,
        guardrails: [
          { side: 'input', category: 'violence', rule: 'weapons', action: 'block' },
          { side: 'output', category: 'email', action: 'redact' },
        ],
        topic: 'refunds.md',
        citedSources: ['refunds, returns.md', 'shipping.md'],
      }),
    );
    expect(tags).toEqual({
      'llmops.event.status': '400',
      'llmops.event.completed': 'true',
      'llmops.event.refused': 'true',
      'llmops.event.latency_ms': '13',
      'llmops.event.question_hash': 'a'.repeat(64),
      'llmops.event.error_code': 'guardrail_blocked',
      'llmops.event.upstream_latency_ms': '80',
      'llmops.event.input_tokens': '400',
      'llmops.event.output_tokens': '60',
      'llmops.event.cost_usd': '0.0012',
      'llmops.event.cache': 'miss',
      'llmops.event.citations': '2',
      'llmops.event.top_retrieval_score': '0.71',
      'llmops.event.topic': 'refunds.md',
      'llmops.event.guardrails': 'input:violence:block,output:email:redact',
      'llmops.event.cited_sources': '["refunds, returns.md","shipping.md"]',
    });
    expect(Object.values(tags).join(' ')).not.toContain('password');
  });

  it('leaves out what the event does not have', () => {
    const tags = eventTraceTags(
      requestEvent({ costUsd: undefined, inputTokens: undefined, citations: undefined, topRetrievalScore: undefined }),
    );
    expect(Object.keys(tags)).not.toEqual(expect.arrayContaining(['llmops.event.cost_usd']));
    expect(tags['llmops.event.input_tokens']).toBeUndefined();
    expect(tags['llmops.event.guardrails']).toBeUndefined();
    expect(tags['llmops.event.topic']).toBeUndefined();
    expect(tags['llmops.event.cited_sources']).toBeUndefined();
  });
});

describe('appending events to MLflow as trace tags', () => {
  it('tags each event on its trace tr-<traceId>; events without a trace id are skipped', async () => {
    const traces = fakeTraces([`tr-${traceA}`, `tr-${traceB}`]);
    const writer = new MlflowEventTagWriter({ traces, wait: async () => undefined });
    await writer.append([
      requestEvent({ traceId: traceA, latencyMs: 5 }),
      requestEvent({ traceId: traceB, refused: true }),
      requestEvent({ requestId: 'no-trace' }),
    ]);
    expect(traces.tags.get(`tr-${traceA}`)?.['llmops.event.latency_ms']).toBe('5');
    expect(traces.tags.get(`tr-${traceB}`)?.['llmops.event.refused']).toBe('true');
    expect(writer.stats()).toEqual({ tagged: 2, skipped: 1, failed: 0 });
  });

  it('waits for the traces recorded so far to be written before it looks one up, however long that takes', async () => {
    const traces = fakeTraces([]);
    let writeTrace: () => void = () => undefined;
    const writer = new MlflowEventTagWriter({
      traces,
      missingTraceRetries: 0,
      tracesWritten: () =>
        new Promise<void>((resolve) => {
          writeTrace = () => {
            traces.arrive(`tr-${traceA}`);
            resolve();
          };
        }),
      wait: async () => undefined,
    });
    const appended = writer.append([requestEvent({ traceId: traceA })]);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(traces.calls).toEqual([]);
    writeTrace();
    await appended;
    expect(traces.tags.get(`tr-${traceA}`)?.['llmops.event.status']).toBe('200');
    expect(writer.stats()).toEqual({ tagged: 1, skipped: 0, failed: 0 });
  });

  it('does not wait for the traces when no event of the batch has a trace id', async () => {
    const writer = new MlflowEventTagWriter({
      traces: fakeTraces([]),
      tracesWritten: () => new Promise<void>(() => undefined),
    });
    await writer.append([requestEvent({ requestId: 'no-trace' })]);
    expect(writer.stats()).toEqual({ tagged: 0, skipped: 1, failed: 0 });
  });

  it('looks the trace up first, so a missing trace costs one call and no tag', async () => {
    const traces = fakeTraces([]);
    const writer = new MlflowEventTagWriter({ traces, missingTraceRetries: 0, wait: async () => undefined });
    await expect(writer.append([requestEvent({ traceId: traceA })])).rejects.toThrow(
      /MLflow event tags: 1 of 1 not written on their traces/,
    );
    expect(traces.calls).toEqual([`tr-${traceA} get`]);
  });

  it('tries an event again after a wait when its trace arrives after it', async () => {
    const traces = fakeTraces([]);
    const waits: number[] = [];
    const writer = new MlflowEventTagWriter({
      traces,
      missingTraceDelayMs: 250,
      wait: async (ms) => {
        waits.push(ms);
        if (waits.length === 2) traces.arrive(`tr-${traceA}`);
      },
    });
    await writer.append([requestEvent({ traceId: traceA })]);
    expect(waits).toEqual([250, 250]);
    expect(traces.tags.get(`tr-${traceA}`)?.['llmops.event.status']).toBe('200');
    expect(writer.stats()).toEqual({ tagged: 1, skipped: 0, failed: 0 });
  });

  it('gives up on a trace that never arrives, tags the others, and says how many failed', async () => {
    const traces = fakeTraces([`tr-${traceB}`]);
    const writer = new MlflowEventTagWriter({ traces, missingTraceRetries: 2, wait: async () => undefined });
    const failure = await writer.append([requestEvent({ traceId: traceA }), requestEvent({ traceId: traceB })]).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(LlmopsError.isInstance(failure) && failure.code).toBe('upstream_error');
    expect(String((failure as Error).message)).toMatch(/1 of 2 not written on their traces; first: Trace with ID/);
    expect(traces.calls.filter((call) => call === `tr-${traceA} get`)).toHaveLength(3);
    expect(writer.stats()).toEqual({ tagged: 1, skipped: 0, failed: 1 });
  });

  it('does not wait for a trace on other failures', async () => {
    const waits: number[] = [];
    const writer = new MlflowEventTagWriter({
      traces: {
        getInfo: async () => ({}) as never,
        setTag: async () => {
          throw new LlmopsError('unavailable', 'connection refused', { retryable: true });
        },
      },
      wait: async (ms) => {
        waits.push(ms);
      },
    });
    await expect(writer.append([requestEvent({ traceId: traceA })])).rejects.toThrow(/connection refused/);
    expect(waits).toEqual([]);
  });
});
