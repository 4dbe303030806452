import { LlmopsError } from '@llmops/kernel';
import { z } from 'zod';
import type { HttpTransport } from './http-transport.js';
import { checkAlias, checkId, checkModelName, checkTags, checkVersion, mlflowLimits } from './input-validation.js';
import { mlflowDetailsOf } from './mlflow-error.js';
import { checkPageSize, paginate } from './pagination.js';
import type { Page, PageOptions } from './pagination.js';
import { int64, list, tagList, text, toTagList, versionNumber } from './wire-schemas.js';

/** The registered-model tag that marks a registered model (and its versions) as a prompt. */
export const isPromptTagKey = 'mlflow.prompt.is_prompt';

/** A version of a registered model (or of a prompt, which MLflow stores the same way). */
export type ModelVersion = z.output<typeof modelVersionSchema>;

/** A registered model, with its aliases and latest versions. */
export type RegisteredModel = z.output<typeof registeredModelSchema>;

/** The wire shape of a model version, read into camelCase with omitted fields defaulted. */
export const modelVersionSchema = z
  .object({
    name: z.string(),
    version: versionNumber,
    creation_timestamp: int64(),
    last_updated_timestamp: int64(),
    description: text,
    source: text,
    run_id: text,
    run_link: text,
    status: z.string().optional().default('READY'),
    status_message: text,
    current_stage: z.string().optional().default('None'),
    user_id: text,
    tags: tagList,
    aliases: list(z.string()),
  })
  .transform((wire) => ({
    name: wire.name,
    version: wire.version,
    creationTimestamp: wire.creation_timestamp,
    lastUpdatedTimestamp: wire.last_updated_timestamp,
    description: wire.description,
    source: wire.source,
    runId: wire.run_id,
    runLink: wire.run_link,
    status: wire.status,
    statusMessage: wire.status_message,
    userId: wire.user_id,
    tags: wire.tags,
    aliases: wire.aliases,
  }));

/** The wire shape of a registered model. */
export const registeredModelSchema = z
  .object({
    name: z.string(),
    creation_timestamp: int64(),
    last_updated_timestamp: int64(),
    description: text,
    user_id: text,
    tags: tagList,
    aliases: list(z.object({ alias: z.string(), version: versionNumber })),
    latest_versions: list(modelVersionSchema),
  })
  .transform((wire) => ({
    name: wire.name,
    creationTimestamp: wire.creation_timestamp,
    lastUpdatedTimestamp: wire.last_updated_timestamp,
    description: wire.description,
    userId: wire.user_id,
    tags: wire.tags,
    /** Alias name to version number. */
    aliases: Object.fromEntries(wire.aliases.map((entry) => [entry.alias, entry.version])) as Record<string, number>,
    latestVersions: wire.latest_versions,
    /** True for prompts of MLflow's Prompt Registry (tagged `mlflow.prompt.is_prompt=true`). */
    isPrompt: wire.tags[isPromptTagKey]?.toLowerCase() === 'true',
  }));

const registeredModelResponseSchema = z.object({ registered_model: registeredModelSchema });
const modelVersionResponseSchema = z.object({ model_version: modelVersionSchema });
const searchModelsResponseSchema = z.object({
  registered_models: list(registeredModelSchema),
  next_page_token: z.string().optional(),
});
const searchVersionsResponseSchema = z.object({
  model_versions: list(modelVersionSchema),
  next_page_token: z.string().optional(),
});
const downloadUriResponseSchema = z.object({ artifact_uri: z.string() });
const emptySchema = z.object({});

/** Options of the registered model and model version searches. */
export interface SearchRegistryOptions extends PageOptions {
  /** MLflow filter, for example `name LIKE 'support-%'` or `tags.team = 'search'`. */
  filter?: string;
  /** For example `['name ASC']` or, for versions, `['version_number DESC']`. */
  orderBy?: string[];
}

/** Options of {@link RegistryApi.createModelVersion}. */
export interface CreateModelVersionOptions {
  name: string;
  /** Where the model's files are: `runs:/<run id>/<path>`, `mlflow-artifacts:/…`, `models:/…` or a storage URI. */
  source: string;
  /** The run that produced the model. */
  runId?: string;
  runLink?: string;
  description?: string;
  tags?: Record<string, string>;
  signal?: AbortSignal;
}

const modelsPath = '/api/2.0/mlflow/registered-models';
const versionsPath = '/api/2.0/mlflow/model-versions';
const maxRegistryPageSize = 1000;

