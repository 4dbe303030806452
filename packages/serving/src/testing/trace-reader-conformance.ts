import assert from 'node:assert/strict';
import type { PipelineTrace } from '../application/pipeline.js';
import type { TraceReader, TraceSink } from '../ports.js';
import {
  buildFailedPipelineTrace,
  buildNestedPipelineTrace,
  buildPipelineTrace,
  randomTraceId,
} from './pipeline-trace-fixture.js';

/** A trace store under test: the sink that writes to it and its reader; each harness starts empty. */
export interface TraceReaderHarness {
  sink: TraceSink;
  reader: TraceReader;
}

/** Makes an empty store for one conformance case (a new file, or a new MLflow experiment). */
export type TraceReaderHarnessFactory = () => Promise<TraceReaderHarness> | TraceReaderHarness;

/** One case of the trace reader conformance suite: a name and a run that throws (an AssertionError) on misbehaviour. */
export interface TraceReaderConformanceCase {
  name: string;
  run: () => Promise<void>;
}

const startTimeMs = 1_767_225_600_000;

/** Three served requests a second apart: a RAG answer, a failed call of the next version, a blocked chat. */
function threeRequests(): { answered: PipelineTrace; failed: PipelineTrace; blocked: PipelineTrace } {
  const answered = buildPipelineTrace({ startTimeMs, model: 'support-rag/2', cache: 'miss' });
  const failed = buildFailedPipelineTrace({ startTimeMs: startTimeMs + 1000, model: 'support-rag/3' });
  const blocked = buildPipelineTrace({
    startTimeMs: startTimeMs + 2000,
    model: 'support-chat/1',
    pipeline: 'chat',
    guardrails: [
      {
        stage: 'input',
        check: 'harmful',
        action: 'block',
        outcome: 'blocked',
        findings: [{ category: 'violence', rule: 'harm.violence' }],
        durationMs: 1,
      },
    ],
    blocked: { policy: 'default', stage: 'input', check: 'harmful', categories: ['violence'] },
  });
  return { answered, failed, blocked };
}

async function idsOf(traces: Promise<PipelineTrace[]>): Promise<string[]> {
  // An array of this realm: a store's own array may come from another (outside jest's sandbox), which strict equality tells apart.
  return [...(await traces).map((trace) => trace.traceId)];
}

