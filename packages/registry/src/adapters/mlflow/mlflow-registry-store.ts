import { LlmopsError, namePattern } from '@llmops/kernel';
import type { MlflowClient, ModelVersion as MlflowModelVersion, RegisteredModel } from '@llmops/mlflow-client';
import { stringify } from 'yaml';
import type { AuditEntry } from '../../domain/audit-entry.js';
import type { EvidenceLink, ModelInfo, ModelVersion } from '../../domain/model.js';
import type { PromptInfo, PromptVersion } from '../../domain/prompt.js';
import {
  aliasConflictError,
  nameTakenError,
  subjectNotFoundError,
  versionNotFoundError,
} from '../../domain/registry-errors.js';
import type { SubjectKind } from '../../domain/registry-names.js';
import type {
  AttachEvidenceRequest,
  CreatedVersion,
  MoveAliasesRequest,
  NewModelVersion,
  NewPromptVersion,
  RegistryStore,
} from '../../ports.js';
import { MlflowAuditLog } from './mlflow-audit-log.js';
import { llmopsTags, modelArtifactPath, registrationExperimentName, userTags } from './mlflow-conventions.js';
import { toModelVersion, toPromptVersion } from './mlflow-records.js';

/** Options of {@link MlflowRegistryStore}. */
export interface MlflowRegistryStoreOptions {
  /** The client of the MLflow tracking server (its URI, auth, timeouts and retries). */
  client: MlflowClient;
}

function isNotFound(error: unknown): boolean {
  return LlmopsError.isInstance(error) && error.code === 'not_found';
}

