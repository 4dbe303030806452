/**
 * How the registry's records are kept in MLflow (see wiki/Registry.md). Our own tags carry the
 * `llmops.` prefix; the registry refuses user tags with it, so they never collide.
 */
export const llmopsTags = {
  /** On a registered model: `true` when llmops created it (other registered models are not ours). */
  model: 'llmops.model',
  /** On a model version: the spec as canonical JSON (the YAML is in the description and the run's artifact). */
  spec: 'llmops.spec',
  /** On a model or prompt version: `sha256:<hex>` of its content. */
  contentHash: 'llmops.content_hash',
  /** On a model version: the lineage as JSON. */
  lineage: 'llmops.lineage',
  /** On a model version: the attached evaluation evidence as a JSON list. */
  evidence: 'llmops.evidence',
  /** On a model or prompt version: who registered it. */
  author: 'llmops.author',
  /** On a model or prompt version: when it was registered, milliseconds since the epoch. */
  createdAt: 'llmops.created_at',
  /** On a prompt version: the template's variables in order of first use, as JSON. */
  variables: 'llmops.variables',
  /** On a model version: its pipeline kind (`chat`, `rag`, `agent`), for MLflow's UI and filters. */
  pipeline: 'llmops.pipeline',
  /** On a model version: its chat model as `provider/model`, for MLflow's UI and filters. */
  provider: 'llmops.provider',
  /** On a registration run: the version it registered. */
  registeredVersion: 'llmops.registered_version',
} as const;

/** Tags of an audit run (one run per alias change). */
export const auditTags = {
  kind: 'llmops.audit.kind',
  name: 'llmops.audit.name',
  alias: 'llmops.audit.alias',
  from: 'llmops.audit.from',
  to: 'llmops.audit.to',
  action: 'llmops.audit.action',
  actor: 'llmops.audit.actor',
  reason: 'llmops.audit.reason',
  evidence: 'llmops.audit.evidence',
  at: 'llmops.audit.at',
  /** Orders entries written at the same `at`: wall clock at write time and a counter. */
  sequence: 'llmops.audit.sequence',
} as const;

/** The experiment holding one run per alias change (the audit trail). */
export const auditExperimentName = 'llmops-registry-audit';

/** The experiment holding one run per model version registration, with the spec as an artifact. */
export const registrationExperimentName = 'llmops-registry';

/** The artifact folder of a registration run that is the model version's `source`. */
export const modelArtifactPath = 'llmops-model';

/** True for tags the registry writes itself (`llmops.…`), which are not the user's tags. */
export function isLlmopsTag(key: string): boolean {
  return key.startsWith('llmops.');
}

/** The user's tags of a record: without ours and without MLflow's. */
export function userTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(tags).filter(
      ([key]) => !isLlmopsTag(key) && !key.startsWith('mlflow.') && !key.startsWith('_mlflow'),
    ),
  );
}
