import { LlmopsError } from '@llmops/kernel';
import { z } from 'zod';
import { runInputsSchema, toWireDatasetInput } from './dataset-input.js';
import type { DatasetInput } from './dataset-input.js';
import type { ViewType } from './experiments-api.js';
import type { HttpTransport } from './http-transport.js';
import { checkEntityKey, checkId, checkLength, checkTags, checkTimestamp, mlflowLimits } from './input-validation.js';
import { splitLogBatch } from './log-batch-split.js';
import type { WireKeyValue, WireMetric } from './log-batch-split.js';
import { checkPageSize, paginate } from './pagination.js';
import type { Page, PageOptions } from './pagination.js';
import { double, int64, list, optionalInt64, tagList, text, doubleToWire } from './wire-schemas.js';

/** The states of an MLflow run. */
export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

/** One value of a metric. */
export type Metric = z.output<typeof metricSchema>;

/** A run's identity and lifecycle. */
export type RunInfo = z.output<typeof runInfoSchema>;

/** A run: info plus the latest value of each metric, its params and tags, and its dataset inputs. */
export type Run = z.output<typeof runSchema>;

/** A metric value as MLflow writes it (non-finite values as strings). */
export const metricSchema = z.object({
  key: z.string(),
  value: double,
  timestamp: int64(),
  step: int64(),
});

/** The wire shape of a run's info, read into camelCase. */
export const runInfoSchema = z
  .object({
    run_id: z.string().optional(),
    run_uuid: z.string().optional(),
    experiment_id: z.string(),
    run_name: text,
    user_id: text,
    status: z.string().optional().default('RUNNING'),
    start_time: int64(),
    end_time: optionalInt64,
    artifact_uri: text,
    lifecycle_stage: z.string().optional().default('active'),
  })
  .refine((wire) => wire.run_id !== undefined || wire.run_uuid !== undefined, { message: 'run_id is missing' })
  .transform((wire) => ({
    runId: (wire.run_id ?? wire.run_uuid) as string,
    experimentId: wire.experiment_id,
    runName: wire.run_name,
    userId: wire.user_id,
    status: wire.status as RunStatus,
    startTime: wire.start_time,
    endTime: wire.end_time,
    artifactUri: wire.artifact_uri,
    lifecycleStage: wire.lifecycle_stage,
  }));

/** The wire shape of a run. */
export const runSchema = z
  .object({
    info: runInfoSchema,
    data: z
      .object({
        metrics: list(metricSchema),
        params: tagList,
        tags: tagList,
      })
      .optional()
      .default({ metrics: [], params: {}, tags: {} }),
    inputs: runInputsSchema,
  })
  .transform((wire) => ({ info: wire.info, data: wire.data, inputs: wire.inputs }));

const runResponseSchema = z.object({ run: runSchema });
const updateResponseSchema = z.object({ run_info: runInfoSchema });
const searchResponseSchema = z.object({ runs: list(runSchema), next_page_token: z.string().optional() });
const metricHistorySchema = z.object({ metrics: list(metricSchema), next_page_token: z.string().optional() });
const emptySchema = z.object({});

/** A metric value to log. */
export interface MetricInput {
  key: string;
  /** Any double; NaN and ±Infinity are sent the way MLflow expects. */
  value: number;
  /** Milliseconds since the epoch; the client's clock when omitted. */
  timestamp?: number;
  /** Training step or evaluation round; 0 when omitted. */
  step?: number;
}

/** Options of {@link RunsApi.logBatch}. */
export interface LogBatchOptions {
  runId: string;
  metrics?: MetricInput[];
  /** Params (at most 6000 characters each); a param cannot change once logged. */
  params?: Record<string, string>;
  tags?: Record<string, string>;
  signal?: AbortSignal;
}

/** Options of {@link RunsApi.logInputs}. */
export interface LogInputsOptions {
  runId: string;
  /** The datasets the run used; the same name and digest logged twice is recorded once. */
  datasets: DatasetInput[];
  signal?: AbortSignal;
}

/** Options of {@link RunsApi.search}. */
export interface SearchRunsOptions extends PageOptions {
  experimentIds: string[];
  /** MLflow filter, for example `metrics.accuracy > 0.9 and params.model = 'gpt-4o'`. */
  filter?: string;
  /** For example `['metrics.accuracy DESC', 'start_time DESC']`. */
  orderBy?: string[];
  viewType?: ViewType;
}

const runsPath = '/api/2.0/mlflow/runs';
const maxRunsPerPage = 50_000;

/** Runs: create, update status and end time, get, search, log metrics/params/tags in batches, log dataset inputs. */
export class RunsApi {
  constructor(private readonly transport: HttpTransport) {}

