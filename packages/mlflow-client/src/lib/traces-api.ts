import { LlmopsError } from '@llmops/kernel';
import { z } from 'zod';
import type { HttpTransport } from './http-transport.js';
import { checkId } from './input-validation.js';
import { encodeExportTraceRequest } from './otlp-encoder.js';
import type { AttributeValue, OtlpSpan, SpanStatusCode } from './otlp-encoder.js';
import { storedTraceSchema } from './stored-trace.js';
import type { StoredTrace } from './stored-trace.js';
import { traceInfoSchema } from './trace-info.js';
import type { AssessmentSourceType, TraceInfo } from './trace-info.js';

export type { AssessmentSourceType, TraceAssessment, TraceInfo } from './trace-info.js';
export type { StoredSpan, StoredTrace } from './stored-trace.js';

/** Options of {@link TracesApi.search}. */
export interface SearchTracesOptions {
  experimentIds: string[];
  /** MLflow's trace filter (``tags.`llmops.model` = 'bot/1' AND trace.timestamp_ms >= 0``); all traces when omitted. */
  filter?: string;
  /** For example `['timestamp_ms DESC']`. */
  orderBy?: string[];
  /** 1 to 500 (MLflow's most); 100 by default. */
  maxResults?: number;
  pageToken?: string;
  signal?: AbortSignal;
}

/** Trace ids asked in one `batchGet` call at most: they travel in the query string, which servers bound (about 4 KB here). */
export const maxTracesPerBatchGet = 100;

/** MLflow's span types (an open set: any string is stored). */
export type SpanType =
  | 'LLM'
  | 'CHAT_MODEL'
  | 'CHAIN'
  | 'AGENT'
  | 'TOOL'
  | 'RETRIEVER'
  | 'EMBEDDING'
  | 'RERANKER'
  | 'PARSER'
  | 'UNKNOWN'
  | (string & {});

/** A span to log as part of a trace. */
export interface SpanInput {
  /** 16 lowercase hex characters; generated when omitted. */
  spanId?: string;
  /** The parent's span id; omitted on the root span (exactly one per trace). */
  parentSpanId?: string;
  name: string;
  spanType?: SpanType;
  /** Milliseconds since the epoch (fractions allowed). */
  startTimeMs: number;
  endTimeMs: number;
  /** Stored as the span's inputs (`mlflow.spanInputs`); the root span's become the trace's request. */
  inputs?: AttributeValue;
  /** Stored as the span's outputs (`mlflow.spanOutputs`); the root span's become the trace's response. */
  outputs?: AttributeValue;
  attributes?: Record<string, AttributeValue>;
  status?: SpanStatusCode;
  statusMessage?: string;
}

/** Options of {@link TracesApi.log}. */
export interface LogTraceOptions {
  experimentId: string;
  /** Links the trace to this run. */
  runId?: string;
  /** The OpenTelemetry trace id, 32 lowercase hex characters; generated when omitted. */
  otelTraceId?: string;
  spans: SpanInput[];
  signal?: AbortSignal;
}

/** Options of {@link TracesApi.logMany}: several traces of one experiment (and run) in one request. */
export interface LogTracesOptions {
  experimentId: string;
  /** Links every trace to this run. */
  runId?: string;
  /** Each trace's spans and OpenTelemetry id (32 lowercase hex characters; generated when omitted). */
  traces: Array<{ otelTraceId?: string; spans: SpanInput[] }>;
  signal?: AbortSignal;
}

/** Options of {@link TracesApi.logFeedback}. */
export interface LogFeedbackOptions {
  traceId: string;
  /** The assessment's name (a metric: `contextual_relevancy`). */
  name: string;
  value: number | boolean | string;
  /** Who judged: a person, an LLM judge or code, and its id (`openai/gpt-4o-mini`, `offline-heuristic`). */
  source: { type: AssessmentSourceType; id: string };
  rationale?: string;
  metadata?: Record<string, string>;
  signal?: AbortSignal;
}

const feedbackSourceTypes: ReadonlySet<string> = new Set<AssessmentSourceType>(['HUMAN', 'LLM_JUDGE', 'CODE']);

