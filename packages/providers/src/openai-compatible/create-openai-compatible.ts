import { OpenAiCompatibleChatModel } from './openai-compatible-chat-model.js';
import { OpenAiCompatibleEmbedder } from './openai-compatible-embedder.js';
import type { OpenAiCompatibleEmbedderOptions } from './openai-compatible-embedder.js';
import type { OpenAiCompatibleSettings } from './openai-compatible-settings.js';

/** An OpenAI-compatible endpoint, handing out chat models and embedders that share its settings. */
export interface OpenAiCompatibleProvider {
  /** The provider name its models report. */
  readonly name: string;
  /** A chat model of this endpoint, for example `chatModel('gpt-4o-mini')`. */
  chatModel(modelId: string): OpenAiCompatibleChatModel;
  /** An embedder of this endpoint, for example `embedder('text-embedding-3-small')`. */
  embedder(modelId: string, options?: OpenAiCompatibleEmbedderOptions): OpenAiCompatibleEmbedder;
}

/**
 * Creates an OpenAI-compatible provider from its settings (base URL, API key, headers, fetch,
 * timeout, retry policy), for example `createOpenAiCompatible({ baseURL: 'http://localhost:11434/v1', name: 'ollama' })`.
 * @throws LlmopsError `invalid_input` for invalid settings (checked when a model is created).
 */
export function createOpenAiCompatible(settings: OpenAiCompatibleSettings = {}): OpenAiCompatibleProvider {
  return {
    name: settings.name ?? 'openai',
    chatModel: (modelId) => new OpenAiCompatibleChatModel(modelId, settings),
    embedder: (modelId, options = {}) => new OpenAiCompatibleEmbedder(modelId, { ...settings, ...options }),
  };
}