/**
 * Adds the clause that keeps prompts out of (or, with `prompts`, only prompts in) a registry
 * search, unless the filter already speaks of the prompt tag. MLflow's own Python client does the
 * same, and MLflow's SQL stores treat `!= 'true'` as "has no such tag" for models.
 */
export function withPromptFilter(filter: string | undefined, options: { prompts: boolean }): string {
  if (filter !== undefined && filter.includes(isPromptTagKey)) return filter;
  const clause = `tags.\`${isPromptTagKey}\` ${options.prompts ? '=' : '!='} 'true'`;
  return filter === undefined || filter.trim() === '' ? clause : `${filter} AND ${clause}`;
}

function checkRegistryTags(tags: Record<string, string> | undefined, field: string): void {
  checkTags(tags, {
    field,
    keyLength: mlflowLimits.registryTagKeyLength,
    valueLength: mlflowLimits.registryTagValueLength,
  });
}

/** True when an error is MLflow's answer to an alias that is not set (400 `INVALID_PARAMETER_VALUE` "... alias ... not found"). */
function isMissingAlias(error: unknown): boolean {
  const details = mlflowDetailsOf(error);
  return (
    details?.mlflowErrorCode === 'INVALID_PARAMETER_VALUE' &&
    LlmopsError.isInstance(error) &&
    /alias .* not found/i.test(error.message)
  );
}

/** The model registry: registered models, model versions, tags and aliases. Prompts are kept out of listings. */
export class RegistryApi {
  constructor(private readonly transport: HttpTransport) {}

  /**
   * Creates a registered model.
   * @throws LlmopsError `conflict` when the name is taken (by a model or a prompt).
   */
  async createRegisteredModel(options: {
    name: string;
    description?: string;
    tags?: Record<string, string>;
    signal?: AbortSignal;
  }): Promise<RegisteredModel> {
    checkModelName(options.name);
    checkRegistryTags(options.tags, 'tags');
    const response = await this.transport.json(
      {
        method: 'POST',
        path: `${modelsPath}/create`,
        json: { name: options.name, description: options.description, tags: toTagList(options.tags) },
        signal: options.signal,
      },
      registeredModelResponseSchema,
    );
    return response.registered_model;
  }

  /**
   * The registered model with this name (a prompt too: check `isPrompt`).
   * @throws LlmopsError `not_found` when there is none.
   */
  async getRegisteredModel(name: string, options: { signal?: AbortSignal } = {}): Promise<RegisteredModel> {
    checkModelName(name);
    const response = await this.transport.json(
      { method: 'GET', path: `${modelsPath}/get`, query: { name }, signal: options.signal },
      registeredModelResponseSchema,
    );
    return response.registered_model;
  }

  /** One page of registered models (prompts excluded) matching the search. */
  async searchRegisteredModelsPage(options: SearchRegistryOptions = {}): Promise<Page<RegisteredModel>> {
    return this.searchModelsPage(options, { prompts: false });
  }

  /** All registered models (prompts excluded) matching the search, fetched page by page. */
  searchRegisteredModels(options: SearchRegistryOptions = {}): AsyncGenerator<RegisteredModel, void, undefined> {
    checkPageSize(options.pageSize, { field: 'pageSize', maximum: maxRegistryPageSize });
    return paginate((pageToken) => this.searchRegisteredModelsPage({ ...options, pageToken }), options);
  }

  /**
   * Searches registered models; `prompts` selects prompts instead of models.
   * @internal shared with the prompts API.
   */
  async searchModelsPage(
    options: SearchRegistryOptions,
    selection: { prompts: boolean },
  ): Promise<Page<RegisteredModel>> {
    const response = await this.searchPage({
      path: `${modelsPath}/search`,
      schema: searchModelsResponseSchema,
      options,
      selection,
    });
    return { items: response.registered_models, nextPageToken: response.next_page_token };
  }

  /** Changes a registered model's description. */
  async updateRegisteredModel(options: {
    name: string;
    description: string;
    signal?: AbortSignal;
  }): Promise<RegisteredModel> {
    checkModelName(options.name);
    const response = await this.transport.json(
      {
        method: 'PATCH',
        path: `${modelsPath}/update`,
        json: { name: options.name, description: options.description },
        signal: options.signal,
        idempotent: true,
      },
      registeredModelResponseSchema,
    );
    return response.registered_model;
  }