const traceInfoResponseSchema = z.object({ trace: z.object({ trace_info: traceInfoSchema }) });
const searchResponseSchema = z.object({
  traces: z.array(traceInfoSchema).optional().default([]),
  next_page_token: z.string().optional(),
});
const batchGetResponseSchema = z.object({ traces: z.array(storedTraceSchema).optional().default([]) });

/** The OTLP/HTTP path of MLflow's trace ingestion. */
export const otlpTracesPath = '/v1/traces';

function randomHex(bytes: number): string {
  const values = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(values, (value) => value.toString(16).padStart(2, '0')).join('');
}

function toUnixNano(milliseconds: number, field: string): bigint {
  if (!Number.isFinite(milliseconds) || milliseconds < 0) {
    throw new LlmopsError('invalid_input', `${field} is ${milliseconds}; expected milliseconds since the epoch`);
  }
  return BigInt(Math.round(milliseconds * 1000)) * 1000n;
}

/** MLflow's longest trace tag key (`MAX_TRACE_TAG_KEY_LENGTH`). */
const maxTraceTagKeyLength = 250;

function checkTraceId(traceId: string): void {
  if (typeof traceId !== 'string' || !/^[\w-]{1,200}$/.test(traceId))
    throw new LlmopsError('invalid_input', `traceId "${String(traceId)}" is not an MLflow trace id (tr-…)`);
}

/** MLflow's trace id for an OpenTelemetry trace id (`tr-` + the 32 hex characters). */
export function mlflowTraceId(otelTraceId: string): string {
  return `tr-${otelTraceId}`;
}

/** One span of a trace as OTLP has it (MLflow's span type, inputs and outputs as `mlflow.*` attributes). */
function toOtlpSpan(span: SpanInput, context: { otelTraceId: string; field: string }): OtlpSpan {
  const { field } = context;
  if (typeof span.name !== 'string' || span.name === '')
    throw new LlmopsError('invalid_input', `${field}.name is empty`);
  const attributes: Record<string, AttributeValue> = { ...span.attributes };
  if (span.spanType !== undefined) attributes['mlflow.spanType'] = span.spanType;
  if (span.inputs !== undefined) attributes['mlflow.spanInputs'] = span.inputs;
  if (span.outputs !== undefined) attributes['mlflow.spanOutputs'] = span.outputs;
  return {
    traceId: context.otelTraceId,
    spanId: span.spanId ?? randomHex(8),
    parentSpanId: span.parentSpanId,
    name: span.name,
    startTimeUnixNano: toUnixNano(span.startTimeMs, `${field}.startTimeMs`),
    endTimeUnixNano: toUnixNano(span.endTimeMs, `${field}.endTimeMs`),
    attributes,
    status: { code: span.status ?? 'OK', message: span.statusMessage },
  };
}

/** A span being recorded by an {@link ActiveTrace}. */
export interface ActiveSpan {
  readonly spanId: string;
  /** Records the span's end (outputs, status); it is sent with the trace. */
  end(options?: {
    outputs?: AttributeValue;
    status?: SpanStatusCode;
    statusMessage?: string;
    attributes?: Record<string, AttributeValue>;
  }): void;
}

/**
 * A trace being recorded in memory: open child spans, end them, then `end()` the trace to send
 * all spans to MLflow in one OTLP request.
 */
export class ActiveTrace {
  /** The OpenTelemetry trace id (32 hex characters). */
  readonly otelTraceId: string;
  /** MLflow's id of the trace (`tr-…`). */
  readonly traceId: string;
  /** The root span's id. */
  readonly rootSpanId: string;
  private readonly spans: SpanInput[] = [];
  private readonly root: SpanInput;
  private ended = false;

  /** @internal created by {@link TracesApi.start}. */
  constructor(
    private readonly traces: TracesApi,
    private readonly options: {
      experimentId: string;
      runId?: string;
      name: string;
      spanType?: SpanType;
      inputs?: AttributeValue;
      attributes?: Record<string, AttributeValue>;
      now: () => number;
    },
  ) {
    this.otelTraceId = randomHex(16);
    this.traceId = mlflowTraceId(this.otelTraceId);
    this.rootSpanId = randomHex(8);
    this.root = {
      spanId: this.rootSpanId,
      name: options.name,
      spanType: options.spanType,
      startTimeMs: options.now(),
      endTimeMs: options.now(),
      inputs: options.inputs,
      attributes: options.attributes,
    };
  }

