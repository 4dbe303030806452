import { LlmopsError, parseReference } from '@llmops/kernel';
import type { Reference } from '@llmops/kernel';
import { checkAlias, checkLength, checkPromptName, checkTags, checkVersion, mlflowLimits } from './input-validation.js';
import { paginate } from './pagination.js';
import type { Page, PageOptions } from './pagination.js';
import { isPromptTagKey } from './registry-api.js';
import type { ModelVersion, RegisteredModel, RegistryApi } from './registry-api.js';

/**
 * MLflow Prompt Registry conventions (MLflow 3.17, mlflow/prompt/constants.py): a prompt is a
 * registered model tagged `mlflow.prompt.is_prompt=true`; each prompt version is a model version
 * with the same tag, the template in `mlflow.prompt.text` (chat templates as JSON), the type in
 * `_mlflow_prompt_type` and optional `_mlflow_prompt_model_config` / `_mlflow_prompt_response_format` JSON.
 */
export const promptTags = {
  isPrompt: isPromptTagKey,
  text: 'mlflow.prompt.text',
  type: '_mlflow_prompt_type',
  modelConfig: '_mlflow_prompt_model_config',
  responseFormat: '_mlflow_prompt_response_format',
} as const;

/**
 * The placeholder `source` of prompt versions. MLflow 3.17's server accepts exactly two values for
 * prompt versions and rejects any other: `dummy-source`, which `mlflow.genai.register_prompt` and
 * the MLflow UI send, and `prompt-template`, which MLflow's store-level default sends. We send
 * the former, so our prompt versions are indistinguishable from Python's.
 */
export const promptSourcePlaceholders = { client: 'dummy-source', store: 'prompt-template' } as const;

const reservedVersionTags: ReadonlySet<string> = new Set(Object.values(promptTags));

/** One message of a chat prompt template. */
export interface PromptChatMessage {
  role: string;
  content: string;
}

/** A text template (`"Answer {{question}}"`) or a chat template (a list of messages). */
export type PromptTemplate = string | PromptChatMessage[];

/** A prompt of the registry (without its versions). */
export interface Prompt {
  name: string;
  description: string;
  /** Prompt-level tags, without MLflow's internal ones. */
  tags: Record<string, string>;
  /** Alias name to version number. */
  aliases: Record<string, number>;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
}

/** One immutable version of a prompt. */
export interface PromptVersion {
  name: string;
  version: number;
  type: 'text' | 'chat';
  template: PromptTemplate;
  /** Variables used by the template (`{{ name }}`), sorted. */
  variables: string[];
  /** The commit message (the model version's description). */
  commitMessage: string;
  /** Version tags without MLflow's internal prompt tags. */
  tags: Record<string, string>;
  /** Model settings stored with the version (`_mlflow_prompt_model_config`), if any. */
  modelConfig: Record<string, unknown> | undefined;
  /** Expected response structure (`_mlflow_prompt_response_format`), if any. */
  responseFormat: unknown;
  aliases: string[];
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
}

/** Options of {@link PromptsApi.register}. */
export interface RegisterPromptOptions {
  name: string;
  template: PromptTemplate;
  /** Saved as the version's description (and the prompt's, for a new prompt). */
  commitMessage?: string;
  /** Tags of the version, also set on the prompt (as `mlflow.genai.register_prompt` does). */
  tags?: Record<string, string>;
  /** Model settings to keep with the version, for example `{ model_name: 'gpt-4o', temperature: 0.2 }`. */
  modelConfig?: Record<string, unknown>;
  /** A JSON schema (or any JSON) of the expected response. */
  responseFormat?: unknown;
  signal?: AbortSignal;
}

const variablePattern = /\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*(?:\.[a-zA-Z_][a-zA-Z0-9_]*)*)\s*\}\}/g;

function templateVariables(template: PromptTemplate): string[] {
  const texts = typeof template === 'string' ? [template] : template.map((message) => message.content);
  const names = new Set<string>();
  for (const value of texts) for (const match of value.matchAll(variablePattern)) names.add(match[1] as string);
  return [...names].sort();
}

