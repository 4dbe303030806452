import { z } from 'zod';
import { assertValidName, nameRuleText } from '../references/reference.js';
import { parseWithSchema } from '../validation/parse-with-schema.js';
import { passes, pipelineSpecSchema, referenceSchema } from './pipeline-spec.js';
import { providerModelSchema } from './provider-model.js';

/** Generation parameters of a model version (OpenAI names). */
export const modelParamsSchema = z.strictObject({
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: z.number().int().positive().optional(),
  top_p: z.number().gt(0).max(1).optional(),
  seed: z.number().int().optional(),
  stop: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(4)]).optional(),
});

/** The default response cache policy: on, one hour. */
export const cachePolicyDefaults = { enabled: true, ttlSeconds: 3600 } as const;

/** The longest a cached answer may live: 30 days. */
export const maxCacheTtlSeconds = 30 * 24 * 3600;

/** The default similarity of the semantic cache: a cosine this high or higher counts as the same question. */
export const semanticCacheDefaults = { enabled: false, threshold: 0.95, embedder: 'offline/lexical' } as const;

/**
 * The semantic cache of a model version (off by default): a single-turn question whose embedding's cosine with a
 * cached question's is at least `threshold` is answered with that question's answer.
 */
export const semanticCachePolicySchema = z.strictObject({
  enabled: z.boolean().default(semanticCacheDefaults.enabled),
  threshold: z
    .number({ error: 'expected a cosine similarity, a number above 0 and at most 1' })
    .gt(0, { error: 'expected a cosine similarity above 0 and at most 1' })
    .max(1, { error: 'expected a cosine similarity above 0 and at most 1' })
    .default(semanticCacheDefaults.threshold),
  /** The embedder of questions, a provider spec (`offline/lexical`, `openai/text-embedding-3-small`). */
  embedder: z
    .string()
    .regex(/^[A-Za-z0-9_-]+\/.+$/, 'expected <provider>/<model>, for example offline/lexical')
    .default(semanticCacheDefaults.embedder),
});

/** The response cache policy of a model version. */
export const cachePolicySchema = z.strictObject({
  enabled: z.boolean().default(cachePolicyDefaults.enabled),
  /** How long an answer stays cached, in whole seconds. */
  ttlSeconds: z
    .number({ error: `expected whole seconds from 1 to ${maxCacheTtlSeconds} (30 days)` })
    .int({ error: `expected whole seconds from 1 to ${maxCacheTtlSeconds} (30 days)` })
    .min(1, { error: 'expected at least 1 second; turn the cache off with enabled: false' })
    .max(maxCacheTtlSeconds, { error: `expected at most ${maxCacheTtlSeconds} seconds (30 days)` })
    .default(cachePolicyDefaults.ttlSeconds),
  /**
   * Keeps this version's answers apart from other caches' (a tenant, an experiment): entries of two namespaces never
   * answer each other. The model name and version are part of every key anyway.
   */
  namespace: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'expected 1 to 64 characters of A-Z a-z 0-9 _ . -' })
    .optional(),
  semantic: semanticCachePolicySchema.optional(),
});

const isValidName = passes(assertValidName);

/**
 * The spec of a model version, as written in `confs/models/*.yaml`: what is served under the model's
 * name. Defaults are filled in, so two files that differ only by spelling out a default hash the same.
 * The provider is open (any `<provider>/<model>`); check it against the live providers with
 * `assertKnownProviders`.
 */
export const modelSpecSchema = z.strictObject({
  name: z.string().refine(isValidName, { error: `expected a model name of ${nameRuleText}` }),
  description: z.string().max(5000).default(''),
  tags: z.record(z.string(), z.string()).default({}),
  /** The chat model: `<provider>/<model>` or `{ provider, model, ...provider-specific fields }`. */
  provider: providerModelSchema,
  params: modelParamsSchema.default({}),
  pipeline: pipelineSpecSchema,
  /** The guardrail policy applied to input and output. */
  guardrails: z.string().min(1).default('default'),
  cache: cachePolicySchema.default({ ...cachePolicyDefaults }),
  /** Models (references) to fall back to, in order, when this one fails. */
  fallbacks: z.array(referenceSchema('model')).default([]),
});

/** A model version's spec as written (before defaults). */
export type ModelSpecInput = z.input<typeof modelSpecSchema>;
/** A model version's spec with defaults filled in. */
export type ModelVersionSpec = z.output<typeof modelSpecSchema>;
/** Generation parameters of a model version. */
export type ModelParams = z.output<typeof modelParamsSchema>;
/** The response cache policy of a model version, defaults filled in. */
export type CachePolicy = z.output<typeof cachePolicySchema>;
/** The semantic cache settings of a model version, defaults filled in. */
export type SemanticCachePolicy = z.output<typeof semanticCachePolicySchema>;

/**
 * Validates a model spec and fills in defaults.
 * @throws LlmopsError `invalid_input` naming `where` and each bad field.
 */
export function parseModelVersionSpec(value: unknown, where = 'model spec'): ModelVersionSpec {
  return parseWithSchema(modelSpecSchema, value, { where });
}