  /** Opens a child span (of the root span unless `parentSpanId` says otherwise). */
  startSpan(options: {
    name: string;
    spanType?: SpanType;
    inputs?: AttributeValue;
    attributes?: Record<string, AttributeValue>;
    parentSpanId?: string;
  }): ActiveSpan {
    const span: SpanInput = {
      spanId: randomHex(8),
      parentSpanId: options.parentSpanId ?? this.rootSpanId,
      name: options.name,
      spanType: options.spanType,
      startTimeMs: this.options.now(),
      endTimeMs: this.options.now(),
      inputs: options.inputs,
      attributes: options.attributes,
    };
    const now = this.options.now;
    const spans = this.spans;
    return {
      spanId: span.spanId as string,
      end(endOptions = {}) {
        spans.push({
          ...span,
          endTimeMs: now(),
          outputs: endOptions.outputs,
          status: endOptions.status ?? 'OK',
          statusMessage: endOptions.statusMessage,
          attributes: { ...span.attributes, ...endOptions.attributes },
        });
      },
    };
  }

  /**
   * Ends the root span and sends the trace (the root and every ended child span) to MLflow.
   * @throws LlmopsError `conflict` when the trace was already ended.
   */
  async end(
    options: { outputs?: AttributeValue; status?: SpanStatusCode; statusMessage?: string; signal?: AbortSignal } = {},
  ): Promise<{ traceId: string }> {
    if (this.ended) throw new LlmopsError('conflict', `trace ${this.traceId} was already ended`);
    this.ended = true;
    const root: SpanInput = {
      ...this.root,
      endTimeMs: this.options.now(),
      outputs: options.outputs,
      status: options.status ?? 'OK',
      statusMessage: options.statusMessage,
    };
    return this.traces.log({
      experimentId: this.options.experimentId,
      runId: this.options.runId,
      otelTraceId: this.otelTraceId,
      spans: [root, ...this.spans],
      signal: options.signal,
    });
  }
}

/**
 * Traces, sent to MLflow 3.17's OTLP/HTTP endpoint (`POST /v1/traces`, protobuf, header
 * `x-mlflow-experiment-id`) and read back through the v3 REST API.
 */
export class TracesApi {
  constructor(private readonly transport: HttpTransport) {}

  /** Starts recording a trace in memory; nothing is sent until `end()`. */
  start(options: {
    experimentId: string;
    runId?: string;
    name: string;
    spanType?: SpanType;
    inputs?: AttributeValue;
    attributes?: Record<string, AttributeValue>;
  }): ActiveTrace {
    checkId(options.experimentId, 'experimentId');
    if (options.runId !== undefined) checkId(options.runId, 'runId');
    return new ActiveTrace(this, { ...options, now: () => this.transport.clock.now() });
  }

  /**
   * Sends finished spans of one trace (exactly one root span) in one OTLP request.
   * @returns MLflow's id of the trace (`tr-…`).
   * @throws LlmopsError `invalid_input` for no or several root spans or malformed ids, `not_found` for an unknown experiment.
   */
  async log(options: LogTraceOptions): Promise<{ traceId: string }> {
    const { spans, otelTraceId, ...rest } = options;
    const { traceIds } = await this.logMany({
      ...rest,
      traces: [{ spans, ...(otelTraceId === undefined ? {} : { otelTraceId }) }],
    });
    return { traceId: traceIds[0] as string };
  }

