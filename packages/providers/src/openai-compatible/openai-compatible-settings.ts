import { LlmopsError } from '@llmops/kernel';
import type { RetryOptions } from '@llmops/kernel';
import type { OpenAI } from 'openai';
import { OpenAiWireTransport } from './openai-wire-transport.js';
import type { UpstreamPools } from './upstream-pools.js';

/** The base URL of OpenAI's own API. */
export const defaultOpenAiBaseUrl = 'https://api.openai.com/v1';

/** The default timeout of one attempt, in milliseconds. */
export const defaultOpenAiTimeoutMs = 60_000;

/** How the adapter retries: kernel's one policy (`withRetry`), with injectable sleep and randomness for tests. */
export type OpenAiCompatibleRetryOptions = Omit<RetryOptions, 'signal'>;

/**
 * Settings of an OpenAI-compatible endpoint: OpenAI itself, Azure OpenAI (`…/openai/v1`), vLLM,
 * Ollama (`http://localhost:11434/v1`), llama.cpp server, LiteLLM, or anything speaking the wire format.
 */
export interface OpenAiCompatibleSettings {
  /** The API's base URL, up to and including `/v1`; OpenAI's by default. */
  baseURL?: string;
  /** Sent as `Authorization: Bearer …`; when absent no Authorization header is sent (local servers). */
  apiKey?: string;
  /** The provider name models report (`ChatModel.provider`); `openai` by default. */
  name?: string;
  /** Extra headers on every request (for example `api-key` for Azure's key header). */
  headers?: Record<string, string>;
  /** Extra query parameters on every request (for example `api-version` for Azure's deployment URLs). */
  query?: Record<string, string>;
  /**
   * A fetch for the calls; with one, calls go through the `openai` SDK on it. Without one (the default) chat
   * completions and embeddings go through the lean {@link OpenAiWireTransport} (a keep-alive undici `Pool`).
   */
  fetch?: typeof globalThis.fetch;
  /**
   * The connection pools of the lean transport, one per origin, shared with the other models built with the same
   * pools and closed by their owner (a `ProviderRegistry`, or the provider of `createOpenAiCompatible`). Without them
   * the model keeps no connection: each call opens its own, closed after the answer (`connection: close`), so a model
   * built on its own leaves nothing open for anyone to close.
   */
  pools?: UpstreamPools;
  /** Timeout of one attempt in ms (for streams: until the first chunk, then between chunks); 60 000 by default. */
  timeoutMs?: number;
  /** Retry policy and its injectable parts; kernel's `defaultRetryPolicy` by default. The SDK's own retries are off. */
  retry?: OpenAiCompatibleRetryOptions;
  /** Ask for usage in streams (`stream_options.include_usage`); true by default. */
  includeStreamUsage?: boolean;
}

/** Settings with defaults applied, and the SDK client to build on first use. */
export interface ResolvedOpenAiSettings {
  /** The SDK client, built (and the `openai` SDK imported) on the first call that needs it; one per settings. */
  client: () => Promise<OpenAI>;
  /** The lean transport of chat completions and embeddings; absent when a `fetch` was injected (calls then use `client`). */
  transport: OpenAiWireTransport | undefined;
  name: string;
  /** `<name> endpoint <base URL without credentials or query>`, for messages. */
  endpoint: string;
  apiKey: string | undefined;
  timeoutMs: number;
  retry: OpenAiCompatibleRetryOptions;
  includeStreamUsage: boolean;
}

const silentLogger = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

/** A base URL as it may appear in messages: no user info, no query. */
function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/$/, '')}`;
}

/**
 * Applies defaults and prepares the OpenAI SDK client (built on first use) with its own retries off (`maxRetries: 0`),
 * no environment fallbacks (`OPENAI_BASE_URL`, `OPENAI_ORG_ID`, … are not read) and no logging.
 * @throws LlmopsError `invalid_input` for a base URL that is not an http(s) URL or carries user info, or a bad timeout.
 */
export function resolveOpenAiSettings(settings: OpenAiCompatibleSettings): ResolvedOpenAiSettings {
  const baseURL = settings.baseURL ?? defaultOpenAiBaseUrl;
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch (cause) {
    throw new LlmopsError(
      'invalid_input',
      `baseURL "${baseURL}" is not a URL; expected for example http://localhost:11434/v1`,
      { cause },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LlmopsError('invalid_input', `baseURL ${displayUrl(url)} uses ${url.protocol}; expected http: or https:`);
  }
  // A password in the URL would travel into run params, progress lines and reports as plain text.
  if (url.username !== '' || url.password !== '') {
    throw new LlmopsError(
      'invalid_input',
      `baseURL ${displayUrl(url)} carries a user name or password; expected none in the URL: give the key ` +
        'through a variable bound to the host (apiKeyEnv, LLMOPS_PROVIDER_KEY_<NAME> with its _HOSTS) or confs/credentials.yaml',
    );
  }
  const timeoutMs = settings.timeoutMs ?? defaultOpenAiTimeoutMs;
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
    throw new LlmopsError('invalid_input', `timeoutMs is ${timeoutMs}; expected a positive number of milliseconds`);
  }
  const apiKey = settings.apiKey === '' ? undefined : settings.apiKey;
  const sdkOptions: ConstructorParameters<typeof OpenAI>[0] = {
    baseURL,
    // The SDK insists on a credential; without a key the Authorization header is removed below.
    apiKey: apiKey ?? 'no-key',
    organization: null,
    project: null,
    adminAPIKey: null,
    webhookSecret: null,
    maxRetries: 0,
    // Our AbortSignal enforces timeoutMs; the SDK's own timer only backs it up.
    timeout: timeoutMs + 1_000,
    logLevel: 'off',
    logger: silentLogger,
    defaultHeaders: { ...settings.headers, ...(apiKey === undefined ? { Authorization: null } : {}) },
    ...(settings.query ? { defaultQuery: settings.query } : {}),
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
  };
  let client: Promise<OpenAI> | undefined;
  const name = settings.name ?? 'openai';
  return {
    // The SDK costs about 0.2 s of CPU to import: only calls that go through it pay for it.
    client: () => (client ??= import('openai').then(({ OpenAI }) => new OpenAI(sdkOptions))),
    transport: settings.fetch
      ? undefined
      : new OpenAiWireTransport({
          baseURL,
          apiKey,
          ...(settings.headers ? { headers: settings.headers } : {}),
          ...(settings.query ? { query: settings.query } : {}),
          ...(settings.pools ? { pools: settings.pools } : {}),
        }),
    name,
    endpoint: `${name} endpoint ${displayUrl(url)}`,
    apiKey,
    timeoutMs,
    retry: settings.retry ?? {},
    includeStreamUsage: settings.includeStreamUsage ?? true,
  };
}
