import { LlmopsError } from '@llmops/kernel';
import { z } from 'zod';
import type { HttpTransport } from './http-transport.js';
import { checkExperimentName, checkId, checkTags, mlflowLimits } from './input-validation.js';
import { checkPageSize, paginate } from './pagination.js';
import type { Page, PageOptions } from './pagination.js';
import { int64, list, tagList, text, toTagList } from './wire-schemas.js';

/** Which experiments or runs a search sees, by lifecycle stage. */
export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

/** An MLflow experiment. */
export type Experiment = z.output<typeof experimentSchema>;

/** The wire shape of an experiment, read into camelCase with MLflow's omitted fields defaulted. */
export const experimentSchema = z
  .object({
    experiment_id: z.string(),
    name: text,
    artifact_location: text,
    lifecycle_stage: z.string().optional().default('active'),
    creation_time: int64(),
    last_update_time: int64(),
    tags: tagList,
  })
  .transform((wire) => ({
    experimentId: wire.experiment_id,
    name: wire.name,
    artifactLocation: wire.artifact_location,
    lifecycleStage: wire.lifecycle_stage,
    creationTime: wire.creation_time,
    lastUpdateTime: wire.last_update_time,
    tags: wire.tags,
  }));

const createResponseSchema = z.object({ experiment_id: z.string() });
const getResponseSchema = z.object({ experiment: experimentSchema });
const searchResponseSchema = z.object({ experiments: list(experimentSchema), next_page_token: z.string().optional() });
const emptySchema = z.object({});

/** Options of {@link ExperimentsApi.create}. */
export interface CreateExperimentOptions {
  name: string;
  /** Where the experiment's artifacts go; the server's default (the artifact proxy) when omitted. */
  artifactLocation?: string;
  tags?: Record<string, string>;
  signal?: AbortSignal;
}

/** Options of {@link ExperimentsApi.search}. */
export interface SearchExperimentsOptions extends PageOptions {
  /** MLflow filter, for example `name LIKE 'llmops-%'` or `tags.team = 'search'`. */
  filter?: string;
  /** For example `['creation_time DESC']`. */
  orderBy?: string[];
  viewType?: ViewType;
}

const experimentsPath = '/api/2.0/mlflow/experiments';
const maxExperimentsPerPage = 50_000;

function checkExperimentTags(tags: Record<string, string> | undefined, field: string): void {
  checkTags(tags, {
    field,
    keyLength: mlflowLimits.experimentTagKeyLength,
    valueLength: mlflowLimits.experimentTagValueLength,
  });
}

/** Experiments: create, get by id or name, search, tag. */
export class ExperimentsApi {
  constructor(private readonly transport: HttpTransport) {}

  /**
   * Creates an experiment and returns its id.
   * @throws LlmopsError `conflict` when the name is taken, `invalid_input` for a bad name or tag.
   */
  async create(options: CreateExperimentOptions): Promise<string> {
    checkExperimentName(options.name);
    checkExperimentTags(options.tags, 'tags');
    const response = await this.transport.json(
      {
        method: 'POST',
        path: `${experimentsPath}/create`,
        json: { name: options.name, artifact_location: options.artifactLocation, tags: toTagList(options.tags) },
        signal: options.signal,
      },
      createResponseSchema,
    );
    return response.experiment_id;
  }

  /**
   * The experiment with this id.
   * @throws LlmopsError `not_found` when there is none.
   */
  async get(experimentId: string, options: { signal?: AbortSignal } = {}): Promise<Experiment> {
    checkId(experimentId, 'experimentId');
    const response = await this.transport.json(
      { method: 'GET', path: `${experimentsPath}/get`, query: { experiment_id: experimentId }, signal: options.signal },
      getResponseSchema,
    );
    return response.experiment;
  }

  /**
   * The experiment with this name.
   * @throws LlmopsError `not_found` when there is none.
   */
  async getByName(name: string, options: { signal?: AbortSignal } = {}): Promise<Experiment> {
    checkExperimentName(name);
    const response = await this.transport.json(
      {
        method: 'GET',
        path: `${experimentsPath}/get-by-name`,
        query: { experiment_name: name },
        signal: options.signal,
      },
      getResponseSchema,
    );
    return response.experiment;
  }

  /**
   * The id of the experiment with this name, created if missing (safe when two callers race).
   */
  async getOrCreate(options: CreateExperimentOptions): Promise<string> {
    try {
      return (await this.getByName(options.name, { signal: options.signal })).experimentId;
    } catch (error) {
      if (!(LlmopsError.isInstance(error) && error.code === 'not_found')) throw error;
    }
    try {
      return await this.create(options);
    } catch (error) {
      if (LlmopsError.isInstance(error) && error.code === 'conflict') {
        return (await this.getByName(options.name, { signal: options.signal })).experimentId;
      }
      throw error;
    }
  }

  /** One page of experiments matching the search. */
  async searchPage(options: SearchExperimentsOptions = {}): Promise<Page<Experiment>> {
    checkPageSize(options.pageSize, { field: 'pageSize', maximum: maxExperimentsPerPage });
    const response = await this.transport.json(
      {
        method: 'POST',
        path: `${experimentsPath}/search`,
        json: {
          max_results: options.pageSize ?? 1000,
          filter: options.filter,
          order_by: options.orderBy,
          view_type: options.viewType,
          page_token: options.pageToken,
        },
        signal: options.signal,
        idempotent: true,
      },
      searchResponseSchema,
    );
    return { items: response.experiments, nextPageToken: response.next_page_token };
  }

  /** All experiments matching the search, fetched page by page as the iterator is consumed. */
  search(options: SearchExperimentsOptions = {}): AsyncGenerator<Experiment, void, undefined> {
    checkPageSize(options.pageSize, { field: 'pageSize', maximum: maxExperimentsPerPage });
    return paginate((pageToken) => this.searchPage({ ...options, pageToken }), options);
  }

  /**
   * Sets (or overwrites) a tag on an experiment.
   * @throws LlmopsError `not_found` when the experiment does not exist, `invalid_input` for a bad key or value.
   */
  async setTag(options: { experimentId: string; key: string; value: string; signal?: AbortSignal }): Promise<void> {
    checkId(options.experimentId, 'experimentId');
    checkExperimentTags({ [options.key]: options.value }, 'tag');
    await this.transport.json(
      {
        method: 'POST',
        path: `${experimentsPath}/set-experiment-tag`,
        json: { experiment_id: options.experimentId, key: options.key, value: options.value },
        signal: options.signal,
        idempotent: true,
      },
      emptySchema,
    );
  }
}
