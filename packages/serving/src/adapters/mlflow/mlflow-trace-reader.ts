import { LlmopsError } from '@llmops/kernel';
import { maxTracesPerBatchGet, mlflowTraceId } from '@llmops/mlflow-client';
import type { MlflowClient, StoredTrace } from '@llmops/mlflow-client';
import type { PipelineTrace } from '../../application/pipeline.js';
import type { TraceListOptions, TraceReader } from '../../ports.js';
import { parseTraceListOptions } from '../trace-list-options.js';
import type { ParsedTraceListOptions } from '../trace-list-options.js';
import { recordOfStoredTrace } from './mlflow-stored-trace-record.js';
import { llmopsTraceTags } from './mlflow-trace-spans.js';

/** Options of {@link MlflowTraceReader}. */
export interface MlflowTraceReaderOptions {
  client: MlflowClient;
  /** The id of the experiment the traces are in (the trace sink's: `llmops-serving` by default). */
  experiment: () => Promise<string>;
}

/** MLflow's largest page of a trace search. */
const searchPageSize = 500;

/** Model names and versions as the registry allows them (MLflow's rule); any other filter value matches no trace. */
const modelFilterPattern = /^[A-Za-z0-9_.-]+(\/[0-9]+)?$/;

/** MLflow's filter string for the list's filters, or `null` when no trace can match. */
function filterStringOf(filter: ParsedTraceListOptions): string | null {
  const conditions: string[] = [];
  const tag = (key: string) => `tags.\`${key}\``;
  if (filter.model !== undefined) {
    if (!modelFilterPattern.test(filter.model)) return null;
    const key = filter.model.includes('/') ? llmopsTraceTags.model : llmopsTraceTags.modelName;
    conditions.push(`${tag(key)} = '${filter.model}'`);
  }
  if (filter.status !== undefined) conditions.push(`${tag(llmopsTraceTags.status)} = '${filter.status}'`);
  if (filter.blocked !== undefined)
    conditions.push(`${tag(llmopsTraceTags.outcome)} ${filter.blocked ? '=' : '!='} 'blocked'`);
  if (filter.since !== undefined) conditions.push(`trace.timestamp_ms >= ${Math.ceil(filter.since)}`);
  return conditions.join(' AND ');
}

/**
 * Reads served traces back from the MLflow experiment the {@link MlflowTraceSink} writes to: a page of summaries from
 * MLflow's trace search (newest first, filtered on the `llmops.*` tags), then their spans by id, each turned back into
 * the pipeline's record (the root span's `llmops.record`), so that the API and the CLI show the same facts as on the
 * embedded store. MLflow pages by token, not offset: a page at offset N reads the N traces before it too (500 a request),
 * and `count` reads every matching summary, 500 a request.
 */
export class MlflowTraceReader implements TraceReader {
  private readonly client: MlflowClient;
  private readonly experiment: () => Promise<string>;

  constructor(options: MlflowTraceReaderOptions) {
    this.client = options.client;
    this.experiment = options.experiment;
  }

  /** Up to `wanted` MLflow trace ids matching the filter, newest first. */
  private async searchIds(filter: string, wanted: number): Promise<string[]> {
    const experimentId = await this.experiment();
    const ids: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.client.traces.search({
        experimentIds: [experimentId],
        ...(filter ? { filter } : {}),
        orderBy: ['timestamp_ms DESC'],
        maxResults: Math.min(searchPageSize, wanted - ids.length),
        ...(pageToken ? { pageToken } : {}),
      });
      ids.push(...page.traces.map((trace) => trace.traceId));
      pageToken = page.nextPageToken;
    } while (pageToken && ids.length < wanted);
    return ids.slice(0, wanted);
  }

  /** The stored traces of these ids with their spans, in the order of the ids. */
  private async tracesOf(ids: readonly string[]): Promise<StoredTrace[]> {
    const byId = new Map<string, StoredTrace>();
    for (let start = 0; start < ids.length; start += maxTracesPerBatchGet) {
      const batch = await this.client.traces.batchGet(ids.slice(start, start + maxTracesPerBatchGet));
      for (const trace of batch) byId.set(trace.info.traceId, trace);
    }
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async list(options: TraceListOptions = {}): Promise<PipelineTrace[]> {
    const filter = parseTraceListOptions(options);
    const filterString = filterStringOf(filter);
    if (filterString === null) return [];
    const ids = await this.searchIds(filterString, filter.offset + filter.limit);
    const traces = await this.tracesOf(ids.slice(filter.offset));
    return traces.map(recordOfStoredTrace);
  }

  async count(options: Omit<TraceListOptions, 'limit' | 'offset'> = {}): Promise<number> {
    const filterString = filterStringOf(parseTraceListOptions(options));
    if (filterString === null) return 0;
    return (await this.searchIds(filterString, Number.MAX_SAFE_INTEGER)).length;
  }

  /** @throws LlmopsError `invalid_input` for an id that is not 32 lowercase hex characters. */
  async get(traceId: string): Promise<PipelineTrace | undefined> {
    if (!/^[0-9a-f]{32}$/.test(traceId))
      throw new LlmopsError('invalid_input', `trace id "${traceId}" is not 32 lowercase hex characters`);
    const experimentId = await this.experiment();
    const [trace] = await this.tracesOf([mlflowTraceId(traceId)]);
    // A trace of another experiment is not one of this store's served requests.
    if (!trace || trace.info.experimentId !== experimentId) return undefined;
    return recordOfStoredTrace(trace);
  }
}
