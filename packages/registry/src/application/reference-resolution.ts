import { formatReference, LlmopsError, parseReference } from '@llmops/kernel';
import type { Reference } from '@llmops/kernel';
import type { ModelVersion } from '../domain/model.js';
import type { PromptVersion } from '../domain/prompt.js';
import type { SubjectKind } from '../domain/registry-names.js';
import { requireModelVersion, requirePromptVersion, requireSubject } from './lookups.js';
import type { SubjectInfo } from './lookups.js';
import type { RegistryContext } from './registry-context.js';

function aliasNotSet(info: SubjectInfo, options: { kind: SubjectKind; alias: string }): LlmopsError {
  const known = Object.keys(info.aliases).sort();
  return new LlmopsError(
    'not_found',
    `alias "${options.alias}" of ${options.kind} "${info.name}" is not set; its aliases: ${known.length > 0 ? known.join(', ') : 'none'}`,
  );
}

/** The version number a reference points to now. */
async function versionOf(
  context: RegistryContext,
  options: { kind: SubjectKind; reference: Reference },
): Promise<number> {
  const { reference, kind } = options;
  if (reference.kind === 'version') return reference.version;
  const info = await requireSubject(context.store, { kind, name: reference.name });
  if (reference.kind === 'latest') return info.latestVersion;
  const version = info.aliases[reference.alias];
  if (version === undefined) throw aliasNotSet(info, { kind, alias: reference.alias });
  return version;
}

function toReference(reference: string | Reference): Reference {
  return typeof reference === 'string' ? parseReference(reference) : reference;
}

/**
 * Resolves `name`, `name@alias` or `name/7` to a prompt version, through the cache.
 * @throws LlmopsError `invalid_input` for a malformed reference, `not_found` for an unknown prompt, alias or version.
 */
export async function resolvePrompt(context: RegistryContext, reference: string | Reference): Promise<PromptVersion> {
  const key = `prompt\u0000${typeof reference === 'string' ? reference : formatReference(reference)}`;
  const cached = context.cache.get<PromptVersion>(key);
  if (cached) return cached;
  const marker = context.cache.marker();
  return context.cache.set(key, await loadPrompt(context, reference), marker);
}

/**
 * Resolves a prompt reference against the store, bypassing the cache (for registration, which pins
 * the prompt a model uses and must not pin a stale one).
 * @throws LlmopsError `invalid_input` for a malformed reference, `not_found` for an unknown prompt, alias or version.
 */
export async function loadPrompt(context: RegistryContext, reference: string | Reference): Promise<PromptVersion> {
  const parsed = toReference(reference);
  const version = await versionOf(context, { kind: 'prompt', reference: parsed });
  return requirePromptVersion(context.store, { name: parsed.name, version });
}

/**
 * Resolves `name`, `name@alias` or `name/7` to a model version, through the cache.
 * @throws LlmopsError `invalid_input` for a malformed reference, `not_found` for an unknown model, alias or version.
 */
export async function resolveModel(context: RegistryContext, reference: string | Reference): Promise<ModelVersion> {
  const key = `model\u0000${typeof reference === 'string' ? reference : formatReference(reference)}`;
  const cached = context.cache.get<ModelVersion>(key);
  if (cached) return cached;
  const marker = context.cache.marker();
  const parsed = toReference(reference);
  const version = await versionOf(context, { kind: 'model', reference: parsed });
  const found = await requireModelVersion(context.store, { name: parsed.name, version });
  return context.cache.set(key, found, marker);
}
