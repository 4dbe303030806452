import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { LlmopsError } from '@llmops/kernel';
import type { OnlineScore } from '@llmops/monitoring';
import type { PipelineTrace, TraceListOptions, TraceReader } from '@llmops/serving';
import { parseQuery } from './request-parsing.js';

/** The query of `GET /api/v1/traces`. */
export const traceListQuerySchema = z.strictObject({
  model: z.string().min(1).max(200).optional(),
  status: z.enum(['ok', 'error', 'blocked']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Where the console's trace reads come from. */
export interface TraceRoutesOptions {
  /** The store's trace reader (the embedded store's, or the MLflow experiment's). */
  reader: TraceReader;
  /** The online evaluation scores of a request, by its request id. */
  scoresOf: (requestId: string) => Promise<OnlineScore[]>;
}

/** The guardrail outcome of a request: blocked, else the first flagged or redacted check, else passed. */
function guardrailView(trace: PipelineTrace) {
  if (trace.blocked) return { verdict: 'blocked', category: trace.blocked.categories[0] ?? null };
  const flagged = trace.guardrails.find((verdict) => verdict.outcome === 'flagged' || verdict.outcome === 'redacted');
  if (flagged) return { verdict: flagged.outcome, category: flagged.findings[0]?.category ?? null };
  return trace.guardrails.length > 0 ? { verdict: 'pass', category: null } : null;
}

/** A trace as `GET /api/v1/traces` lists it. */
export function traceSummaryView(trace: PipelineTrace) {
  return {
    trace_id: trace.traceId,
    request_id: trace.requestId ?? null,
    model_ref: trace.reference ?? trace.model,
    model: trace.model,
    pipeline: trace.pipeline,
    started_at: new Date(trace.startTimeMs).toISOString(),
    duration_ms: trace.endTimeMs - trace.startTimeMs,
    status: trace.blocked ? 'blocked' : trace.status,
    tokens: {
      prompt: trace.usage?.prompt_tokens ?? trace.promptTokens,
      completion: trace.usage?.completion_tokens ?? null,
    },
    cost_usd: trace.costUsd,
    cache: trace.cache ?? null,
    guardrail: guardrailView(trace),
  };
}

/**
 * A trace's spans in start order: each with its id and its parent's (`null` under the request itself, and for every span
 * of a trace recorded before spans had parents, which then reads flat), its offset from the request's start, its
 * duration and its attributes.
 */
function spanViews(trace: PipelineTrace) {
  const ids = new Set(trace.spans.map((span) => span.spanId).filter((id) => id !== undefined));
  return trace.spans.map((span, position) => ({
    span_id: span.spanId ?? String(position + 1),
    parent_id: span.parentSpanId !== undefined && ids.has(span.parentSpanId) ? span.parentSpanId : null,
    name: span.name,
    start_offset_ms: span.startTimeMs - trace.startTimeMs,
    duration_ms: span.endTimeMs - span.startTimeMs,
    status: span.status,
    attributes: span.attributes,
  }));
}

/**
 * A trace with its spans: each span's offset from the request's start, its duration and its attributes as stored (the
 * trace writer keeps no message text and no secret in them); retrieved passages by source, title and score (their text
 * stays out); and the request's online evaluation scores.
 */
export function traceDetailView(trace: PipelineTrace, scores: readonly OnlineScore[]) {
  return {
    ...traceSummaryView(trace),
    provider: trace.provider,
    error: trace.error ?? null,
    latency_ms: trace.latencyMs,
    spans: spanViews(trace),
    retrieval: trace.retrieval
      ? trace.retrieval.passages.map((passage, rank) => ({
          rank: rank + 1,
          source: passage.source,
          title: passage.title ?? null,
          score: passage.score,
          used: passage.used,
        }))
      : null,
    online_scores: scores.map((score) => ({ name: score.metric, value: score.score, reason: `judge ${score.judge}` })),
  };
}

function filtersOf(query: z.infer<typeof traceListQuerySchema>): Omit<TraceListOptions, 'limit' | 'offset'> {
  const status =
    query.status === 'blocked'
      ? { blocked: true }
      : query.status === 'ok'
        ? { status: 'ok' as const, blocked: false }
        : query.status === 'error'
          ? { status: 'error' as const }
          : {};
  return { ...(query.model ? { model: query.model } : {}), ...status };
}

/**
 * `GET /api/v1/traces` (served requests, newest first, paged, filtered by model and status) and
 * `GET /api/v1/traces/:id` (one with its spans and online scores), read from the store's trace reader (the embedded store, or MLflow's trace search).
 */
export function traceRoutes(options: TraceRoutesOptions): (server: FastifyInstance) => void {
  const { reader } = options;
  return (server) => {
    server.get('/api/v1/traces', async (request) => {
      const query = parseQuery(traceListQuerySchema, request);
      const filters = filtersOf(query);
      const [traces, total] = await Promise.all([
        reader.list({ ...filters, limit: query.limit, offset: query.offset }),
        reader.count(filters),
      ]);
      return { object: 'list', data: traces.map(traceSummaryView), total };
    });

    server.get<{ Params: { id: string } }>('/api/v1/traces/:id', async (request) => {
      const { id } = request.params;
      if (!/^[0-9a-f]{32}$/.test(id))
        throw new LlmopsError('invalid_input', `trace id "${id}" is not 32 lowercase hex characters`);
      const trace = await reader.get(id);
      if (!trace) throw new LlmopsError('not_found', `no trace ${id} in the store`);
      const scores = trace.requestId === undefined ? [] : await options.scoresOf(trace.requestId);
      return traceDetailView(trace, scores);
    });
  };
}
