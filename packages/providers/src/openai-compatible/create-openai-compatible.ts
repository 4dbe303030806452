import { OpenAiCompatibleChatModel } from './openai-compatible-chat-model.js';
import { OpenAiCompatibleEmbedder } from './openai-compatible-embedder.js';
import type { OpenAiCompatibleEmbedderOptions } from './openai-compatible-embedder.js';
import type { OpenAiCompatibleSettings } from './openai-compatible-settings.js';
import { UpstreamPools } from './upstream-pools.js';

/** An OpenAI-compatible endpoint, handing out chat models and embedders that share its settings. */
export interface OpenAiCompatibleProvider {
  /** The provider name its models report. */
  readonly name: string;
  /** A chat model of this endpoint, for example `chatModel('gpt-4o-mini')`. */
  chatModel(modelId: string): OpenAiCompatibleChatModel;
  /** An embedder of this endpoint, for example `embedder('text-embedding-3-small')`. */
  embedder(modelId: string, options?: OpenAiCompatibleEmbedderOptions): OpenAiCompatibleEmbedder;
  /** Closes the connections of its models (unless `settings.pools` was given: then their owner closes them). */
  close(): Promise<void>;
}

/**
 * Creates an OpenAI-compatible provider from its settings (base URL, API key, headers, fetch,
 * timeout, retry policy), for example `createOpenAiCompatible({ baseURL: 'http://localhost:11434/v1', name: 'ollama' })`.
 * @throws LlmopsError `invalid_input` for invalid settings (checked when a model is created).
 */
export function createOpenAiCompatible(settings: OpenAiCompatibleSettings = {}): OpenAiCompatibleProvider {
  const pools = settings.pools ?? new UpstreamPools();
  const shared = { ...settings, pools };
  return {
    name: settings.name ?? 'openai',
    chatModel: (modelId) => new OpenAiCompatibleChatModel(modelId, shared),
    embedder: (modelId, options = {}) => new OpenAiCompatibleEmbedder(modelId, { ...shared, ...options }),
    close: async () => {
      if (!settings.pools) await pools.close();
    },
  };
}
