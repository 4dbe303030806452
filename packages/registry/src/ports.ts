import type { AuditEntry } from './domain/audit-entry.js';
import type { EvaluationRecord } from './domain/evaluation-record.js';
import type { EvidenceLink, ModelInfo, ModelLineage, ModelVersion } from './domain/model.js';
import type { ModelVersionSpec } from '@llmops/kernel';
import type { PromptInfo, PromptVersion } from './domain/prompt.js';
import type { PromptTemplate } from './domain/prompt-template.js';
import type { SubjectKind } from './domain/registry-names.js';

export type { Clock } from '@llmops/kernel';

/** A prompt version to store; the store assigns the version number. */
export interface NewPromptVersion {
  name: string;
  template: PromptTemplate;
  variables: string[];
  message: string;
  tags: Readonly<Record<string, string>>;
  author: string;
  createdAt: number;
  contentHash: string;
}

/** A model version to store; the store assigns the version number. */
export interface NewModelVersion {
  name: string;
  spec: ModelVersionSpec;
  contentHash: string;
  lineage: ModelLineage;
  author: string;
  createdAt: number;
}

/** A version a create call returned: the new one, or the existing one with the same content. */
export interface CreatedVersion<Version> {
  version: Version;
  /** False when a version with the same content hash existed and was returned instead. */
  created: boolean;
}

/** One alias move of a compare-and-set: it happens only if the alias still points to `expected`. */
export interface AliasChange {
  alias: string;
  /** The version the alias must point to now, or null when it must not be set. */
  expected: number | null;
  /** The version to point it to, or null to delete it. */
  to: number | null;
}

/** Alias moves of one prompt or model, applied together with their audit entries. */
export interface MoveAliasesRequest {
  kind: SubjectKind;
  name: string;
  changes: readonly AliasChange[];
  audit: readonly AuditEntry[];
}

/** Evidence to attach to a model version. */
export interface AttachEvidenceRequest {
  name: string;
  version: number;
  evidence: readonly EvidenceLink[];
}

/**
 * Where prompts, model versions, aliases and the audit trail live. Two adapters implement it
 * (SQLite and MLflow) and one conformance suite (`@llmops/registry/testing`) holds them to the same
 * behaviour and the same errors.
 *
 * Versions are immutable: there is no update. Creating a version whose content hash equals an
 * existing version's returns that version (`created: false`). Prompts and models share one
 * namespace, as in MLflow.
 */
export interface RegistryStore {
  /** The store URI, for messages (never with credentials). */
  readonly uri: string;
  /** `local` when every write goes through this process or is seen by {@link changeMarker}; `remote` otherwise. */
  readonly locality: 'local' | 'remote';
  /**
   * A number that changes whenever another connection has written (SQLite's `data_version`),
   * cheap enough to read on every cached resolution. Absent for remote stores, which rely on a TTL.
   */
  changeMarker?(): number;

  /**
   * Stores a new prompt version (creating the prompt on its first version).
   * @throws LlmopsError `conflict` when the name belongs to a model.
   */
  createPromptVersion(input: NewPromptVersion): Promise<CreatedVersion<PromptVersion>>;
  /** The prompt with its newest version and aliases, or undefined. */
  getPrompt(name: string): Promise<PromptInfo | undefined>;
  /** All prompts, by name. */
  listPrompts(): Promise<PromptInfo[]>;
  /** One version of a prompt, or undefined. */
  getPromptVersion(name: string, version: number): Promise<PromptVersion | undefined>;
  /** All versions of a prompt, oldest first (empty when there is no such prompt). */
  listPromptVersions(name: string): Promise<PromptVersion[]>;

  /**
   * Stores a new model version (creating the model on its first version).
   * @throws LlmopsError `conflict` when the name belongs to a prompt.
   */
  createModelVersion(input: NewModelVersion): Promise<CreatedVersion<ModelVersion>>;
  /** The model with its newest version and aliases, or undefined. */
  getModel(name: string): Promise<ModelInfo | undefined>;
  /** All models, by name. */
  listModels(): Promise<ModelInfo[]>;
  /** One version of a model, or undefined. */
  getModelVersion(name: string, version: number): Promise<ModelVersion | undefined>;
  /** All versions of a model, oldest first (empty when there is no such model). */
  listModelVersions(name: string): Promise<ModelVersion[]>;
  /**
   * Adds evaluation evidence to a model version; a run id already attached is left as it is.
   * @throws LlmopsError `not_found` when the version does not exist.
   */
  attachEvidence(request: AttachEvidenceRequest): Promise<ModelVersion>;

  /**
   * Moves aliases by compare-and-set and records the audit entries. SQLite applies all changes and
   * entries in one transaction; MLflow checks every change, then sets (see wiki/Registry.md).
   * @throws LlmopsError `not_found` for an unknown prompt, model or target version; `conflict` when
   * an alias does not point to its `expected` version, with nothing changed.
   */
  moveAliases(request: MoveAliasesRequest): Promise<void>;
  /** The alias changes of a prompt or model, oldest first. */
  listAudit(kind: SubjectKind, name: string): Promise<AuditEntry[]>;

  /** Releases the store's resources; further calls fail. */
  close(): Promise<void>;
}

/** A query for the evaluation evidence of a model version. */
export interface EvidenceQuery {
  model: string;
  version: number;
  dataset: string;
}

/**
 * The port through which promotion reads evaluation evidence. The evaluation context implements it;
 * the apps wire it in. Until then, `noEvaluationEvidence` honestly finds none.
 */
export interface EvaluationEvidence {
  /** The latest completed evaluation of the model version on the dataset, or undefined. */
  latestEvaluation(query: EvidenceQuery): Promise<EvaluationRecord | undefined>;
}