  /**
   * Starts a run in an experiment.
   * @throws LlmopsError `not_found` when the experiment does not exist, `invalid_input` for bad tags.
   */
  async create(options: {
    experimentId: string;
    runName?: string;
    /** Milliseconds since the epoch; the client's clock when omitted. */
    startTime?: number;
    tags?: Record<string, string>;
    signal?: AbortSignal;
  }): Promise<Run> {
    checkId(options.experimentId, 'experimentId');
    checkRunTags(options.tags, 'tags');
    const startTime = options.startTime ?? this.transport.clock.now();
    checkTimestamp(startTime, 'startTime');
    const response = await this.transport.json(
      {
        method: 'POST',
        path: `${runsPath}/create`,
        json: {
          experiment_id: options.experimentId,
          run_name: options.runName,
          start_time: startTime,
          tags:
            options.tags === undefined
              ? undefined
              : Object.entries(options.tags).map(([key, value]) => ({ key, value })),
        },
        signal: options.signal,
      },
      runResponseSchema,
    );
    return response.run;
  }

  /**
   * The run with this id, with the latest value of each metric.
   * @throws LlmopsError `not_found` when there is none.
   */
  async get(runId: string, options: { signal?: AbortSignal } = {}): Promise<Run> {
    checkId(runId, 'runId');
    const response = await this.transport.json(
      { method: 'GET', path: `${runsPath}/get`, query: { run_id: runId }, signal: options.signal },
      runResponseSchema,
    );
    return response.run;
  }

  /** Changes a run's status, end time or name; returns the updated info. */
  async update(options: {
    runId: string;
    status?: RunStatus;
    endTime?: number;
    runName?: string;
    signal?: AbortSignal;
  }): Promise<RunInfo> {
    checkId(options.runId, 'runId');
    if (options.endTime !== undefined) checkTimestamp(options.endTime, 'endTime');
    const response = await this.transport.json(
      {
        method: 'POST',
        path: `${runsPath}/update`,
        json: { run_id: options.runId, status: options.status, end_time: options.endTime, run_name: options.runName },
        signal: options.signal,
        idempotent: true,
      },
      updateResponseSchema,
    );
    return response.run_info;
  }

  /** Ends a run: status `FINISHED` (or the one given) and the end time (the client's clock when omitted). */
  async end(options: {
    runId: string;
    status?: 'FINISHED' | 'FAILED' | 'KILLED';
    endTime?: number;
    signal?: AbortSignal;
  }): Promise<RunInfo> {
    return this.update({
      runId: options.runId,
      status: options.status ?? 'FINISHED',
      endTime: options.endTime ?? this.transport.clock.now(),
      signal: options.signal,
    });
  }

  /** Marks a run deleted (it can be restored on the server). */
  async delete(runId: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    checkId(runId, 'runId');
    await this.transport.json(
      { method: 'POST', path: `${runsPath}/delete`, json: { run_id: runId }, signal: options.signal, idempotent: true },
      emptySchema,
    );
  }

  /** Sets (or overwrites) a tag on a run. */
  async setTag(options: { runId: string; key: string; value: string; signal?: AbortSignal }): Promise<void> {
    checkId(options.runId, 'runId');
    checkEntityKey(options.key, 'key');
    checkLength(options.value, { field: 'value', maximum: mlflowLimits.runTagValueLength });
    await this.transport.json(
      {
        method: 'POST',
        path: `${runsPath}/set-tag`,
        json: { run_id: options.runId, key: options.key, value: options.value },
        signal: options.signal,
        idempotent: true,
      },
      emptySchema,
    );
  }

  /**
   * Logs metrics, params and tags, split into as many `log-batch` requests as MLflow's limits need
   * (1000 metrics, 100 params, 100 tags, 1000 entities and 1 MB per request). Everything is
   * validated before the first request, so bad input logs nothing.
   * @returns how many requests were sent.
   * @throws LlmopsError `invalid_input` naming the first bad metric, param or tag.
   */
  async logBatch(options: LogBatchOptions): Promise<{ requests: number }> {
    checkId(options.runId, 'runId');
    const now = this.transport.clock.now();
    const metrics: WireMetric[] = (options.metrics ?? []).map((metric, index) => toWireMetric(metric, { index, now }));
    const params: WireKeyValue[] = Object.entries(options.params ?? {}).map(([key, value]) => {
      checkEntityKey(key, `params[${JSON.stringify(key)}] key`);
      checkLength(value, { field: `params[${JSON.stringify(key)}] value`, maximum: mlflowLimits.paramValueLength });
      return { key, value };
    });
    checkRunTags(options.tags, 'tags');
    const tags: WireKeyValue[] = Object.entries(options.tags ?? {}).map(([key, value]) => ({ key, value }));
    const chunks = splitLogBatch({ metrics, params, tags });
    for (const chunk of chunks) {
      await this.transport.json(
        {
          method: 'POST',
          path: `${runsPath}/log-batch`,
          json: { run_id: options.runId, metrics: chunk.metrics, params: chunk.params, tags: chunk.tags },
          signal: options.signal,
          // Re-sending the same entities is harmless: metrics are keyed by (key, timestamp, step, value), params may repeat unchanged.
          idempotent: true,
        },
        emptySchema,
      );
    }
    return { requests: chunks.length };
  }