  /**
   * Deletes a registered model with all its versions and aliases.
   * @throws LlmopsError `not_found` when there is none.
   */
  async deleteRegisteredModel(name: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    checkModelName(name);
    await this.transport.json(
      { method: 'DELETE', path: `${modelsPath}/delete`, json: { name }, signal: options.signal },
      emptySchema,
    );
  }

  /** Sets (or overwrites) a tag on a registered model. */
  async setRegisteredModelTag(options: {
    name: string;
    key: string;
    value: string;
    signal?: AbortSignal;
  }): Promise<void> {
    checkModelName(options.name);
    checkRegistryTags({ [options.key]: options.value }, 'tag');
    await this.transport.json(
      {
        method: 'POST',
        path: `${modelsPath}/set-tag`,
        json: { name: options.name, key: options.key, value: options.value },
        signal: options.signal,
        idempotent: true,
      },
      emptySchema,
    );
  }

  /** Removes a tag from a registered model. */
  async deleteRegisteredModelTag(options: { name: string; key: string; signal?: AbortSignal }): Promise<void> {
    checkModelName(options.name);
    await this.transport.json(
      {
        method: 'DELETE',
        path: `${modelsPath}/delete-tag`,
        json: { name: options.name, key: options.key },
        signal: options.signal,
      },
      emptySchema,
    );
  }

  /**
   * Registers a new version of a model from `source` (and the run that produced it).
   * @throws LlmopsError `not_found` when the model or run does not exist, `invalid_input` for a source MLflow refuses.
   */
  async createModelVersion(options: CreateModelVersionOptions): Promise<ModelVersion> {
    checkModelName(options.name);
    if (typeof options.source !== 'string' || options.source.trim() === '') {
      throw new LlmopsError(
        'invalid_input',
        'source is empty; expected the URI of the model files, for example runs:/<run id>/model',
      );
    }
    if (options.runId !== undefined) checkId(options.runId, 'runId');
    checkRegistryTags(options.tags, 'tags');
    const response = await this.transport.json(
      {
        method: 'POST',
        path: `${versionsPath}/create`,
        json: {
          name: options.name,
          source: options.source,
          run_id: options.runId,
          run_link: options.runLink,
          description: options.description,
          tags: toTagList(options.tags),
        },
        signal: options.signal,
      },
      modelVersionResponseSchema,
    );
    return response.model_version;
  }

  /**
   * One version of a registered model.
   * @throws LlmopsError `not_found` when the model or version does not exist.
   */
  async getModelVersion(options: { name: string; version: number; signal?: AbortSignal }): Promise<ModelVersion> {
    checkModelName(options.name);
    checkVersion(options.version);
    const response = await this.transport.json(
      {
        method: 'GET',
        path: `${versionsPath}/get`,
        query: { name: options.name, version: String(options.version) },
        signal: options.signal,
      },
      modelVersionResponseSchema,
    );
    return response.model_version;
  }

  /** One page of model versions (prompt versions excluded) matching the search. */
  async searchModelVersionsPage(options: SearchRegistryOptions = {}): Promise<Page<ModelVersion>> {
    return this.searchVersionsPage(options, { prompts: false });
  }

  /** All model versions (prompt versions excluded) matching the search, fetched page by page. */
  searchModelVersions(options: SearchRegistryOptions = {}): AsyncGenerator<ModelVersion, void, undefined> {
    checkPageSize(options.pageSize, { field: 'pageSize', maximum: maxRegistryPageSize });
    return paginate((pageToken) => this.searchModelVersionsPage({ ...options, pageToken }), options);
  }

  /**
   * Searches model versions; `prompts` selects prompt versions instead.
   * @internal shared with the prompts API.
   */
  async searchVersionsPage(
    options: SearchRegistryOptions,
    selection: { prompts: boolean },
  ): Promise<Page<ModelVersion>> {
    const response = await this.searchPage({
      path: `${versionsPath}/search`,
      schema: searchVersionsResponseSchema,
      options,
      selection,
    });
    return { items: response.model_versions, nextPageToken: response.next_page_token };
  }

  /** One page of a registry search (models or versions), with prompts selected in or out by their tag. */
  private searchPage<Schema extends z.ZodType>(request: {
    path: string;
    schema: Schema;
    options: SearchRegistryOptions;
    selection: { prompts: boolean };
  }): Promise<z.output<Schema>> {
    const { options } = request;
    checkPageSize(options.pageSize, { field: 'pageSize', maximum: maxRegistryPageSize });
    return this.transport.json(
      {
        method: 'GET',
        path: request.path,
        query: {
          filter: withPromptFilter(options.filter, request.selection),
          order_by: options.orderBy,
          max_results: options.pageSize ?? 100,
          page_token: options.pageToken,
        },
        signal: options.signal,
      },
      request.schema,
    );
  }