function parseJsonTag(value: string | undefined, where: string): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new LlmopsError('upstream_error', `${where} is not valid JSON`, { cause: error, retryable: false });
  }
}

function isChatTemplate(value: unknown): value is PromptChatMessage[] {
  return (
    Array.isArray(value) &&
    value.every(
      (message) =>
        typeof message === 'object' &&
        message !== null &&
        typeof message.role === 'string' &&
        typeof message.content === 'string',
    )
  );
}

/**
 * Reads a model version written in the Prompt Registry convention.
 * @throws LlmopsError `not_found` when the version is not a prompt version, `upstream_error` when its tags are malformed.
 */
export function promptVersionFromModelVersion(modelVersion: ModelVersion): PromptVersion {
  const where = `prompt "${modelVersion.name}" version ${modelVersion.version}`;
  const tags = modelVersion.tags;
  if (tags[promptTags.isPrompt] === undefined) {
    throw new LlmopsError(
      'not_found',
      `"${modelVersion.name}" version ${modelVersion.version} is a model version, not a prompt version`,
    );
  }
  const textValue = tags[promptTags.text];
  if (textValue === undefined)
    throw new LlmopsError('upstream_error', `${where} has no ${promptTags.text} tag`, { retryable: false });
  const type = tags[promptTags.type] === 'chat' ? 'chat' : 'text';
  let template: PromptTemplate = textValue;
  if (type === 'chat') {
    const parsed = parseJsonTag(textValue, `${where}: ${promptTags.text}`);
    if (!isChatTemplate(parsed)) {
      throw new LlmopsError('upstream_error', `${where}: chat template is not a list of {role, content} messages`, {
        retryable: false,
      });
    }
    template = parsed;
  }
  const modelConfig = parseJsonTag(tags[promptTags.modelConfig], `${where}: ${promptTags.modelConfig}`);
  return {
    name: modelVersion.name,
    version: modelVersion.version,
    type,
    template,
    variables: templateVariables(template),
    commitMessage: modelVersion.description,
    tags: Object.fromEntries(Object.entries(tags).filter(([key]) => !reservedVersionTags.has(key))),
    modelConfig:
      typeof modelConfig === 'object' && modelConfig !== null ? (modelConfig as Record<string, unknown>) : undefined,
    responseFormat: parseJsonTag(tags[promptTags.responseFormat], `${where}: ${promptTags.responseFormat}`),
    aliases: modelVersion.aliases,
    creationTimestamp: modelVersion.creationTimestamp,
    lastUpdatedTimestamp: modelVersion.lastUpdatedTimestamp,
  };
}

function promptFromRegisteredModel(model: RegisteredModel): Prompt {
  const tags = Object.fromEntries(Object.entries(model.tags).filter(([key]) => key !== promptTags.isPrompt));
  return {
    name: model.name,
    description: model.description,
    tags,
    aliases: model.aliases,
    creationTimestamp: model.creationTimestamp,
    lastUpdatedTimestamp: model.lastUpdatedTimestamp,
  };
}

function checkTemplate(template: PromptTemplate): string {
  if (typeof template === 'string') {
    if (template.length === 0) throw new LlmopsError('invalid_input', 'template is empty; expected the prompt text');
    checkLength(template, { field: 'template', maximum: mlflowLimits.registryTagValueLength });
    return template;
  }
  if (!isChatTemplate(template) || template.length === 0) {
    throw new LlmopsError('invalid_input', 'template is neither text nor a non-empty list of {role, content} messages');
  }
  const serialised = JSON.stringify(template.map((message) => ({ role: message.role, content: message.content })));
  checkLength(serialised, { field: 'template (as JSON)', maximum: mlflowLimits.registryTagValueLength });
  return serialised;
}

/**
 * Prompts in MLflow's Prompt Registry: what this API writes, `mlflow.genai.load_prompt` reads, and
 * it reads what `mlflow.genai.register_prompt` writes. Listings hold prompts only.
 */
export class PromptsApi {
  constructor(private readonly registry: RegistryApi) {}