  /**
   * Records datasets as inputs of a run (`runs/log-inputs`), shown by MLflow's UI under "Datasets
   * used" and read back in `run.inputs.datasetInputs`. Everything is validated before the first
   * request; more than 1000 datasets are sent 1000 per request. An empty list sends nothing.
   * @returns how many requests were sent.
   * @throws LlmopsError `invalid_input` naming the first missing or too long field (`datasets[2].digest`),
   * `not_found` when the run does not exist.
   */
  async logInputs(options: LogInputsOptions): Promise<{ requests: number }> {
    checkId(options.runId, 'runId');
    if (!Array.isArray(options.datasets)) {
      throw new LlmopsError(
        'invalid_input',
        `datasets is ${typeof options.datasets}; expected a list of {name, digest, sourceType, source}`,
      );
    }
    const datasets = options.datasets.map((dataset, index) => toWireDatasetInput(dataset, `datasets[${index}]`));
    let requests = 0;
    for (let start = 0; start < datasets.length; start += mlflowLimits.datasetsPerRequest) {
      await this.transport.json(
        {
          method: 'POST',
          path: `${runsPath}/log-inputs`,
          json: { run_id: options.runId, datasets: datasets.slice(start, start + mlflowLimits.datasetsPerRequest) },
          signal: options.signal,
          // MLflow records a (name, digest) input of a run once, so sending it again changes nothing.
          idempotent: true,
        },
        emptySchema,
      );
      requests += 1;
    }
    return { requests };
  }

  /** One page of runs matching the search. */
  async searchPage(options: SearchRunsOptions): Promise<Page<Run>> {
    checkSearch(options);
    const response = await this.transport.json(
      {
        method: 'POST',
        path: `${runsPath}/search`,
        json: {
          experiment_ids: options.experimentIds,
          filter: options.filter,
          order_by: options.orderBy,
          run_view_type: options.viewType,
          max_results: options.pageSize ?? 1000,
          page_token: options.pageToken,
        },
        signal: options.signal,
        idempotent: true,
      },
      searchResponseSchema,
    );
    return { items: response.runs, nextPageToken: response.next_page_token };
  }

  /**
   * All runs matching the search, in the requested order, fetched page by page (`pageSize`
   * per request) as the iterator is consumed.
   */
  search(options: SearchRunsOptions): AsyncGenerator<Run, void, undefined> {
    checkSearch(options);
    return paginate((pageToken) => this.searchPage({ ...options, pageToken }), options);
  }

  /** Every logged value of one metric of a run. */
  async getMetricHistory(options: { runId: string; key: string; signal?: AbortSignal }): Promise<Metric[]> {
    checkId(options.runId, 'runId');
    checkEntityKey(options.key, 'key');
    const values: Metric[] = [];
    const pages = paginate(async (pageToken) => {
      const response = await this.transport.json(
        {
          method: 'GET',
          path: '/api/2.0/mlflow/metrics/get-history',
          query: { run_id: options.runId, metric_key: options.key, page_token: pageToken, max_results: 25_000 },
          signal: options.signal,
        },
        metricHistorySchema,
      );
      return { items: response.metrics, nextPageToken: response.next_page_token };
    });
    for await (const metric of pages) values.push(metric);
    return values;
  }
}

function checkRunTags(tags: Record<string, string> | undefined, field: string): void {
  checkTags(tags, { field, keyLength: mlflowLimits.entityKeyLength, valueLength: mlflowLimits.runTagValueLength });
}

function checkSearch(options: SearchRunsOptions): void {
  if (!Array.isArray(options.experimentIds) || options.experimentIds.length === 0) {
    throw new LlmopsError('invalid_input', 'experimentIds is empty; expected the ids of the experiments to search');
  }
  options.experimentIds.forEach((id, index) => checkId(id, `experimentIds[${index}]`));
  checkPageSize(options.pageSize, { field: 'pageSize', maximum: maxRunsPerPage });
}

function toWireMetric(metric: MetricInput, context: { index: number; now: number }): WireMetric {
  const field = `metrics[${context.index}]`;
  checkEntityKey(metric.key, `${field}.key`);
  if (typeof metric.value !== 'number') {
    throw new LlmopsError('invalid_input', `${field}.value is ${typeof metric.value}; expected a number`);
  }
  const timestamp = metric.timestamp ?? context.now;
  checkTimestamp(timestamp, `${field}.timestamp`);
  const step = metric.step ?? 0;
  if (!Number.isSafeInteger(step))
    throw new LlmopsError('invalid_input', `${field}.step is ${step}; expected a whole number`);
  return { key: metric.key, value: doubleToWire(metric.value), timestamp, step };
}
