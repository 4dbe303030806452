import { assertKnownProviders, LlmopsError, parseModelVersionSpec, parseWithSchema } from '@llmops/kernel';
import type { ModelVersionSpec } from '@llmops/kernel';
import { z } from 'zod';
import { contentHash, textHash } from '../domain/content-hash.js';
import type { CorpusRecord, ModelLineage, ModelVersion } from '../domain/model.js';
import type { PromptVersion } from '../domain/prompt.js';
import { assertPlaceholdersClosed, promptTemplateSchema, templateVariables } from '../domain/prompt-template.js';
import type { PromptTemplate } from '../domain/prompt-template.js';
import { assertDirectlySettableAlias, assertSubjectName, assertValidTags } from '../domain/registry-names.js';
import { setAlias } from './alias-moves.js';
import type { AliasMove } from './alias-moves.js';
import { loadPrompt } from './reference-resolution.js';
import type { RegistryContext } from './registry-context.js';

/** Longest commit message of a prompt version (MLflow keeps it as a version description of at most 5000 characters). */
export const maxMessageLength = 5000;

/** Input of {@link registerPrompt}. */
export interface RegisterPromptInput {
  name: string;
  template: PromptTemplate;
  /** What changed, like a commit message. */
  message?: string;
  tags?: Readonly<Record<string, string>>;
  /** Aliases to point at the version (moved by compare-and-set, audited). */
  aliases?: readonly string[];
  actor?: string;
}

/** The outcome of a registration. */
export interface Registration<Version> {
  version: Version;
  /** False when the same content was registered before: that version is returned and nothing is written. */
  created: boolean;
  /** The alias moves made (only those that changed something). */
  aliases: AliasMove[];
}

/** Input of {@link registerModel}. */
export interface RegisterModelInput {
  /** The spec as written (validated here; defaults filled in). */
  spec: unknown;
  /** The conf file it came from and its text, for lineage. */
  source?: { file: string; text: string };
  /** The workspace's git commit, when known. */
  gitCommit?: string;
  /**
   * A RAG spec's corpus content as read now (the registry reads no files; the app hashes them). Recorded in the
   * lineage and part of the version's content hash, so the same spec over changed corpus content is a new version.
   */
  corpus?: CorpusRecord;
  aliases?: readonly string[];
  actor?: string;
  /** Why the aliases are set, kept in their audit entries; `set at registration of version N` by default. */
  reason?: string;
}

const templateFieldSchema = z.object({ template: promptTemplateSchema });

async function applyAliases(
  context: RegistryContext,
  options: {
    kind: 'prompt' | 'model';
    name: string;
    version: number;
    aliases: readonly string[];
    actor: string | undefined;
    reason?: string | undefined;
  },
): Promise<AliasMove[]> {
  const moves: AliasMove[] = [];
  for (const alias of options.aliases) {
    const move = await setAlias(context, {
      kind: options.kind,
      name: options.name,
      alias,
      version: options.version,
      actor: options.actor,
      reason: options.reason ?? `set at registration of version ${options.version}`,
    });
    if (move.changed) moves.push(move);
  }
  return moves;
}

/**
 * Registers a prompt version. Idempotent: the same template registered again returns the version
 * that has it (`created: false`) and writes nothing but alias moves.
 * @throws LlmopsError `invalid_input` for a bad name, template, tag or alias; `conflict` when the name is a model's.
 */
export async function registerPrompt(
  context: RegistryContext,
  input: RegisterPromptInput,
): Promise<Registration<PromptVersion>> {
  assertSubjectName(input.name, 'prompt');
  const { template } = parseWithSchema(
    templateFieldSchema,
    { template: input.template },
    { where: `prompt "${input.name}"` },
  );
  const variables = templateVariables(template);
  assertPlaceholdersClosed(template);
  const tags = assertValidTags(input.tags ?? {});
  if ((input.message ?? '').length > maxMessageLength) {
    throw new LlmopsError(
      'invalid_input',
      `prompt "${input.name}": message is ${input.message?.length} characters long; at most ${maxMessageLength} are allowed`,
    );
  }
  for (const alias of input.aliases ?? []) assertDirectlySettableAlias(alias, 'prompt');
  const result = await context.store.createPromptVersion({
    name: input.name,
    template,
    variables,
    message: input.message ?? '',
    tags,
    author: input.actor ?? context.actor,
    createdAt: context.clock.now(),
    contentHash: contentHash({ template }),
  });
  if (result.created) context.cache.clear();
  const aliases = await applyAliases(context, {
    kind: 'prompt',
    name: input.name,
    version: result.version.version,
    aliases: input.aliases ?? [],
    actor: input.actor,
  });
  return { ...result, aliases };
}

