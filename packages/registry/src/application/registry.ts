import { systemClock } from '@llmops/kernel';
import type { Clock, ProviderCatalog, Reference } from '@llmops/kernel';
import type { AuditEntry } from '../domain/audit-entry.js';
import type { ModelInfo, ModelVersion } from '../domain/model.js';
import type { PromptInfo, PromptVersion } from '../domain/prompt.js';
import { assertSubjectName } from '../domain/registry-names.js';
import type { SubjectKind } from '../domain/registry-names.js';
import type { AttachEvidenceRequest, EvaluationEvidence, RegistryStore } from '../ports.js';
import { deleteAlias, setAlias } from './alias-moves.js';
import type { AliasMove, DeleteAliasInput, SetAliasInput } from './alias-moves.js';
import { aliasesPointingTo, requireModelVersion, requireSubject } from './lookups.js';
import { noEvaluationEvidence } from './no-evaluation-evidence.js';
import { promoteModel, rollbackModel } from './promotion.js';
import type { PromoteInput, PromotionResult, RollbackInput, RollbackResult } from './promotion.js';
import { resolveModel, resolvePrompt } from './reference-resolution.js';
import { registerModel, registerPrompt } from './registration.js';
import type { RegisterModelInput, RegisterPromptInput, Registration } from './registration.js';
import { ResolutionCache } from './resolution-cache.js';
import type { RegistryContext } from './registry-context.js';

/** Options of {@link createRegistry}. */
export interface RegistryOptions {
  store: RegistryStore;
  /** Where promotion reads evaluation evidence; {@link noEvaluationEvidence} (finds none) by default. */
  evidence?: EvaluationEvidence;
  clock?: Clock;
  /** Who acts when a call names nobody; `unknown` by default. */
  actor?: string;
  /**
   * How long a resolved reference is cached for a remote store (MLflow); 5 seconds by default. A local
   * store (SQLite) is cached until a write, by this process or (seen through its change marker) another.
   */
  remoteCacheTtlMs?: number;
  /**
   * How often a local store's change marker (SQLite's `data_version`) is read: a promotion by another process is
   * served within this window. 1 000 ms by default.
   */
  changeCheckIntervalMs?: number;
  /**
   * The live providers (`createProviderRegistry()` of `@llmops/providers`): a model version naming an
   * unknown provider, or bad provider-specific fields, is refused at registration. Unchecked when absent.
   */
  providers?: ProviderCatalog;
}

/** A prompt version with the aliases that point to it. */
export type PromptVersionView = PromptVersion & { aliases: string[] };
/** A model version with the aliases that point to it. */
export type ModelVersionView = ModelVersion & { aliases: string[] };

/** The default TTL of resolved references for a remote store. */
export const defaultRemoteCacheTtlMs = 5_000;

/**
 * The registry's use cases over a {@link RegistryStore}: registering prompts and model versions,
 * resolving references (cached), moving aliases by compare-and-set, gated promotion, rollback and
 * the audit trail.
 */
export class Registry {
  private readonly context: RegistryContext;

  constructor(options: RegistryOptions) {
    const clock = options.clock ?? systemClock;
    const local = options.store.locality === 'local';
    const changeMarker = options.store.changeMarker?.bind(options.store);
    this.context = {
      store: options.store,
      evidence: options.evidence ?? noEvaluationEvidence,
      clock,
      actor: options.actor ?? 'unknown',
      ...(options.providers ? { providers: options.providers } : {}),
      cache: new ResolutionCache({
        clock,
        ttlMs: local ? Number.POSITIVE_INFINITY : (options.remoteCacheTtlMs ?? defaultRemoteCacheTtlMs),
        ...(changeMarker ? { changeMarker } : {}),
        ...(options.changeCheckIntervalMs === undefined
          ? {}
          : { changeCheckIntervalMs: options.changeCheckIntervalMs }),
      }),
    };
  }

  /** The store this registry works on. */
  get store(): RegistryStore {
    return this.context.store;
  }

  /** Registers a prompt version; idempotent by template. See {@link registerPrompt}. */
  registerPrompt(input: RegisterPromptInput): Promise<Registration<PromptVersion>> {
    return registerPrompt(this.context, input);
  }

  /** Registers a model version from a spec; idempotent by content hash. See {@link registerModel}. */
  registerModel(input: RegisterModelInput): Promise<Registration<ModelVersion>> {
    return registerModel(this.context, input);
  }

