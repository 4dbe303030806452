import { LlmopsError, parseProviderModel, providerTimeoutMsSchema } from '@llmops/kernel';
import type { ProviderModel } from '@llmops/kernel';
import { z } from 'zod';

/** A model at a provider, in its most general form: what every registered provider factory receives (the kernel's `ProviderModel`). */
export type ModelSpec = ProviderModel;

const environmentVariableName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A model behind an OpenAI-compatible endpoint: OpenAI by default, or any `baseUrl`. */
export const openAiProviderSpecSchema = z.strictObject({
  provider: z.literal('openai'),
  /** The model id at the endpoint, for example `gpt-4o-mini` or `meta-llama/Llama-3.1-8B-Instruct`. */
  model: z.string().min(1, 'expected a model id such as gpt-4o-mini'),
  /** The API's base URL up to `/v1`; OpenAI's when absent. */
  baseUrl: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL such as http://localhost:11434/v1' })
    .optional(),
  /** The environment variable holding the API key; `OPENAI_API_KEY` by default. */
  apiKeyEnv: z
    .string()
    .regex(environmentVariableName, 'expected an environment variable name such as OPENAI_API_KEY')
    .optional(),
  /** Longest wait of one attempt in ms (streams: until the first chunk, then between chunks); 60 000 by default. */
  timeoutMs: providerTimeoutMsSchema.optional(),
});
/** A model behind an OpenAI-compatible endpoint. */
export type OpenAiProviderSpec = z.infer<typeof openAiProviderSpecSchema>;

/** The offline models: `extractive` (chat, the zero-key default) and `lexical` (embeddings). */
export const offlineProviderSpecSchema = z.strictObject({
  provider: z.literal('offline'),
  model: z.enum(['extractive', 'lexical']),
  /**
   * `extractive` only: the least support (share of the question's IDF weight held by the best
   * context unit) to answer rather than decline, in [0, 1]; 0.4 by default (see wiki/Providers.md).
   */
  minSupport: z.number().min(0, 'expected a number from 0 to 1').max(1, 'expected a number from 0 to 1').optional(),
  /** Read only to be refused with a clear message: an offline model calls no upstream, so it has no timeout. */
  timeoutMs: providerTimeoutMsSchema.optional(),
});
/** An offline model. */
export type OfflineProviderSpec = z.infer<typeof offlineProviderSpecSchema>;

/** The spec of a model of a built-in provider, as written in configuration files. */
export const providerSpecSchema = z.discriminatedUnion('provider', [
  openAiProviderSpecSchema,
  offlineProviderSpecSchema,
]);
/** The spec of a model of a built-in provider. */
export type ProviderSpec = z.infer<typeof providerSpecSchema>;

/** The default variable holding the OpenAI API key. */
export const defaultApiKeyEnv = 'OPENAI_API_KEY';

/**
 * Reads `<provider>/<model>` (`offline/extractive`, `openai/gpt-4o-mini`,
 * `openai/meta-llama/Llama-3.1-8B-Instruct`: the model is everything after the first `/`).
 * @throws LlmopsError `invalid_input` when the text is not of that form, or (with `knownProviders`)
 * when the provider is not one of them.
 */
export function parseModelSpec(text: string, options: { knownProviders?: readonly string[] } = {}): ModelSpec {
  const { provider } = parseProviderModel(text);
  const known = options.knownProviders;
  if (known && !known.includes(provider)) {
    throw new LlmopsError(
      'invalid_input',
      `model "${text}": unknown provider "${provider}"; known providers: ${[...known].sort().join(', ')}`,
    );
  }
  return parseProviderModel(text);
}

/** The `<provider>/<model>` form of a spec (the inverse of {@link parseModelSpec}). */
export function formatModelSpec(spec: Pick<ModelSpec, 'provider' | 'model'>): string {
  return `${spec.provider}/${spec.model}`;
}