  /** Sets (or overwrites) a tag on a model version. */
  async setModelVersionTag(options: {
    name: string;
    version: number;
    key: string;
    value: string;
    signal?: AbortSignal;
  }): Promise<void> {
    checkModelName(options.name);
    checkVersion(options.version);
    checkRegistryTags({ [options.key]: options.value }, 'tag');
    await this.transport.json(
      {
        method: 'POST',
        path: `${versionsPath}/set-tag`,
        json: { name: options.name, version: String(options.version), key: options.key, value: options.value },
        signal: options.signal,
        idempotent: true,
      },
      emptySchema,
    );
  }

  /** Removes a tag from a model version. */
  async deleteModelVersionTag(options: {
    name: string;
    version: number;
    key: string;
    signal?: AbortSignal;
  }): Promise<void> {
    checkModelName(options.name);
    checkVersion(options.version);
    await this.transport.json(
      {
        method: 'DELETE',
        path: `${versionsPath}/delete-tag`,
        json: { name: options.name, version: String(options.version), key: options.key },
        signal: options.signal,
      },
      emptySchema,
    );
  }

  /** Deletes one model version. */
  async deleteModelVersion(options: { name: string; version: number; signal?: AbortSignal }): Promise<void> {
    checkModelName(options.name);
    checkVersion(options.version);
    await this.transport.json(
      {
        method: 'DELETE',
        path: `${versionsPath}/delete`,
        json: { name: options.name, version: String(options.version) },
        signal: options.signal,
      },
      emptySchema,
    );
  }

  /** The URI the files of a model version can be downloaded from. */
  async getModelVersionDownloadUri(options: { name: string; version: number; signal?: AbortSignal }): Promise<string> {
    checkModelName(options.name);
    checkVersion(options.version);
    const response = await this.transport.json(
      {
        method: 'GET',
        path: `${versionsPath}/get-download-uri`,
        query: { name: options.name, version: String(options.version) },
        signal: options.signal,
      },
      downloadUriResponseSchema,
    );
    return response.artifact_uri;
  }

  /**
   * Points an alias at a version (moving it if it pointed elsewhere).
   * @throws LlmopsError `invalid_input` for a reserved or malformed alias, `not_found` when the model or version does not exist.
   */
  async setAlias(options: { name: string; alias: string; version: number; signal?: AbortSignal }): Promise<void> {
    checkModelName(options.name);
    checkAlias(options.alias, { forWrite: true });
    checkVersion(options.version);
    await this.transport.json(
      {
        method: 'POST',
        path: `${modelsPath}/alias`,
        json: { name: options.name, alias: options.alias, version: String(options.version) },
        signal: options.signal,
        idempotent: true,
      },
      emptySchema,
    );
  }

  /** Removes an alias (MLflow answers success when it was not set). */
  async deleteAlias(options: { name: string; alias: string; signal?: AbortSignal }): Promise<void> {
    checkModelName(options.name);
    checkAlias(options.alias, { forWrite: false });
    await this.transport.json(
      {
        method: 'DELETE',
        path: `${modelsPath}/alias`,
        json: { name: options.name, alias: options.alias },
        signal: options.signal,
      },
      emptySchema,
    );
  }

  /**
   * The version an alias points at. `latest` resolves to the newest version.
   * @throws LlmopsError `not_found` when the model does not exist or the alias is not set
   *   (MLflow answers the latter with 400 INVALID_PARAMETER_VALUE).
   */
  async getModelVersionByAlias(options: { name: string; alias: string; signal?: AbortSignal }): Promise<ModelVersion> {
    checkModelName(options.name);
    checkAlias(options.alias, { forWrite: false });
    try {
      const response = await this.transport.json(
        {
          method: 'GET',
          path: `${modelsPath}/alias`,
          query: { name: options.name, alias: options.alias },
          signal: options.signal,
        },
        modelVersionResponseSchema,
      );
      return response.model_version;
    } catch (error) {
      if (isMissingAlias(error)) {
        throw new LlmopsError('not_found', `alias "${options.alias}" is not set on "${options.name}"`, {
          cause: error,
          details: (error as LlmopsError).details,
        });
      }
      throw error;
    }
  }
}