  /**
   * Registers a new version of a prompt, creating the prompt on first use.
   * @throws LlmopsError `conflict` when a registered model (not a prompt) has the name, `invalid_input` for a bad name, template or tag.
   */
  async register(options: RegisterPromptOptions): Promise<PromptVersion> {
    const { name, signal } = options;
    checkPromptName(name);
    const text = checkTemplate(options.template);
    const userTags = options.tags ?? {};
    checkTags(userTags, {
      field: 'tags',
      keyLength: mlflowLimits.registryTagKeyLength,
      valueLength: mlflowLimits.registryTagValueLength,
    });
    const reserved = Object.keys(userTags).find((key) => reservedVersionTags.has(key));
    if (reserved !== undefined)
      throw new LlmopsError('invalid_input', `tags["${reserved}"] is reserved for MLflow's prompt metadata`);
    const versionTags: Record<string, string> = {
      ...userTags,
      [promptTags.isPrompt]: 'true',
      [promptTags.type]: typeof options.template === 'string' ? 'text' : 'chat',
      [promptTags.text]: text,
    };
    if (options.responseFormat !== undefined)
      versionTags[promptTags.responseFormat] = JSON.stringify(options.responseFormat);
    if (options.modelConfig !== undefined) versionTags[promptTags.modelConfig] = JSON.stringify(options.modelConfig);
    checkTags(versionTags, {
      field: 'tags',
      keyLength: mlflowLimits.registryTagKeyLength,
      valueLength: mlflowLimits.registryTagValueLength,
    });

    const created = await this.ensurePrompt({ name, description: options.commitMessage, tags: userTags, signal });
    try {
      const modelVersion = await this.registry.createModelVersion({
        name,
        source: promptSourcePlaceholders.client,
        description: options.commitMessage,
        tags: versionTags,
        signal,
      });
      return promptVersionFromModelVersion(modelVersion);
    } catch (error) {
      // A prompt with no version is useless and would block a retry's "create": remove it, as MLflow's client does.
      if (created) await this.registry.deleteRegisteredModel(name, { signal }).catch(() => undefined);
      throw error;
    }
  }

  /** Creates the prompt if missing (true when created); refuses a model of the same name; updates tags otherwise. */
  private async ensurePrompt(options: {
    name: string;
    description?: string;
    tags: Record<string, string>;
    signal?: AbortSignal;
  }): Promise<boolean> {
    const { name, signal } = options;
    let existing: RegisteredModel | undefined;
    try {
      existing = await this.registry.getRegisteredModel(name, { signal });
    } catch (error) {
      if (!(LlmopsError.isInstance(error) && error.code === 'not_found')) throw error;
    }
    if (existing === undefined) {
      try {
        await this.registry.createRegisteredModel({
          name,
          description: options.description,
          tags: { [promptTags.isPrompt]: 'true', ...options.tags },
          signal,
        });
        return true;
      } catch (error) {
        if (!(LlmopsError.isInstance(error) && error.code === 'conflict')) throw error;
        // Someone created it meanwhile: check what it is below.
        existing = await this.registry.getRegisteredModel(name, { signal });
      }
    }
    if (!existing.isPrompt) {
      throw new LlmopsError(
        'conflict',
        `"${name}" is a registered model, not a prompt; MLflow does not allow a prompt with the same name as a model`,
      );
    }
    for (const [key, value] of Object.entries(options.tags)) {
      if (existing.tags[key] !== value) await this.registry.setRegisteredModelTag({ name, key, value, signal });
    }
    return false;
  }

  /**
   * The prompt with this name.
   * @throws LlmopsError `not_found` when there is no prompt of that name (also when a model has it).
   */
  async get(name: string, options: { signal?: AbortSignal } = {}): Promise<Prompt> {
    checkPromptName(name);
    return promptFromRegisteredModel(await this.getPromptModel(name, options.signal));
  }

  private async getPromptModel(name: string, signal: AbortSignal | undefined): Promise<RegisteredModel> {
    const model = await this.registry.getRegisteredModel(name, { signal });
    if (!model.isPrompt)
      throw new LlmopsError('not_found', `no prompt named "${name}": it is a registered model, not a prompt`);
    return model;
  }

