export type { SubjectKind } from './domain/registry-names.js';
export { championAlias, isPreviousAlias } from './domain/registry-names.js';
export {
  chatTemplateMessageSchema,
  promptTemplateSchema,
  templateVariables,
  renderPrompt,
} from './domain/prompt-template.js';
export type { ChatTemplateMessage, PromptTemplate, RenderedPrompt } from './domain/prompt-template.js';
export type { PromptVersion, PromptInfo } from './domain/prompt.js';
export type {
  CorpusRecord,
  ModelVersion,
  ModelInfo,
  ModelLineage,
  EvidenceLink,
  EvidenceVerdict,
} from './domain/model.js';
export type { AuditEntry, AuditAction } from './domain/audit-entry.js';
export type { EvaluationRecord } from './domain/evaluation-record.js';
export {
  promotionPolicySchema,
  promotionCriterionSchema,
  parsePromotionPolicy,
  parseCriterion,
} from './domain/promotion-policy.js';
export type {
  PromotionPolicy,
  PromotionPolicyInput,
  RegressionRule,
  ThresholdCriterion,
  ComparisonOperator,
} from './domain/promotion-policy.js';
export { evaluatePromotion } from './domain/promotion-decision.js';
export type { PromotionDecision, CriterionOutcome, PromotionEvaluationInput } from './domain/promotion-decision.js';
export { canonicalJson, contentHash } from './domain/content-hash.js';

export type {
  RegistryStore,
  EvaluationEvidence,
  EvidenceQuery,
  NewPromptVersion,
  NewModelVersion,
  CreatedVersion,
  AliasChange,
  MoveAliasesRequest,
  AttachEvidenceRequest,
  Clock,
} from './ports.js';

export { Registry, createRegistry, defaultRemoteCacheTtlMs } from './application/registry.js';
export type { RegistryOptions, PromptVersionView, ModelVersionView } from './application/registry.js';
export type { RegisterPromptInput, RegisterModelInput, Registration } from './application/registration.js';
export type { SetAliasInput, DeleteAliasInput, AliasMove } from './application/alias-moves.js';
export type { PromoteInput, PromotionResult, RollbackInput, RollbackResult } from './application/promotion.js';
export { noEvaluationEvidence } from './application/no-evaluation-evidence.js';

export { SqliteRegistryStore } from './adapters/sqlite/sqlite-registry-store.js';
export type { SqliteRegistryStoreOptions } from './adapters/sqlite/sqlite-registry-store.js';

export { createRegistryStore } from './create-registry-store.js';
export type { CreateRegistryStoreOptions } from './create-registry-store.js';

export { MlflowRegistryStore } from './adapters/mlflow/mlflow-registry-store.js';
export type { MlflowRegistryStoreOptions } from './adapters/mlflow/mlflow-registry-store.js';
