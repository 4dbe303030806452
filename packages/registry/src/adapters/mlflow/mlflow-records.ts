import { LlmopsError } from '@llmops/kernel';
import type { ModelVersion as MlflowModelVersion, PromptVersion as MlflowPromptVersion } from '@llmops/mlflow-client';
import { contentHash } from '../../domain/content-hash.js';
import type { EvidenceLink, ModelLineage, ModelVersion } from '../../domain/model.js';
import type { ModelVersionSpec } from '@llmops/kernel';
import type { PromptVersion } from '../../domain/prompt.js';
import { templateVariables } from '../../domain/prompt-template.js';
import type { PromptTemplate } from '../../domain/prompt-template.js';
import { llmopsTags, userTags } from './mlflow-conventions.js';

function parseTag<Value>(
  tags: Readonly<Record<string, string>>,
  options: { key: string; where: string; fallback?: Value },
): Value {
  const text = tags[options.key];
  if (text === undefined) {
    if ('fallback' in options) return options.fallback as Value;
    throw new LlmopsError(
      'upstream_error',
      `${options.where} has no ${options.key} tag: it was not registered by llmops`,
      { retryable: false },
    );
  }
  try {
    return JSON.parse(text) as Value;
  } catch (cause) {
    throw new LlmopsError(
      'upstream_error',
      `${options.where}: tag ${options.key} is not valid JSON (was it edited in MLflow?)`,
      { cause, retryable: false },
    );
  }
}

function timestampTag(tags: Readonly<Record<string, string>>, fallback: number): number {
  const value = Number(tags[llmopsTags.createdAt]);
  return Number.isSafeInteger(value) && value > 0 ? value : fallback;
}

/** Our variables (order of first use) when the template follows our rules, else MLflow's (sorted). */
function variablesOf(template: PromptTemplate, fallback: string[]): string[] {
  try {
    return templateVariables(template);
  } catch {
    return fallback;
  }
}

/**
 * A prompt version read from MLflow's Prompt Registry. Prompts registered by Python's
 * `mlflow.genai.register_prompt` read too: their hash is computed, their author is MLflow's user.
 */
export function toPromptVersion(version: MlflowPromptVersion): PromptVersion {
  const tags = version.tags;
  const template = version.template as PromptTemplate;
  return {
    name: version.name,
    version: version.version,
    template,
    variables: variablesOf(template, version.variables),
    message: version.commitMessage,
    tags: userTags(tags),
    createdAt: timestampTag(tags, version.creationTimestamp),
    author: tags[llmopsTags.author] ?? 'mlflow',
    contentHash: tags[llmopsTags.contentHash] ?? contentHash({ template }),
  };
}

/**
 * A model version read from MLflow's registry.
 * @throws LlmopsError `upstream_error` when its llmops tags are missing or malformed.
 */
export function toModelVersion(version: MlflowModelVersion): ModelVersion {
  const where = `version ${version.version} of model "${version.name}"`;
  const tags = version.tags;
  const hash = tags[llmopsTags.contentHash];
  if (hash === undefined)
    throw new LlmopsError(
      'upstream_error',
      `${where} has no ${llmopsTags.contentHash} tag: it was not registered by llmops`,
      { retryable: false },
    );
  return {
    name: version.name,
    version: version.version,
    spec: parseTag<ModelVersionSpec>(tags, { key: llmopsTags.spec, where }),
    contentHash: hash,
    lineage: parseTag<ModelLineage>(tags, { key: llmopsTags.lineage, where, fallback: {} }),
    evidence: parseTag<EvidenceLink[]>(tags, { key: llmopsTags.evidence, where, fallback: [] }),
    createdAt: timestampTag(tags, version.creationTimestamp),
    author: tags[llmopsTags.author] ?? (version.userId || 'mlflow'),
  };
}