async function orUndefined<Value>(work: Promise<Value>): Promise<Value | undefined> {
  try {
    return await work;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

function latestOf(model: RegisteredModel): number {
  return model.latestVersions.reduce((highest, version) => Math.max(highest, version.version), 0);
}

function isOurs(model: RegisteredModel, kind: SubjectKind): boolean {
  return kind === 'prompt' ? model.isPrompt : !model.isPrompt && model.tags[llmopsTags.model] === 'true';
}

function toInfo(model: RegisteredModel): PromptInfo & ModelInfo {
  return {
    name: model.name,
    description: model.description,
    tags: userTags(model.tags),
    createdAt: model.creationTimestamp,
    latestVersion: latestOf(model),
    aliases: { ...model.aliases },
  };
}

/** MLflow keeps a version description in at most 5000 characters (on SQL stores). */
const maxDescriptionLength = 5000;

/** The version description MLflow users read: the spec as YAML, cut to MLflow's limit when very long. */
function describeSpec(spec: NewModelVersion['spec']): string {
  const heading = `llmops model spec (also in tag ${llmopsTags.spec} and artifact ${modelArtifactPath}/spec.yaml):\n\n`;
  const text = heading + stringify(spec);
  if (text.length <= maxDescriptionLength) return text;
  const note = '\n… (cut to fit; the full spec is in the tag and the artifact)';
  return text.slice(0, maxDescriptionLength - note.length) + note;
}

/**
 * The registry on an MLflow tracking server, through `@llmops/mlflow-client`:
 * - prompts in MLflow's Prompt Registry convention (`mlflow.genai.load_prompt("prompts:/NAME@ALIAS")` reads them);
 * - models as registered models tagged `llmops.model=true`, each version created from a registration
 *   run in the experiment `llmops-registry` whose artifact `llmops-model/spec.yaml` is the version's
 *   source; the spec is also in the version's description (YAML) and tag `llmops.spec` (JSON);
 * - aliases as MLflow's own aliases;
 * - the audit trail as one run per alias change in the experiment `llmops-registry-audit`.
 *
 * MLflow has no transactions and no compare-and-set: alias moves check every expectation, then set
 * (check-then-set, a small race window), and idempotent registration searches, then creates.
 */
export class MlflowRegistryStore implements RegistryStore {
  readonly uri: string;
  readonly locality = 'remote' as const;
  private readonly client: MlflowClient;
  private readonly audit: MlflowAuditLog;
  private registrationExperimentId: string | undefined;
  private closed = false;

  constructor(options: MlflowRegistryStoreOptions) {
    this.client = options.client;
    this.uri = options.client.trackingUri;
    this.audit = new MlflowAuditLog(options.client);
  }

  async createPromptVersion(input: NewPromptVersion): Promise<CreatedVersion<PromptVersion>> {
    this.assertOpen();
    const existing = await orUndefined(this.client.registry.getRegisteredModel(input.name));
    if (existing && !existing.isPrompt) throw nameTakenError({ kind: 'prompt', name: input.name });
    if (existing) {
      // Python-registered versions have no hash tag; toPromptVersion computes theirs from the template.
      const versions = await this.client.prompts.listVersions(input.name);
      const same = versions.map(toPromptVersion).filter((version) => version.contentHash === input.contentHash);
      const oldest = same.sort((left, right) => left.version - right.version)[0];
      if (oldest) return { version: oldest, created: false };
    }
    const version = await this.client.prompts.register({
      name: input.name,
      template: input.template,
      commitMessage: input.message,
      tags: {
        ...input.tags,
        [llmopsTags.contentHash]: input.contentHash,
        [llmopsTags.author]: input.author,
        [llmopsTags.createdAt]: String(input.createdAt),
        [llmopsTags.variables]: JSON.stringify(input.variables),
      },
    });
    return { version: toPromptVersion(version), created: true };
  }

  async getPrompt(name: string): Promise<PromptInfo | undefined> {
    this.assertOpen();
    const model = await this.subject({ kind: 'prompt', name });
    return model ? toInfo(model) : undefined;
  }

  async listPrompts(): Promise<PromptInfo[]> {
    this.assertOpen();
    return this.subjects('prompt');
  }

  async getPromptVersion(name: string, version: number): Promise<PromptVersion | undefined> {
    this.assertOpen();
    const found = await orUndefined(this.client.prompts.getVersion({ name, version }));
    return found ? toPromptVersion(found) : undefined;
  }

  async listPromptVersions(name: string): Promise<PromptVersion[]> {
    this.assertOpen();
    const versions = (await orUndefined(this.client.prompts.listVersions(name))) ?? [];
    return versions.map(toPromptVersion).sort((left, right) => left.version - right.version);
  }

  async createModelVersion(input: NewModelVersion): Promise<CreatedVersion<ModelVersion>> {
    this.assertOpen();
    const existing = await orUndefined(this.client.registry.getRegisteredModel(input.name));
    if (existing?.isPrompt) throw nameTakenError({ kind: 'model', name: input.name });
    if (existing && existing.tags[llmopsTags.model] !== 'true') {
      throw new LlmopsError(
        'conflict',
        `cannot register model "${input.name}": MLflow has a registered model of that name that llmops did not create (no tag ${llmopsTags.model}=true)`,
      );
    }
    if (existing) {
      const page = await this.client.registry.searchModelVersionsPage({
        filter: `name = '${input.name}' AND tags.\`${llmopsTags.contentHash}\` = '${input.contentHash}'`,
        orderBy: ['version_number ASC'],
        pageSize: 1,
      });
      const same = page.items[0];
      if (same) return { version: toModelVersion(same), created: false };
    } else {
      await this.createModel(input);
    }
    const version = await this.createVersionFromRun(input);
    if (existing) await this.followLatest(existing, input);
    return { version: toModelVersion(version), created: true };
  }

  async getModel(name: string): Promise<ModelInfo | undefined> {
    this.assertOpen();
    const model = await this.subject({ kind: 'model', name });
    return model ? toInfo(model) : undefined;
  }

  async listModels(): Promise<ModelInfo[]> {
    this.assertOpen();
    return this.subjects('model');
  }

  async getModelVersion(name: string, version: number): Promise<ModelVersion | undefined> {
    this.assertOpen();
    if (!(await this.subject({ kind: 'model', name }))) return undefined;
    const found = await orUndefined(this.client.registry.getModelVersion({ name, version }));
    return found ? toModelVersion(found) : undefined;
  }

  async listModelVersions(name: string): Promise<ModelVersion[]> {
    this.assertOpen();
    if (!(await this.subject({ kind: 'model', name }))) return [];
    const versions: MlflowModelVersion[] = [];
    for await (const version of this.client.registry.searchModelVersions({
      filter: `name = '${name}'`,
      orderBy: ['version_number ASC'],
      pageSize: 1000,
    })) {
      versions.push(version);
    }
    return versions.map(toModelVersion).sort((left, right) => left.version - right.version);
  }

  async attachEvidence(request: AttachEvidenceRequest): Promise<ModelVersion> {
    this.assertOpen();
    const current = await this.getModelVersion(request.name, request.version);
    if (!current) {
      const subject = await this.subject({ kind: 'model', name: request.name });
      throw subject
        ? versionNotFoundError({ kind: 'model', ...request })
        : subjectNotFoundError({ kind: 'model', name: request.name });
    }
    const known = new Set(current.evidence.map((link) => link.runId));
    const added: EvidenceLink[] = [];
    for (const link of request.evidence) {
      if (known.has(link.runId)) continue;
      known.add(link.runId);
      added.push(link);
    }
    if (added.length === 0) return current;
    const evidence: EvidenceLink[] = [...current.evidence, ...added];
    // A read-modify-write of one tag: two writers at once may lose one attachment (no transactions in MLflow).
    await this.client.registry.setModelVersionTag({
      name: request.name,
      version: request.version,
      key: llmopsTags.evidence,
      value: JSON.stringify(evidence),
    });
    return { ...current, evidence };
  }

  async moveAliases(request: MoveAliasesRequest): Promise<void> {
    this.assertOpen();
    const model = await this.subject({ kind: request.kind, name: request.name });
    if (!model) throw subjectNotFoundError({ kind: request.kind, name: request.name });
    const aliases: Record<string, number> = { ...model.aliases };
    for (const change of request.changes) {
      if (
        change.to !== null &&
        !(await orUndefined(this.client.registry.getModelVersion({ name: request.name, version: change.to })))
      ) {
        throw versionNotFoundError({ kind: request.kind, name: request.name, version: change.to });
      }
      const actual = aliases[change.alias] ?? null;
      if (actual !== change.expected) {
        throw aliasConflictError({
          kind: request.kind,
          name: request.name,
          alias: change.alias,
          expected: change.expected,
          actual,
        });
      }
      if (change.to === null) delete aliases[change.alias];
      else aliases[change.alias] = change.to;
    }
    const pending = await this.audit.begin(request.audit);
    try {
      // Check once more right before writing, to keep the window between check and set small.
      const fresh = await this.client.registry.getRegisteredModel(request.name);
      const first = request.changes[0];
      if (first && (fresh.aliases[first.alias] ?? null) !== first.expected) {
        throw aliasConflictError({
          kind: request.kind,
          name: request.name,
          alias: first.alias,
          expected: first.expected,
          actual: fresh.aliases[first.alias] ?? null,
        });
      }
      for (const change of request.changes) {
        if (change.to === null) await this.client.registry.deleteAlias({ name: request.name, alias: change.alias });
        else await this.client.registry.setAlias({ name: request.name, alias: change.alias, version: change.to });
      }
    } catch (error) {
      await this.audit.abandon(pending);
      throw error;
    }
    await this.audit.commit(pending, request.audit[0]?.at ?? Date.now());
  }

  async listAudit(kind: SubjectKind, name: string): Promise<AuditEntry[]> {
    this.assertOpen();
    if (!namePattern.test(name)) return [];
    return this.audit.list(kind, name);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new LlmopsError('unavailable', `store ${this.uri} is closed`);
  }

  /** The registered model of a prompt or model of ours, or undefined (also when the name is the other kind's, or not ours). */
  private async subject(options: { kind: SubjectKind; name: string }): Promise<RegisteredModel | undefined> {
    if (!namePattern.test(options.name)) return undefined;
    const model = await orUndefined(this.client.registry.getRegisteredModel(options.name));
    return model && isOurs(model, options.kind) ? model : undefined;
  }

  private async subjects(kind: SubjectKind): Promise<Array<PromptInfo & ModelInfo>> {
    const filter =
      kind === 'prompt' ? "tags.`mlflow.prompt.is_prompt` = 'true'" : `tags.\`${llmopsTags.model}\` = 'true'`;
    const found: Array<PromptInfo & ModelInfo> = [];
    for await (const model of this.client.registry.searchRegisteredModels({
      filter,
      orderBy: ['name ASC'],
      pageSize: 1000,
    })) {
      if (isOurs(model, kind)) found.push(toInfo(model));
    }
    return found.sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
  }

  private async createModel(input: NewModelVersion): Promise<void> {
    try {
      await this.client.registry.createRegisteredModel({
        name: input.name,
        description: input.spec.description,
        tags: { ...input.spec.tags, [llmopsTags.model]: 'true' },
      });
    } catch (error) {
      if (!(LlmopsError.isInstance(error) && error.code === 'conflict')) throw error;
      // Created meanwhile by someone else: fine if it is an llmops model.
      const model = await this.client.registry.getRegisteredModel(input.name);
      if (!isOurs(model, 'model')) throw nameTakenError({ kind: 'model', name: input.name });
    }
  }

  /**
   * Makes the registered model's description and user tags those of the version just registered
   * (the llmops marker and MLflow's tags stay), so MLflow's model page shows the latest registration.
   */
  private async followLatest(model: RegisteredModel, input: NewModelVersion): Promise<void> {
    const { name, spec } = input;
    if (model.description !== spec.description) {
      await this.client.registry.updateRegisteredModel({ name, description: spec.description });
    }
    const current = userTags(model.tags);
    for (const [key, value] of Object.entries(spec.tags)) {
      if (current[key] !== value) await this.client.registry.setRegisteredModelTag({ name, key, value });
    }
    for (const key of Object.keys(current)) {
      if (!(key in spec.tags)) await this.client.registry.deleteRegisteredModelTag({ name, key });
    }
  }

  /** Creates the version from a registration run whose artifact `llmops-model/spec.yaml` holds the spec. */
  private async createVersionFromRun(input: NewModelVersion): Promise<MlflowModelVersion> {
    this.registrationExperimentId ??= await this.client.experiments.getOrCreate({ name: registrationExperimentName });
    const run = await this.client.runs.create({
      experimentId: this.registrationExperimentId,
      runName: `register ${input.name}`,
      startTime: input.createdAt,
      tags: {
        [llmopsTags.contentHash]: input.contentHash,
        [llmopsTags.author]: input.author,
        'llmops.registered_model': input.name,
      },
    });
    const runId = run.info.runId;
    const yaml = stringify({ spec: input.spec, lineage: input.lineage, contentHash: input.contentHash });
    try {
      await this.client.artifacts.upload({
        artifactUri: run.info.artifactUri,
        path: `${modelArtifactPath}/spec.yaml`,
        content: yaml,
        contentType: 'application/yaml',
      });
      const version = await this.client.registry.createModelVersion({
        name: input.name,
        source: `runs:/${runId}/${modelArtifactPath}`,
        runId,
        description: describeSpec(input.spec),
        // The spec's own tags (`variant`...) and its pipeline and provider per version, for MLflow's UI;
        // the whole spec stays in llmops.spec.
        tags: {
          ...input.spec.tags,
          [llmopsTags.pipeline]: input.spec.pipeline.kind,
          [llmopsTags.provider]: `${input.spec.provider.provider}/${input.spec.provider.model}`,
          [llmopsTags.spec]: JSON.stringify(input.spec),
          [llmopsTags.contentHash]: input.contentHash,
          [llmopsTags.lineage]: JSON.stringify(input.lineage),
          [llmopsTags.evidence]: '[]',
          [llmopsTags.author]: input.author,
          [llmopsTags.createdAt]: String(input.createdAt),
        },
      });
      await this.client.runs.setTag({ runId, key: llmopsTags.registeredVersion, value: String(version.version) });
      await this.client.runs.end({ runId, status: 'FINISHED' });
      return version;
    } catch (error) {
      await this.client.runs.end({ runId, status: 'FAILED' }).catch(() => undefined);
      throw error;
    }
  }
}