  /**
   * Sends several finished traces (each with exactly one root span) in one OTLP request: MLflow stores each trace id
   * of the request as its own trace. A batch of traces then costs one request, not one per trace.
   * @returns MLflow's ids of the traces (`tr-…`), in the order given.
   * @throws LlmopsError `invalid_input` for no trace, a trace with no or several root spans, a trace id given twice, or
   * malformed ids (naming the trace's position); `not_found` for an unknown experiment.
   */
  async logMany(options: LogTracesOptions): Promise<{ traceIds: string[] }> {
    checkId(options.experimentId, 'experimentId');
    if (options.runId !== undefined) checkId(options.runId, 'runId');
    if (options.traces.length === 0) throw new LlmopsError('invalid_input', 'traces is empty; expected at least one');
    const seen = new Set<string>();
    const spans: OtlpSpan[] = [];
    const traceIds = options.traces.map((trace, position) => {
      const where = options.traces.length === 1 ? '' : `traces[${position}].`;
      const roots = trace.spans.filter((span) => span.parentSpanId === undefined);
      if (roots.length !== 1) {
        throw new LlmopsError(
          'invalid_input',
          `${where}spans has ${roots.length} root spans (spans without parentSpanId); expected exactly one`,
        );
      }
      const otelTraceId = trace.otelTraceId ?? randomHex(16);
      if (seen.has(otelTraceId)) {
        throw new LlmopsError(
          'invalid_input',
          `${where}otelTraceId ${otelTraceId} is given twice; expected one entry per trace`,
        );
      }
      seen.add(otelTraceId);
      spans.push(
        ...trace.spans.map((span, index) => toOtlpSpan(span, { otelTraceId, field: `${where}spans[${index}]` })),
      );
      return mlflowTraceId(otelTraceId);
    });
    const body = encodeExportTraceRequest({
      resourceAttributes: { 'service.name': 'llmops' },
      scope: { name: '@llmops/mlflow-client', version: '0.1.0' },
      spans,
    });
    const headers: Record<string, string> = {
      'content-type': 'application/x-protobuf',
      accept: 'application/x-protobuf, application/json',
      'x-mlflow-experiment-id': options.experimentId,
    };
    if (options.runId !== undefined) headers['x-mlflow-run-id'] = options.runId;
    await this.transport.send(
      { method: 'POST', path: otlpTracesPath, body, headers, signal: options.signal },
      async (response) => {
        await response.arrayBuffer();
      },
    );
    return { traceIds };
  }

  /**
   * Sets one tag on a stored trace (`PATCH /api/3.0/mlflow/traces/{id}/tags`); an existing tag of that key is
   * replaced. MLflow truncates a value beyond 8,000 characters and refuses its own immutable `mlflow.*` keys.
   * Repeating the call is harmless (the same tag is written again), so it is retried like a GET.
   * MLflow 3.17.2 does not look the trace up first: on a trace it does not have (yet), its SQL store fails a foreign
   * key and answers 400, which reads as `invalid_input`. Ask {@link getInfo} first when the trace may be missing.
   * @throws LlmopsError `invalid_input` for a malformed id or key, or a trace MLflow does not have.
   */
  async setTag(options: { traceId: string; key: string; value: string; signal?: AbortSignal }): Promise<void> {
    const { traceId, key, value } = options;
    checkTraceId(traceId);
    if (typeof key !== 'string' || key === '' || key.length > maxTraceTagKeyLength) {
      throw new LlmopsError('invalid_input', `key "${String(key)}" must be 1 to ${maxTraceTagKeyLength} characters`);
    }
    if (typeof value !== 'string') throw new LlmopsError('invalid_input', `value of tag "${key}" is not a string`);
    await this.transport.json(
      {
        method: 'PATCH',
        path: `/api/3.0/mlflow/traces/${encodeURIComponent(traceId)}/tags`,
        json: { key, value },
        idempotent: true,
        signal: options.signal,
      },
      z.object({}),
    );
  }

  /**
   * Logs a feedback assessment on a stored trace (`POST /api/3.0/mlflow/traces/{id}/assessments`): a named judgement
   * (a score, a pass/fail, a label) with its source, as `mlflow.log_feedback` does; `mlflow.get_trace(id).info.assessments`
   * and MLflow's UI show it. A 5xx answer is tried again (MLflow did not take the call); a timeout is not, since the
   * assessment may have been written and a second call adds a second one.
   * @throws LlmopsError `invalid_input` for a malformed id, name or value; `not_found` when MLflow has no such trace.
   */
  async logFeedback(options: LogFeedbackOptions): Promise<{ assessmentId: string }> {
    const { traceId, name, value } = options;
    checkTraceId(traceId);
    if (typeof name !== 'string' || name.trim() === '' || name.length > maxTraceTagKeyLength) {
      throw new LlmopsError(
        'invalid_input',
        `feedback name "${String(name)}" must be 1 to ${maxTraceTagKeyLength} characters`,
      );
    }
    if (typeof value === 'number' ? !Number.isFinite(value) : typeof value !== 'boolean' && typeof value !== 'string') {
      throw new LlmopsError(
        'invalid_input',
        `feedback "${name}" value ${String(value)} is not a finite number, a boolean or a string`,
      );
    }
    if (!feedbackSourceTypes.has(options.source.type)) {
      throw new LlmopsError(
        'invalid_input',
        `feedback source type "${String(options.source.type)}" is not HUMAN, LLM_JUDGE or CODE`,
      );
    }
    const response = await this.transport.json(
      {
        method: 'POST',
        path: `/api/3.0/mlflow/traces/${encodeURIComponent(traceId)}/assessments`,
        json: {
          assessment: {
            assessment_name: name,
            trace_id: traceId,
            source: { source_type: options.source.type, source_id: options.source.id },
            feedback: { value },
            ...(options.rationale === undefined ? {} : { rationale: options.rationale }),
            ...(options.metadata === undefined ? {} : { metadata: options.metadata }),
          },
        },
        signal: options.signal,
      },
      z.object({ assessment: z.object({ assessment_id: z.string() }) }),
    );
    return { assessmentId: response.assessment.assessment_id };
  }

