import type { AttributeValue, SpanInput, SpanType } from '@llmops/mlflow-client';
import type { PipelineTrace, TraceSpan } from '../../application/pipeline.js';
import { spanIdOf } from '../../application/span-id.js';
import { requestAttributes, splitProvider } from '../trace-span-facts.js';
import { messageFreeRecord, traceOutcome, traceRecordAttribute } from './mlflow-trace-record.js';

/**
 * The MLflow span type of each pipeline step; other steps are `UNKNOWN`. The request itself is
 * the root span, of type `CHAIN`.
 */
export const mlflowSpanTypes: Readonly<Record<string, SpanType>> = {
  resolve: 'UNKNOWN',
  retrieve: 'RETRIEVER',
  guard_input: 'GUARDRAIL',
  generate: 'CHAT_MODEL',
  guard_output: 'GUARDRAIL',
};

/** MLflow's own attribute keys (from `mlflow.tracing.constant.SpanAttributeKey`), which its UI and aggregations read. */
export const mlflowSpanAttributes = {
  /** `{input_tokens, output_tokens, total_tokens}`; MLflow sums it into the trace's `mlflow.trace.tokenUsage`. */
  tokenUsage: 'mlflow.chat.tokenUsage',
  /** `{input_cost, output_cost, total_cost}` in USD; MLflow sums it into the trace's `mlflow.trace.cost`. */
  cost: 'mlflow.llm.cost',
  model: 'mlflow.llm.model',
  provider: 'mlflow.llm.provider',
  /** A root span attribute `mlflow.traceTag.<key>` becomes the trace tag `<key>` on the server. */
  traceTagPrefix: 'mlflow.traceTag.',
} as const;

/** The trace tags llmops sets, which `mlflow.search_traces(filter_string="tags.`llmops.model` = '…'")` filters on. */
export const llmopsTraceTags = {
  model: 'llmops.model',
  modelName: 'llmops.model_name',
  modelVersion: 'llmops.model_version',
  pipeline: 'llmops.pipeline',
  provider: 'llmops.provider',
  status: 'llmops.status',
  guardrailPolicy: 'llmops.guardrail_policy',
  requestId: 'llmops.request_id',
  errorCode: 'llmops.error_code',
  blocked: 'llmops.blocked',
  /** `ok`, `error` or `blocked`: what the console's status filter asks. */
  outcome: 'llmops.outcome',
} as const;

/** The trace tags of a trace, as `mlflow.traceTag.<key>` root attributes. */
function traceTagAttributes(trace: PipelineTrace): Record<string, AttributeValue> {
  const slash = trace.model.lastIndexOf('/');
  const tags: Record<string, string | undefined> = {
    [llmopsTraceTags.model]: trace.model,
    [llmopsTraceTags.modelName]: slash > 0 ? trace.model.slice(0, slash) : trace.model,
    [llmopsTraceTags.modelVersion]: slash > 0 ? trace.model.slice(slash + 1) : undefined,
    [llmopsTraceTags.pipeline]: trace.pipeline,
    [llmopsTraceTags.provider]: trace.provider,
    [llmopsTraceTags.status]: trace.status,
    [llmopsTraceTags.guardrailPolicy]: trace.guardrailPolicy,
    [llmopsTraceTags.requestId]: trace.requestId,
    [llmopsTraceTags.errorCode]: trace.error?.code,
    [llmopsTraceTags.blocked]: trace.blocked && `${trace.blocked.stage}/${trace.blocked.check}`,
    [llmopsTraceTags.outcome]: traceOutcome(trace),
  };
  return Object.fromEntries(
    Object.entries(tags)
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([key, value]) => [`${mlflowSpanAttributes.traceTagPrefix}${key}`, value]),
  );
}

/** The root span's attributes: the request's facts, its trace tags, and its message-free record (for reading back). */
function mlflowRootAttributes(trace: PipelineTrace): Record<string, AttributeValue> {
  return {
    ...traceTagAttributes(trace),
    ...requestAttributes(trace),
    [traceRecordAttribute]: JSON.stringify(messageFreeRecord(trace)),
  };
}

/** MLflow's usage, cost and model attributes, for the span that called the model. */
function modelCallAttributes(trace: PipelineTrace): Record<string, AttributeValue> {
  const { provider, model } = splitProvider(trace.provider);
  const attributes: Record<string, AttributeValue> = {
    [mlflowSpanAttributes.model]: model,
    [mlflowSpanAttributes.provider]: provider,
  };
  if (trace.usage) {
    attributes[mlflowSpanAttributes.tokenUsage] = {
      input_tokens: trace.usage.prompt_tokens,
      output_tokens: trace.usage.completion_tokens,
      total_tokens: trace.usage.total_tokens,
    };
  }
  // The pricing table gives the total only; MLflow counts the missing input and output parts as 0.
  if (trace.costUsd !== null) attributes[mlflowSpanAttributes.cost] = { total_cost: trace.costUsd };
  return attributes;
}

/**
 * A pipeline step as a span under its parent (the root, or the step it ran inside; the root for a trace recorded without
 * parents); keys of MLflow's own (`mlflow.…`) are not carried over.
 */
function childSpan(options: {
  trace: PipelineTrace;
  span: TraceSpan;
  position: number;
  modelCall: boolean;
}): SpanInput {
  const { trace, span } = options;
  const attributes: Record<string, AttributeValue> = Object.fromEntries(
    Object.entries(span.attributes).filter(([key]) => !key.startsWith('mlflow.')),
  );
  return {
    spanId: span.spanId ?? spanIdOf(trace.traceId, options.position),
    parentSpanId: span.parentSpanId ?? spanIdOf(trace.traceId, 0),
    name: span.name,
    spanType: mlflowSpanTypes[span.name] ?? 'UNKNOWN',
    startTimeMs: span.startTimeMs,
    endTimeMs: span.endTimeMs,
    attributes: options.modelCall ? { ...attributes, ...modelCallAttributes(trace) } : attributes,
    status: span.status === 'ok' ? 'OK' : 'ERROR',
  };
}

/**
 * The spans MLflow gets for one served request: a root span `chat.completions <model>` (CHAIN)
 * over the whole request, with the request's facts as attributes and trace tags, and each
 * pipeline step under its parent (the root, or the step it ran inside). Token usage and cost go on the `generate` span under MLflow's own keys
 * (on the root when there is no such span). No message text is sent: inputs and outputs are facts.
 */
export function toMlflowSpans(trace: PipelineTrace): SpanInput[] {
  const generating = trace.spans.findIndex((span) => span.name === 'generate');
  const root: SpanInput = {
    spanId: spanIdOf(trace.traceId, 0),
    name: `chat.completions ${trace.model}`,
    spanType: 'CHAIN',
    startTimeMs: trace.startTimeMs,
    endTimeMs: trace.endTimeMs,
    inputs: { model: trace.model, pipeline: trace.pipeline },
    outputs: {
      finish_reason: trace.finishReason,
      completed: trace.completed,
      citations: trace.citations.map((citation) => citation.passage_id),
    },
    attributes:
      generating < 0 ? { ...mlflowRootAttributes(trace), ...modelCallAttributes(trace) } : mlflowRootAttributes(trace),
    status: trace.status === 'ok' ? 'OK' : 'ERROR',
    statusMessage: trace.error && `${trace.error.code}: ${trace.error.message}`,
  };
  const children = trace.spans.map((span, index) =>
    childSpan({ trace, span, position: index + 1, modelCall: index === generating }),
  );
  return [root, ...children];
}