/** Pins the spec's prompt reference to the concrete version it resolves to now. */
async function pinPrompt(
  context: RegistryContext,
  spec: ModelVersionSpec,
): Promise<{ spec: ModelVersionSpec; requested: string }> {
  const requested = spec.pipeline.prompt;
  let prompt: PromptVersion;
  try {
    prompt = await loadPrompt(context, requested);
  } catch (error) {
    const cause = LlmopsError.fromUnknown(error);
    throw new LlmopsError(cause.code, `model "${spec.name}": pipeline.prompt: ${cause.message}`, { cause });
  }
  return { spec: { ...spec, pipeline: { ...spec.pipeline, prompt: `${prompt.name}/${prompt.version}` } }, requested };
}

/** A corpus record belongs to a RAG spec and names the spec's own corpus. */
function checkCorpusRecord(spec: ModelVersionSpec, corpus: CorpusRecord, where: string): CorpusRecord {
  const pipeline = spec.pipeline;
  if (pipeline.kind !== 'rag' || pipeline.corpus !== corpus.location) {
    throw new LlmopsError(
      'invalid_input',
      `${where}: a corpus content hash was given for "${corpus.location}", but the spec's pipeline ${pipeline.kind === 'rag' ? `reads "${pipeline.corpus}"` : `is ${pipeline.kind}, not rag`}`,
    );
  }
  if (!/^sha256:[0-9a-f]{64}$/.test(corpus.contentHash)) {
    throw new LlmopsError(
      'invalid_input',
      `${where}: corpus content hash "${corpus.contentHash}" is not sha256:<64 hex>`,
    );
  }
  return { location: corpus.location, contentHash: corpus.contentHash };
}

/**
 * Registers a model version from a spec: validates it, pins its prompt to a concrete version, and
 * stores it with its lineage. Idempotent by content hash of the pinned spec (and of the corpus content, when the
 * caller recorded it): registering unchanged content returns the existing version (`created: false`).
 * When the registry has a provider catalog, the spec's providers must be known to it.
 * @throws LlmopsError `invalid_input` naming the bad field (an unknown provider lists the known ones); `not_found` for an unknown prompt;
 * `conflict` when the name is a prompt's.
 */
export async function registerModel(
  context: RegistryContext,
  input: RegisterModelInput,
): Promise<Registration<ModelVersion>> {
  const where = input.source ? `model spec ${input.source.file}` : 'model spec';
  const written = parseModelVersionSpec(input.spec, where);
  if (context.providers) assertKnownProviders(written, { catalog: context.providers, where });
  assertValidTags(written.tags, `${where}: tags`);
  for (const alias of input.aliases ?? []) assertDirectlySettableAlias(alias, 'model');
  const corpus = input.corpus ? checkCorpusRecord(written, input.corpus, where) : undefined;
  const { spec, requested } = await pinPrompt(context, written);
  const lineage: ModelLineage = {
    ...(input.source ? { source: { file: input.source.file, contentHash: textHash(input.source.text) } } : {}),
    ...(input.gitCommit ? { gitCommit: input.gitCommit } : {}),
    ...(requested !== spec.pipeline.prompt ? { requestedPrompt: requested } : {}),
    ...(corpus ? { corpus } : {}),
  };
  const result = await context.store.createModelVersion({
    name: spec.name,
    spec,
    contentHash: corpus ? contentHash({ spec, corpusContentHash: corpus.contentHash }) : contentHash(spec),
    lineage,
    author: input.actor ?? context.actor,
    createdAt: context.clock.now(),
  });
  if (result.created) context.cache.clear();
  const aliases = await applyAliases(context, {
    kind: 'model',
    name: spec.name,
    version: result.version.version,
    aliases: input.aliases ?? [],
    actor: input.actor,
    reason: input.reason,
  });
  return { ...result, aliases };
}
