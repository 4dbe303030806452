import type { StoredSpan, StoredTrace } from '@llmops/mlflow-client';
import type { PipelineTrace, TraceSpan } from '../../application/pipeline.js';
import { traceRecordAttribute } from './mlflow-trace-record.js';
import { llmopsTraceTags } from './mlflow-trace-spans.js';

type FlatValue = string | number | boolean;

function isFlat(value: unknown): value is FlatValue {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * The record the sink wrote on the root span, when it is there and reads as one. The sink sends it as a JSON string;
 * MLflow 3.17.2 parses attribute strings that hold JSON and gives them back as key-value lists (objects here).
 */
function writtenRecord(root: StoredSpan, otelTraceId: string): PipelineTrace | undefined {
  let record = root.attributes[traceRecordAttribute];
  if (typeof record === 'string') {
    try {
      record = JSON.parse(record) as unknown;
    } catch {
      return undefined;
    }
  }
  const candidate = record as Partial<PipelineTrace> | null | undefined;
  return candidate && candidate.traceId === otelTraceId && Array.isArray(candidate.spans)
    ? (candidate as PipelineTrace)
    : undefined;
}

/** A child span as a pipeline step, with its id and its parent's: its own flat attributes, MLflow's (`mlflow.…`) left out. */
function stepOf(span: StoredSpan): TraceSpan {
  return {
    name: span.name,
    spanId: span.spanId,
    ...(span.parentSpanId === undefined ? {} : { parentSpanId: span.parentSpanId }),
    startTimeMs: span.startTimeMs,
    endTimeMs: span.endTimeMs,
    status: span.status === 'ERROR' ? 'error' : 'ok',
    attributes: Object.fromEntries(
      Object.entries(span.attributes).filter(
        (entry): entry is [string, FlatValue] => !entry[0].startsWith('mlflow.') && isFlat(entry[1]),
      ),
    ),
  };
}

/**
 * What a trace without a record (written by an older llmops, or by another tool into the experiment) still says: its
 * tags, MLflow's token and cost totals, the root span's `llmops.*` facts and the child spans. Guardrail verdicts,
 * retrieval and the cache outcome are unknown there.
 */
function recordFromFacts(trace: StoredTrace, root: StoredSpan | undefined, otelTraceId: string): PipelineTrace {
  const { tags, metadata } = trace.info;
  const facts = root?.attributes ?? {};
  const usage = JSON.parse(metadata['mlflow.trace.tokenUsage'] ?? '{}') as Record<string, unknown>;
  const cost = JSON.parse(metadata['mlflow.trace.cost'] ?? '{}') as Record<string, unknown>;
  const startTimeMs = root?.startTimeMs ?? (Date.parse(trace.info.requestTime ?? '') || 0);
  const endTimeMs = root?.endTimeMs ?? startTimeMs;
  const status = (tags[llmopsTraceTags.status] ?? (trace.info.state === 'ERROR' ? 'error' : 'ok')) as 'ok' | 'error';
  const promptTokens = numberOf(usage['input_tokens']) ?? numberOf(facts['llmops.prompt_tokens']) ?? 0;
  const completionTokens = numberOf(usage['output_tokens']);
  const errorCode = tags[llmopsTraceTags.errorCode];
  const errorMessage = facts['llmops.error.message'];
  const requestId = tags[llmopsTraceTags.requestId];
  const finishReason = facts['llmops.finish_reason'];
  const latency = (key: string) => numberOf(facts[`llmops.latency.${key}_ms`]) ?? 0;
  return {
    traceId: otelTraceId,
    startTimeMs,
    endTimeMs,
    status,
    ...(errorCode ? { error: { code: errorCode, message: typeof errorMessage === 'string' ? errorMessage : '' } } : {}),
    spans: trace.spans
      .filter((span) => span.parentSpanId !== undefined)
      .sort((left, right) => left.startTimeMs - right.startTimeMs)
      .map(stepOf),
    ...(requestId ? { requestId } : {}),
    model: tags[llmopsTraceTags.model] ?? root?.name ?? '',
    pipeline: (tags[llmopsTraceTags.pipeline] ?? 'chat') as PipelineTrace['pipeline'],
    provider: tags[llmopsTraceTags.provider] ?? '',
    guardrailPolicy: tags[llmopsTraceTags.guardrailPolicy] ?? '',
    promptTokens,
    guardrails: [],
    ...(completionTokens === undefined
      ? {}
      : {
          usage: {
            prompt_tokens: promptTokens,
            completion_tokens: completionTokens,
            total_tokens: numberOf(usage['total_tokens']) ?? promptTokens + completionTokens,
          },
        }),
    costUsd: numberOf(cost['total_cost']) ?? null,
    latencyMs: {
      retrieve: latency('retrieve'),
      guard: latency('guard'),
      generate: latency('generate'),
      total: numberOf(facts['llmops.latency.total_ms']) ?? endTimeMs - startTimeMs,
      overhead: latency('overhead'),
    },
    citations: [],
    finishReason: typeof finishReason === 'string' ? finishReason : null,
    completed: facts['llmops.completed'] !== false,
  };
}

/**
 * A trace read from MLflow as the pipeline's record: the record the {@link MlflowTraceSink} wrote on the root span when
 * there is one (message text was never sent, so the retrieval query is `''` and passages have no text), else what the
 * trace's tags and spans say.
 */
export function recordOfStoredTrace(trace: StoredTrace): PipelineTrace {
  const otelTraceId = trace.info.traceId.replace(/^tr-/, '');
  const root = trace.spans.find((span) => span.parentSpanId === undefined);
  return (root && writtenRecord(root, otelTraceId)) ?? recordFromFacts(trace, root, otelTraceId);
}