const cases: Array<[string, (harness: TraceReaderHarness) => Promise<void>]> = [
  [
    'lists written traces newest first, paged by limit and offset, and counts them',
    async ({ sink, reader }) => {
      const { answered, failed, blocked } = threeRequests();
      await sink.write([answered, failed, blocked]);
      assert.deepEqual(await idsOf(reader.list()), [blocked.traceId, failed.traceId, answered.traceId]);
      assert.deepEqual(await idsOf(reader.list({ limit: 1, offset: 1 })), [failed.traceId]);
      assert.deepEqual(await idsOf(reader.list({ limit: 5, offset: 3 })), []);
      assert.equal(await reader.count(), 3);
    },
  ],
  [
    'filters by model version, model name, status, blocked and start time, and counts what the filters match',
    async ({ sink, reader }) => {
      const { answered, failed, blocked } = threeRequests();
      await sink.write([answered, failed, blocked]);
      assert.deepEqual(await idsOf(reader.list({ model: 'support-rag' })), [failed.traceId, answered.traceId]);
      assert.deepEqual(await idsOf(reader.list({ model: 'support-rag/3' })), [failed.traceId]);
      assert.deepEqual(await idsOf(reader.list({ status: 'error' })), [failed.traceId]);
      assert.deepEqual(await idsOf(reader.list({ status: 'ok', blocked: false })), [answered.traceId]);
      assert.deepEqual(await idsOf(reader.list({ blocked: true })), [blocked.traceId]);
      assert.deepEqual(await idsOf(reader.list({ since: startTimeMs + 1000 })), [blocked.traceId, failed.traceId]);
      assert.deepEqual(await idsOf(reader.list({ model: "nobody's-model" })), []);
      assert.equal(await reader.count({ model: 'support-rag' }), 2);
      assert.equal(await reader.count({ blocked: true }), 1);
      assert.equal(await reader.count({ model: 'support-chat/9' }), 0);
    },
  ],
  [
    'reads one trace back with its spans, tokens, cost, cache, guardrail verdicts, retrieval and fallback',
    async ({ sink, reader }) => {
      const { answered, failed, blocked } = threeRequests();
      const fallback = {
        ...answered,
        fallback: {
          from: 'support-rag/3',
          to: 'support-rag/2',
          reason: 'timeout',
          tried: ['support-rag/3', 'support-rag/2'],
        },
        reference: 'support-rag@champion',
      };
      await sink.write([fallback, failed, blocked]);
      const read = await reader.get(fallback.traceId);
      assert.ok(read, `trace ${fallback.traceId} was written but cannot be read back`);
      const facts = (trace: PipelineTrace) => ({
        traceId: trace.traceId,
        requestId: trace.requestId,
        reference: trace.reference,
        model: trace.model,
        status: trace.status,
        startTimeMs: trace.startTimeMs,
        endTimeMs: trace.endTimeMs,
        spans: trace.spans,
        usage: trace.usage,
        costUsd: trace.costUsd,
        cache: trace.cache,
        latencyMs: trace.latencyMs,
        fallback: trace.fallback,
        passages: trace.retrieval?.passages.map(({ source, title, score, used }) => ({ source, title, score, used })),
      });
      assert.deepEqual(facts(read), facts(fallback));
      const readBlocked = await reader.get(blocked.traceId);
      assert.deepEqual(
        { guardrails: readBlocked?.guardrails, blocked: readBlocked?.blocked },
        { guardrails: blocked.guardrails, blocked: blocked.blocked },
      );
      const readFailed = await reader.get(failed.traceId);
      assert.deepEqual(
        { status: readFailed?.status, error: readFailed?.error },
        { status: 'error', error: failed.error },
      );
    },
  ],
  [
    'reads back each span with its id and its parent: the root, or the span it ran inside',
    async ({ sink, reader }) => {
      const nested = buildNestedPipelineTrace();
      await sink.write([nested]);
      const read = await reader.get(nested.traceId);
      assert.ok(read, `trace ${nested.traceId} was written but cannot be read back`);
      const nameOf = new Map(nested.spans.map((span) => [span.spanId, span.name]));
      const links = (trace: PipelineTrace) =>
        [...trace.spans]
          .sort((left, right) => left.startTimeMs - right.startTimeMs)
          .map((span) => `${span.name} <- ${nameOf.get(span.parentSpanId) ?? (span.parentSpanId ? 'root' : '?')}`);
      assert.deepEqual(links(read), [
        'resolve <- root',
        'guard_input <- root',
        'attempt <- root',
        'generate <- attempt',
        'agent_run <- generate',
        'agent_turn <- agent_run',
        'tool_call <- agent_turn',
        'agent_turn <- agent_run',
        'guard_output <- root',
      ]);
      assert.deepEqual(
        read.spans.map((span) => [span.spanId, span.parentSpanId]).sort(),
        nested.spans.map((span) => [span.spanId, span.parentSpanId]).sort(),
      );
    },
  ],
  [
    'answers undefined for a trace it does not have',
    async ({ sink, reader }) => {
      await sink.write([buildPipelineTrace()]);
      assert.equal(await reader.get(randomTraceId()), undefined);
    },
  ],
  [
    'refuses a limit out of range as invalid input',
    async ({ reader }) => {
      await assert.rejects(reader.list({ limit: 0 }), (error: { code?: string }) => error.code === 'invalid_input');
      await assert.rejects(reader.list({ limit: 1001 }), (error: { code?: string }) => error.code === 'invalid_input');
    },
  ],
];

/**
 * The conformance suite of {@link TraceReader} adapters: what a trace sink wrote is listed newest first, filtered by
 * model, status, guardrail block and time, paged and counted, and read back whole by id with the facts the console shows.
 * Run it from a test file: `for (const c of traceReaderConformanceSuite(factory)) it(c.name, c.run);`.
 */
export function traceReaderConformanceSuite(factory: TraceReaderHarnessFactory): TraceReaderConformanceCase[] {
  return cases.map(([name, run]) => ({ name, run: async () => run(await factory()) }));
}
