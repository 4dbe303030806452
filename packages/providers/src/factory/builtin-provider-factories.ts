import { LlmopsError, parseWithSchema, ProviderCredentials } from '@llmops/kernel';
import type { ModelPurpose } from '@llmops/kernel';
import type { z } from 'zod';
import { OfflineExtractiveChatModel } from '../offline/offline-extractive-chat-model.js';
import { OfflineLexicalEmbedder } from '../offline/offline-lexical-embedder.js';
import { OpenAiCompatibleChatModel } from '../openai-compatible/openai-compatible-chat-model.js';
import { OpenAiCompatibleEmbedder } from '../openai-compatible/openai-compatible-embedder.js';
import type { OpenAiCompatibleSettings } from '../openai-compatible/openai-compatible-settings.js';
import type { ModelFactoryOptions, ProviderFactory } from './provider-registry.js';
import {
  defaultApiKeyEnv,
  formatModelSpec,
  offlineProviderSpecSchema,
  openAiProviderSpecSchema,
} from './provider-spec.js';
import type { ModelSpec, OfflineProviderSpec, OpenAiProviderSpec } from './provider-spec.js';

function parseSpec<T>(schema: z.ZodType<T>, spec: ModelSpec): T {
  return parseWithSchema(schema, spec, { where: `model spec ${formatModelSpec(spec)}` });
}

/** OpenAI's API, where a spec without `baseUrl` goes. */
const openAiBaseUrl = 'https://api.openai.com/v1';

/**
 * The key variable of an OpenAI spec, checked against the deployment's credentials: with `apiKeyEnv`, that variable
 * must be a declared credential bound to the endpoint's host; without it, `OPENAI_API_KEY` is used only where its
 * credential allows (api.openai.com by default) and no key is sent elsewhere (Ollama, llama.cpp, a local vLLM).
 * @throws LlmopsError `invalid_input` naming `apiKeyEnv`, for an undeclared variable, one of the deployment's own
 * secrets, or a host the credential is not bound to.
 */
function keyVariableOf(spec: OpenAiProviderSpec, credentials: ProviderCredentials): string | undefined {
  const url = spec.baseUrl ?? openAiBaseUrl;
  if (spec.apiKeyEnv !== undefined) {
    credentials.check({ variable: spec.apiKeyEnv, url, field: 'apiKeyEnv' });
    return spec.apiKeyEnv;
  }
  if (spec.baseUrl === undefined) {
    credentials.check({ variable: defaultApiKeyEnv, url, field: 'apiKeyEnv (default OPENAI_API_KEY)' });
    return defaultApiKeyEnv;
  }
  return credentials.allows(defaultApiKeyEnv, url) ? defaultApiKeyEnv : undefined;
}

/**
 * The endpoint settings of an OpenAI spec. The key is read from `apiKeyEnv` (default
 * `OPENAI_API_KEY`), only when the deployment's credentials allow it for the endpoint's host. It is required for
 * OpenAI itself and whenever `apiKeyEnv` is given; for another `baseUrl` without `apiKeyEnv` the key is optional.
 */
function openAiSettings(spec: OpenAiProviderSpec, options: ModelFactoryOptions): OpenAiCompatibleSettings {
  const env = options.env ?? process.env;
  const credentials = options.credentials ?? ProviderCredentials.from({ env });
  const variable = keyVariableOf(spec, credentials);
  const apiKey = variable === undefined ? undefined : env[variable];
  const required = spec.apiKeyEnv !== undefined || spec.baseUrl === undefined;
  const timeoutMs = spec.timeoutMs ?? options.timeoutMs;
  if (required && (apiKey === undefined || apiKey.trim() === '')) {
    throw new LlmopsError(
      'invalid_input',
      `model spec ${formatModelSpec(spec)}: environment variable ${variable} is not set; set it to the API key${
        spec.apiKeyEnv === undefined ? ', or name another declared credential with apiKeyEnv' : ''
      }`,
    );
  }
  return {
    ...(spec.baseUrl === undefined ? {} : { baseURL: spec.baseUrl }),
    ...(apiKey === undefined || apiKey.trim() === '' ? {} : { apiKey: apiKey.trim() }),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.pools ? { pools: options.pools } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
    // The version's own timeout wins over the deployment's (the factory option), which wins over the default.
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(options.retry ? { retry: options.retry } : {}),
  };
}

/** The built-in `openai` provider: any OpenAI-compatible endpoint. */
export const openAiProviderFactory: ProviderFactory = {
  validate: (spec, _purpose, context) => {
    keyVariableOf(parseSpec(openAiProviderSpecSchema, spec), context.credentials);
  },
  chatModel: (spec, options) => {
    const parsed = parseSpec(openAiProviderSpecSchema, spec);
    return new OpenAiCompatibleChatModel(parsed.model, openAiSettings(parsed, options));
  },
  embedder: (spec, options) => {
    const parsed = parseSpec(openAiProviderSpecSchema, spec);
    return new OpenAiCompatibleEmbedder(parsed.model, {
      ...openAiSettings(parsed, options),
      ...(options.embeddingDimensions === undefined ? {} : { dimensions: options.embeddingDimensions }),
    });
  },
};

/** The offline model of a spec, checked for its purpose: `extractive` answers, `lexical` embeds. */
function offlineSpec(spec: ModelSpec, purpose: ModelPurpose): OfflineProviderSpec {
  const parsed = parseSpec(offlineProviderSpecSchema, spec);
  if (purpose === 'chat' && parsed.model !== 'extractive') {
    throw new LlmopsError(
      'invalid_input',
      `model spec ${formatModelSpec(spec)} is an embedder; the offline chat model is offline/extractive`,
    );
  }
  if (parsed.timeoutMs !== undefined) {
    throw new LlmopsError(
      'invalid_input',
      `model spec ${formatModelSpec(spec)}: timeoutMs bounds a call to an upstream and offline models make none; remove it`,
    );
  }
  if (parsed.model !== 'extractive' && parsed.minSupport !== undefined) {
    throw new LlmopsError(
      'invalid_input',
      `model spec ${formatModelSpec(spec)}: minSupport is a setting of offline/extractive; remove it from the embedder's spec`,
    );
  }
  if (purpose === 'embedding' && parsed.model !== 'lexical') {
    throw new LlmopsError(
      'invalid_input',
      `model spec ${formatModelSpec(spec)} is a chat model; the offline embedder is offline/lexical`,
    );
  }
  return parsed;
}

/**
 * The built-in `offline` provider: `extractive` (chat) and `lexical` (embeddings), no key, no
 * network. `extractive` takes an optional `minSupport` (its decline threshold).
 */
export const offlineProviderFactory: ProviderFactory = {
  validate: (spec, purpose) => {
    offlineSpec(spec, purpose);
  },
  chatModel: (spec, options) => {
    const { minSupport } = offlineSpec(spec, 'chat');
    return new OfflineExtractiveChatModel({
      ...(options.clock ? { clock: options.clock } : {}),
      ...(minSupport === undefined ? {} : { minSupport }),
    });
  },
  embedder: (spec, options) => {
    offlineSpec(spec, 'embedding');
    return new OfflineLexicalEmbedder(
      options.embeddingDimensions === undefined ? {} : { dimensions: options.embeddingDimensions },
    );
  },
};