  /** Resolves `name`, `name@alias` or `name/7` to a prompt version (cached). */
  resolvePrompt(reference: string | Reference): Promise<PromptVersion> {
    return resolvePrompt(this.context, reference);
  }

  /** Resolves `name`, `name@alias` or `name/7` to a model version (cached). */
  resolveModel(reference: string | Reference): Promise<ModelVersion> {
    return resolveModel(this.context, reference);
  }

  /** The prompt version a reference points to, with the aliases pointing to it. */
  async showPrompt(reference: string | Reference): Promise<PromptVersionView> {
    const version = await this.resolvePrompt(reference);
    const info = await requireSubject(this.context.store, { kind: 'prompt', name: version.name });
    return { ...version, aliases: aliasesPointingTo(info, version.version) };
  }

  /** The model version a reference points to, with the aliases pointing to it. */
  async showModel(reference: string | Reference): Promise<ModelVersionView> {
    const version = await this.resolveModel(reference);
    const info = await requireSubject(this.context.store, { kind: 'model', name: version.name });
    return { ...version, aliases: aliasesPointingTo(info, version.version) };
  }

  /**
   * The prompt named `name`, with its newest version and aliases.
   * @throws LlmopsError `not_found`.
   */
  async getPrompt(name: string): Promise<PromptInfo> {
    assertSubjectName(name, 'prompt');
    return (await requireSubject(this.context.store, { kind: 'prompt', name })) as PromptInfo;
  }

  /**
   * The model named `name`, with its newest version and aliases.
   * @throws LlmopsError `not_found`.
   */
  async getModel(name: string): Promise<ModelInfo> {
    assertSubjectName(name, 'model');
    return (await requireSubject(this.context.store, { kind: 'model', name })) as ModelInfo;
  }

  /** All prompts. */
  listPrompts(): Promise<PromptInfo[]> {
    return this.context.store.listPrompts();
  }

  /** All models. */
  listModels(): Promise<ModelInfo[]> {
    return this.context.store.listModels();
  }

  /**
   * The versions of a prompt, oldest first.
   * @throws LlmopsError `not_found` for an unknown prompt.
   */
  async listPromptVersions(name: string): Promise<PromptVersion[]> {
    await this.getPrompt(name);
    return this.context.store.listPromptVersions(name);
  }

  /**
   * The versions of a model, oldest first.
   * @throws LlmopsError `not_found` for an unknown model.
   */
  async listModelVersions(name: string): Promise<ModelVersion[]> {
    await this.getModel(name);
    return this.context.store.listModelVersions(name);
  }

  /** Points an alias at a version by compare-and-set, audited. See {@link setAlias}. */
  setAlias(input: SetAliasInput): Promise<AliasMove> {
    return setAlias(this.context, input);
  }

  /** Deletes an alias by compare-and-set, audited. See {@link deleteAlias}. */
  deleteAlias(input: DeleteAliasInput): Promise<AliasMove> {
    return deleteAlias(this.context, input);
  }

  /** Promotes a model version under a policy. See {@link promoteModel}. */
  promote(input: PromoteInput): Promise<PromotionResult> {
    return promoteModel(this.context, input);
  }

  /** Rolls an alias back to `previous-<alias>`. See {@link rollbackModel}. */
  rollback(input: RollbackInput): Promise<RollbackResult> {
    return rollbackModel(this.context, input);
  }

  /**
   * The alias changes of a prompt or model, oldest first.
   * @throws LlmopsError `not_found` for an unknown prompt or model.
   */
  async audit(kind: SubjectKind, name: string): Promise<AuditEntry[]> {
    assertSubjectName(name, kind);
    await requireSubject(this.context.store, { kind, name });
    return this.context.store.listAudit(kind, name);
  }

  /**
   * Attaches evaluation evidence to a model version.
   * @throws LlmopsError `not_found` for an unknown model or version.
   */
  async attachEvidence(request: AttachEvidenceRequest): Promise<ModelVersion> {
    await requireModelVersion(this.context.store, { name: request.name, version: request.version });
    const updated = await this.context.store.attachEvidence(request);
    this.context.cache.clear();
    return updated;
  }

  /** Closes the store. */
  close(): Promise<void> {
    return this.context.store.close();
  }
}

/** Creates a {@link Registry} over a store. */
export function createRegistry(options: RegistryOptions): Registry {
  return new Registry(options);
}
