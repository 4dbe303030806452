import { LlmopsError } from '@llmops/kernel';
import type { ModelInfo, ModelVersion } from '../domain/model.js';
import type { PromptInfo, PromptVersion } from '../domain/prompt.js';
import type { SubjectKind } from '../domain/registry-names.js';
import type { RegistryStore } from '../ports.js';

/** A prompt or model with its newest version and aliases. */
export type SubjectInfo = PromptInfo | ModelInfo;

/**
 * The prompt or model named `name`.
 * @throws LlmopsError `not_found` naming it.
 */
export async function requireSubject(
  store: RegistryStore,
  subject: { kind: SubjectKind; name: string },
): Promise<SubjectInfo> {
  const info = subject.kind === 'prompt' ? await store.getPrompt(subject.name) : await store.getModel(subject.name);
  if (!info) {
    const command = subject.kind === 'prompt' ? 'llmops prompts list' : 'llmops models list';
    throw new LlmopsError(
      'not_found',
      `${subject.kind} "${subject.name}" not found in ${store.uri}; \`${command}\` shows what there is`,
    );
  }
  return info;
}

/** The error for a version that does not exist. */
export function versionNotFound(info: SubjectInfo, options: { kind: SubjectKind; version: number }): LlmopsError {
  return new LlmopsError(
    'not_found',
    `version ${options.version} of ${options.kind} "${info.name}" not found; it has versions 1 to ${info.latestVersion}`,
  );
}

/**
 * One version of a prompt.
 * @throws LlmopsError `not_found` for an unknown prompt or version.
 */
export async function requirePromptVersion(
  store: RegistryStore,
  options: { name: string; version: number },
): Promise<PromptVersion> {
  const found = await store.getPromptVersion(options.name, options.version);
  if (found) return found;
  throw versionNotFound(await requireSubject(store, { kind: 'prompt', name: options.name }), {
    kind: 'prompt',
    version: options.version,
  });
}

/**
 * One version of a model.
 * @throws LlmopsError `not_found` for an unknown model or version.
 */
export async function requireModelVersion(
  store: RegistryStore,
  options: { name: string; version: number },
): Promise<ModelVersion> {
  const found = await store.getModelVersion(options.name, options.version);
  if (found) return found;
  throw versionNotFound(await requireSubject(store, { kind: 'model', name: options.name }), {
    kind: 'model',
    version: options.version,
  });
}

/** The aliases of `info` that point to `version`, sorted. */
export function aliasesPointingTo(info: SubjectInfo, version: number): string[] {
  return Object.entries(info.aliases)
    .filter(([, target]) => target === version)
    .map(([alias]) => alias)
    .sort();
}