  /**
   * A trace's summary (state, request and response previews, metadata, tags) from the v3 REST API.
   * @throws LlmopsError `not_found` when there is no such trace.
   */
  async getInfo(traceId: string, options: { signal?: AbortSignal } = {}): Promise<TraceInfo> {
    checkTraceId(traceId);
    const response = await this.transport.json(
      { method: 'GET', path: `/api/3.0/mlflow/traces/${encodeURIComponent(traceId)}`, signal: options.signal },
      traceInfoResponseSchema,
    );
    return response.trace.trace_info;
  }
  /**
   * One page of the trace summaries of some experiments (`POST /api/3.0/mlflow/traces/search`), filtered and ordered as
   * MLflow's `search_traces` does; spans are not included (see {@link batchGet}).
   * @throws LlmopsError `invalid_input` for no experiment, a malformed id, a page size out of 1–500 or a filter MLflow refuses.
   */
  async search(options: SearchTracesOptions): Promise<{ traces: TraceInfo[]; nextPageToken?: string }> {
    if (options.experimentIds.length === 0)
      throw new LlmopsError('invalid_input', 'experimentIds is empty; expected at least one experiment id');
    options.experimentIds.forEach((id, index) => checkId(id, `experimentIds[${index}]`));
    const maxResults = options.maxResults ?? 100;
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 500)
      throw new LlmopsError('invalid_input', `maxResults is ${maxResults}; expected an integer from 1 to 500`);
    const response = await this.transport.json(
      {
        method: 'POST',
        path: '/api/3.0/mlflow/traces/search',
        json: {
          locations: options.experimentIds.map((id) => ({
            type: 'MLFLOW_EXPERIMENT',
            mlflow_experiment: { experiment_id: id },
          })),
          max_results: maxResults,
          ...(options.filter ? { filter: options.filter } : {}),
          ...(options.orderBy ? { order_by: options.orderBy } : {}),
          ...(options.pageToken ? { page_token: options.pageToken } : {}),
        },
        idempotent: true,
        signal: options.signal,
      },
      searchResponseSchema,
    );
    return {
      traces: response.traces,
      ...(response.next_page_token ? { nextPageToken: response.next_page_token } : {}),
    };
  }

  /**
   * Traces with their spans, by MLflow trace id (`GET /api/3.0/mlflow/traces/batchGet`); ids MLflow does not have are
   * left out of the answer, which keeps MLflow's order (not necessarily the order asked).
   * @throws LlmopsError `invalid_input` for a malformed id or more than {@link maxTracesPerBatchGet} ids.
   */
  async batchGet(traceIds: readonly string[], options: { signal?: AbortSignal } = {}): Promise<StoredTrace[]> {
    if (traceIds.length === 0) return [];
    if (traceIds.length > maxTracesPerBatchGet)
      throw new LlmopsError(
        'invalid_input',
        `batchGet asks ${traceIds.length} traces; expected at most ${maxTracesPerBatchGet} a call`,
      );
    traceIds.forEach(checkTraceId);
    const response = await this.transport.json(
      {
        method: 'GET',
        path: '/api/3.0/mlflow/traces/batchGet',
        query: { trace_ids: [...traceIds] },
        signal: options.signal,
      },
      batchGetResponseSchema,
    );
    return response.traces;
  }
}
