import { z } from 'zod';
import { LlmopsError } from '../errors/llmops-error.js';

/** What a provider name looks like: lower-case letters, digits, `-` and `_`, starting with a letter. */
export const providerNamePattern = /^[a-z][a-z0-9_-]*$/;

/** The longest `timeoutMs` a provider spec may set: 10 minutes. */
export const maxProviderTimeoutMs = 600_000;

/**
 * A model at a provider, in its most general form: the provider's name, the model id, the timeout of one attempt
 * and any provider-specific fields (`baseUrl`, `apiKeyEnv` for `openai`), which the provider's factory checks.
 */
export interface ProviderModel {
  provider: string;
  model: string;
  /** Longest wait of one attempt at the upstream, in ms (network providers); the provider's default when absent. */
  timeoutMs?: number;
  [field: string]: unknown;
}

/** The `timeoutMs` of a provider spec: whole milliseconds from 1 to {@link maxProviderTimeoutMs}. */
export const providerTimeoutMsSchema = z
  .number({ error: `expected whole milliseconds from 1 to ${maxProviderTimeoutMs}` })
  .int({ error: `expected whole milliseconds from 1 to ${maxProviderTimeoutMs}` })
  .min(1, { error: `expected whole milliseconds from 1 to ${maxProviderTimeoutMs}` })
  .max(maxProviderTimeoutMs, { error: `expected at most ${maxProviderTimeoutMs} ms (10 minutes)` });

/**
 * Reads `<provider>/<model>` (`offline/extractive`, `openai/gpt-4o-mini`,
 * `openai/meta-llama/Llama-3.1-8B-Instruct`: the model is everything after the first `/`).
 * @throws LlmopsError `invalid_input` when the text is not of that form.
 */
export function parseProviderModel(text: string): ProviderModel {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const provider = slash > 0 ? trimmed.slice(0, slash) : '';
  const model = slash > 0 ? trimmed.slice(slash + 1) : '';
  if (provider === '' || model === '') {
    throw new LlmopsError(
      'invalid_input',
      `model "${text}" is not of the form <provider>/<model>; expected for example offline/extractive or openai/gpt-4o-mini`,
    );
  }
  return { provider, model };
}

/**
 * A model at any provider: `<provider>/<model>` text or `{ provider, model, ...provider-specific fields }`.
 * The set of providers is open: whether the provider exists, and its own fields, are checked
 * through a {@link ProviderCatalog} where one is given, never here.
 */
export const providerModelSchema = z.preprocess(
  (value, context) => {
    if (value === undefined) {
      context.issues.push({
        code: 'custom',
        message: 'expected the chat model as <provider>/<model>, e.g. offline/extractive',
        input: value,
      });
      return z.NEVER;
    }
    if (typeof value !== 'string') return value;
    try {
      return parseProviderModel(value);
    } catch (error) {
      context.issues.push({ code: 'custom', message: LlmopsError.fromUnknown(error).message, input: value });
      return z.NEVER;
    }
  },
  z.looseObject({
    provider: z
      .string()
      .regex(
        providerNamePattern,
        'expected a provider name of lower-case letters, digits, - and _, starting with a letter',
      ),
    model: z.string().min(1, 'expected a model id such as gpt-4o-mini'),
    /**
     * Longest wait of one attempt at the upstream in ms (for streams: until the first chunk, then between chunks);
     * a timed-out attempt is retried, then the version's fallbacks answer, else the call fails with 504. Network
     * providers only (`openai`); 60000 when absent.
     */
    timeoutMs: providerTimeoutMsSchema.optional(),
  }),
);