  /** One page of prompts (models excluded) matching the filter. */
  async searchPage(options: PageOptions & { filter?: string; orderBy?: string[] } = {}): Promise<Page<Prompt>> {
    const page = await this.registry.searchModelsPage(options, { prompts: true });
    return { items: page.items.map(promptFromRegisteredModel), nextPageToken: page.nextPageToken };
  }

  /** All prompts (models excluded) matching the filter, fetched page by page. */
  search(options: PageOptions & { filter?: string; orderBy?: string[] } = {}): AsyncGenerator<Prompt, void, undefined> {
    return paginate((pageToken) => this.searchPage({ ...options, pageToken }), options);
  }

  /** All versions of a prompt, newest first. */
  async listVersions(name: string, options: { signal?: AbortSignal } = {}): Promise<PromptVersion[]> {
    checkPromptName(name);
    await this.getPromptModel(name, options.signal);
    const versions: PromptVersion[] = [];
    const pages = paginate((pageToken) =>
      this.registry.searchVersionsPage(
        {
          filter: `name = '${name}'`,
          orderBy: ['version_number DESC'],
          pageSize: 1000,
          pageToken,
          signal: options.signal,
        },
        { prompts: true },
      ),
    );
    for await (const modelVersion of pages) versions.push(promptVersionFromModelVersion(modelVersion));
    return versions;
  }

  /**
   * One version of a prompt.
   * @throws LlmopsError `not_found` when the prompt or version does not exist or is a model's.
   */
  async getVersion(options: { name: string; version: number; signal?: AbortSignal }): Promise<PromptVersion> {
    checkPromptName(options.name);
    checkVersion(options.version);
    return promptVersionFromModelVersion(await this.registry.getModelVersion(options));
  }

  /**
   * The prompt version a reference points at: `name@alias`, `name/3`, `name` or `name@latest`
   * (the newest version), optionally as a `prompts:/…` URI as in `mlflow.genai.load_prompt`.
   * @throws LlmopsError `invalid_input` for a malformed reference, `not_found` when nothing matches.
   */
  async load(reference: string | Reference, options: { signal?: AbortSignal } = {}): Promise<PromptVersion> {
    const parsed = typeof reference === 'string' ? parseReference(reference.replace(/^prompts:\//, '')) : reference;
    checkPromptName(parsed.name);
    const { signal } = options;
    switch (parsed.kind) {
      case 'version':
        return this.getVersion({ name: parsed.name, version: parsed.version, signal });
      case 'alias':
        return promptVersionFromModelVersion(
          await this.registry.getModelVersionByAlias({ name: parsed.name, alias: parsed.alias, signal }),
        );
      case 'latest': {
        const page = await this.registry.searchVersionsPage(
          { filter: `name = '${parsed.name}'`, orderBy: ['version_number DESC'], pageSize: 1, signal },
          { prompts: true },
        );
        const newest = page.items[0];
        if (newest === undefined)
          throw new LlmopsError('not_found', `no prompt named "${parsed.name}" (or it has no versions)`);
        return promptVersionFromModelVersion(newest);
      }
    }
  }

  /** Points an alias of a prompt at a version. */
  async setAlias(options: { name: string; alias: string; version: number; signal?: AbortSignal }): Promise<void> {
    checkPromptName(options.name);
    checkAlias(options.alias, { forWrite: true });
    await this.registry.setAlias(options);
  }

  /** Removes an alias of a prompt. */
  async deleteAlias(options: { name: string; alias: string; signal?: AbortSignal }): Promise<void> {
    checkPromptName(options.name);
    await this.registry.deleteAlias(options);
  }

  /** Sets (or overwrites) a prompt-level tag. */
  async setTag(options: { name: string; key: string; value: string; signal?: AbortSignal }): Promise<void> {
    checkPromptName(options.name);
    if (reservedVersionTags.has(options.key))
      throw new LlmopsError('invalid_input', `tag "${options.key}" is reserved for MLflow's prompt metadata`);
    await this.registry.setRegisteredModelTag(options);
  }

  /**
   * Deletes a prompt with all its versions and aliases.
   * @throws LlmopsError `not_found` when there is no prompt of that name.
   */
  async delete(name: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    checkPromptName(name);
    await this.getPromptModel(name, options.signal);
    await this.registry.deleteRegisteredModel(name, options);
  }
}
