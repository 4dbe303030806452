import { randomBytes } from 'node:crypto';
import type { PipelineTrace, TraceSpan } from '../application/pipeline.js';
import { spanIdOf } from '../application/span-id.js';

/** What {@link buildPipelineTrace} may be told; anything else of the trace can be overridden too. */
export type PipelineTraceOverrides = Partial<PipelineTrace>;

/** A new random trace id: 32 lowercase hex characters, as OpenTelemetry has them. */
export function randomTraceId(): string {
  return randomBytes(16).toString('hex');
}

/** The five spans of a served RAG request, laid end to end from `startTimeMs`, as the step chain records them. */
function ragSpans(startTimeMs: number): TraceSpan[] {
  const steps: Array<Omit<TraceSpan, 'startTimeMs' | 'endTimeMs'> & { durationMs: number }> = [
    { name: 'resolve', durationMs: 1, status: 'ok', attributes: { reference: 'support-rag@champion', cached: true } },
    {
      name: 'retrieve',
      durationMs: 12,
      status: 'ok',
      attributes: { corpus: 'confs/data/kb/', k: 4, passages: 4, used_passages: 3, context_tokens: 412 },
    },
    { name: 'guard_input', durationMs: 2, status: 'ok', attributes: { policy: 'default', outcome: 'pass' } },
    {
      name: 'generate',
      durationMs: 240,
      status: 'ok',
      attributes: { provider: 'offline/extractive', prompt_tokens: 530, completion_tokens: 48, finish_reason: 'stop' },
    },
    { name: 'guard_output', durationMs: 3, status: 'ok', attributes: { policy: 'default', outcome: 'pass' } },
  ];
  let time = startTimeMs;
  return steps.map(({ durationMs, ...step }) => {
    const span: TraceSpan = { ...step, startTimeMs: time, endTimeMs: time + durationMs };
    time += durationMs;
    return span;
  });
}

/**
 * A finished trace of a served RAG request (`support-rag/2`, `offline/extractive`, five spans,
 * usage and cost), for testing trace stores: each call has a new random `traceId` unless one is
 * given. Spans are laid out from `startTimeMs` unless `spans` is given.
 */
export function buildPipelineTrace(overrides: PipelineTraceOverrides = {}): PipelineTrace {
  const startTimeMs = overrides.startTimeMs ?? 1_767_225_600_000;
  const spans = overrides.spans ?? ragSpans(startTimeMs);
  const endTimeMs =
    overrides.endTimeMs ?? spans.reduce((latest, span) => Math.max(latest, span.endTimeMs), startTimeMs);
  return {
    traceId: randomTraceId(),
    status: 'ok',
    requestId: `req-${randomBytes(4).toString('hex')}`,
    model: 'support-rag/2',
    pipeline: 'rag',
    provider: 'offline/extractive',
    guardrailPolicy: 'default',
    retrieval: {
      corpus: 'confs/data/kb/',
      indexKey: 'sha256:0f3a',
      indexBuilt: false,
      query: 'reset password',
      k: 4,
      budgetTokens: 2000,
      contextTokens: 412,
      passages: [
        { id: 'accounts.txt#1', source: 'accounts.txt', score: 7.1, tokens: 150, used: true },
        { id: 'billing/invoices.md#2', source: 'billing/invoices.md', score: 3.2, tokens: 130, used: true },
      ],
    },
    promptTokens: 530,
    guardrails: [],
    usage: { prompt_tokens: 530, completion_tokens: 48, total_tokens: 578 },
    costUsd: 0.000_412,
    latencyMs: { retrieve: 12, guard: 5, generate: 240, total: endTimeMs - startTimeMs, overhead: 18 },
    citations: [{ index: 1, passage_id: 'accounts.txt#1', source: 'accounts.txt', score: 7.1 }],
    finishReason: 'stop',
    completed: true,
    ...overrides,
    startTimeMs,
    endTimeMs,
    spans,
  };
}

/**
 * A trace of a request that failed at the provider: status `error` with its code and message, the
 * `generate` span in error, no usage and no cost.
 */
export function buildFailedPipelineTrace(overrides: PipelineTraceOverrides = {}): PipelineTrace {
  const base = buildPipelineTrace(overrides);
  const spans = base.spans.map((span): TraceSpan => (span.name === 'generate' ? { ...span, status: 'error' } : span));
  return {
    ...base,
    status: 'error',
    error: { code: 'upstream_error', message: 'provider openai answered 502' },
    usage: undefined,
    costUsd: null,
    finishReason: null,
    completed: false,
    ...overrides,
    spans: overrides.spans ?? spans.filter((span) => span.name !== 'guard_output'),
  };
}

/**
 * The spans of an agent request as the recorder nests them, with their ids and parents: `resolve`, `guard_input` and
 * `attempt` under the root; `generate` inside the attempt; the team's `agent_run` inside `generate`; two `agent_turn`s
 * inside the run, the first with a `tool_call`; then `guard_output` under the root.
 */
function nestedSpans(traceId: string, startTimeMs: number): TraceSpan[] {
  const layout: Array<{ name: string; parent: number; from: number; to: number }> = [
    { name: 'resolve', parent: 0, from: 0, to: 1 },
    { name: 'guard_input', parent: 0, from: 1, to: 3 },
    { name: 'attempt', parent: 0, from: 3, to: 300 },
    { name: 'generate', parent: 3, from: 4, to: 299 },
    { name: 'agent_run', parent: 4, from: 5, to: 298 },
    { name: 'agent_turn', parent: 5, from: 6, to: 150 },
    { name: 'tool_call', parent: 6, from: 100, to: 120 },
    { name: 'agent_turn', parent: 5, from: 151, to: 297 },
    { name: 'guard_output', parent: 0, from: 300, to: 302 },
  ];
  return layout.map((step, index) => ({
    name: step.name,
    spanId: spanIdOf(traceId, index + 1),
    parentSpanId: spanIdOf(traceId, step.parent),
    startTimeMs: startTimeMs + step.from,
    endTimeMs: startTimeMs + step.to,
    status: 'ok',
    attributes: { position: index + 1 },
  }));
}

/**
 * A finished trace of an agent request (`support-agent/1`) whose spans nest, with ids and parents as the recorder
 * gives them (a fallback's attempt, the call to the model inside it, the team's run, turns and a tool call inside that).
 */
export function buildNestedPipelineTrace(overrides: PipelineTraceOverrides = {}): PipelineTrace {
  const traceId = overrides.traceId ?? randomTraceId();
  const startTimeMs = overrides.startTimeMs ?? 1_767_225_600_000;
  const trace = buildPipelineTrace({
    traceId,
    model: 'support-agent/1',
    pipeline: 'agent',
    citations: [],
    ...overrides,
    startTimeMs,
    spans: overrides.spans ?? nestedSpans(traceId, startTimeMs),
  });
  // An agent request retrieves through its tools, not as a RAG step: no retrieval record unless one is given.
  if (!overrides.retrieval) delete trace.retrieval;
  return trace;
}
