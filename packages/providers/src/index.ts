export { OpenAiCompatibleChatModel } from './openai-compatible/openai-compatible-chat-model.js';
export { OpenAiCompatibleEmbedder } from './openai-compatible/openai-compatible-embedder.js';
export type { OpenAiCompatibleEmbedderOptions } from './openai-compatible/openai-compatible-embedder.js';
export { createOpenAiCompatible } from './openai-compatible/create-openai-compatible.js';
export type { OpenAiCompatibleProvider } from './openai-compatible/create-openai-compatible.js';
export { defaultOpenAiBaseUrl, defaultOpenAiTimeoutMs } from './openai-compatible/openai-compatible-settings.js';
export {
  UpstreamPools,
  checkConnectionsPerOrigin,
  connectionsPerOriginRange,
  defaultConnectionsPerOrigin,
} from './openai-compatible/upstream-pools.js';
export type { UpstreamPoolsOptions } from './openai-compatible/upstream-pools.js';
export {
  upstreamConnectionsVariable,
  upstreamPoolsOptionsFromEnv,
} from './openai-compatible/upstream-connections-setting.js';
export { requestOnPools, requestWithFetch, upstreamRequester } from './openai-compatible/upstream-request.js';
export type { UpstreamAnswer, UpstreamRequest, UpstreamRequester } from './openai-compatible/upstream-request.js';
export type {
  OpenAiCompatibleSettings,
  OpenAiCompatibleRetryOptions,
} from './openai-compatible/openai-compatible-settings.js';

export { assembleChatCompletion, collectChatCompletion } from './chat/chat-completion-assembler.js';

export {
  OfflineExtractiveChatModel,
  doNotKnowAnswer,
  offlineExtractiveModelName,
  unitEmbeddingText,
} from './offline/offline-extractive-chat-model.js';
export type {
  OfflineExtractiveOptions,
  ExtractiveAnswer,
  ExtractiveCitation,
  CorpusWeighting,
  DenseUnitSignal,
  TextSimilarity,
} from './offline/offline-extractive-chat-model.js';
export { formatContextPassages, parseContextPassages } from './offline/context-passages.js';
export type { ContextPassage, NumberedContextPassage } from './offline/context-passages.js';
export { splitSentences } from './offline/sentence-splitter.js';
export { questionTerms, scoreUnits } from './offline/unit-support.js';
export { answerCues, offersKind } from './offline/answer-cues.js';
export type { AnswerCues, AnswerKind } from './offline/answer-cues.js';
export { unquotableSection } from './offline/answer-units.js';
export type { SupportCandidate, UnitSupport } from './offline/unit-support.js';
export { OfflineLexicalEmbedder, defaultLexicalDimensions } from './offline/offline-lexical-embedder.js';
export type { OfflineLexicalEmbedderOptions } from './offline/offline-lexical-embedder.js';

export { Bm25Scorer } from './lexical/bm25-scorer.js';
export type { Bm25Options, Bm25Match, Bm25SearchOptions } from './lexical/bm25-scorer.js';
export { analyzeText } from './lexical/text-analysis.js';
export { cosineSimilarity } from './lexical/cosine-similarity.js';

export {
  countTokens,
  countMessageTokens,
  encodingForModel,
  loadTokenEncoders,
  messageTokensAtMost,
  truncateToTokens,
} from './tokens/token-counter.js';
export type { TokenEncoding } from './tokens/token-counter.js';

export {
  PricingTable,
  loadPricingTable,
  createPricingTable,
  pricingFileSchema,
  defaultPricingFile,
} from './pricing/pricing-table.js';
export type { ModelPrice, PricingFile, PricedUsage, LoadPricingOptions } from './pricing/pricing-table.js';

export { providerSpecSchema, parseModelSpec, formatModelSpec, defaultApiKeyEnv } from './factory/provider-spec.js';
export type { ModelSpec, ProviderSpec, OpenAiProviderSpec, OfflineProviderSpec } from './factory/provider-spec.js';
export { ProviderRegistry } from './factory/provider-registry.js';
export type { ProviderFactory, ModelFactoryOptions } from './factory/provider-registry.js';
export { createChatModel, createEmbedder, createProviderRegistry } from './factory/create-model.js';
export type { CreateModelOptions } from './factory/create-model.js';

export { OpenAiModerationClient } from './moderation/openai-moderation-client.js';
export type { OpenAiModerationClientOptions, ModerationResult } from './moderation/openai-moderation-client.js';
export { LlamaGuardClient } from './moderation/llama-guard-client.js';
export type { LlamaGuardClientOptions, LlamaGuardCallOptions, LlamaGuardApi } from './moderation/llama-guard-client.js';
export {
  llamaGuardHazardNames,
  llamaGuardHazards,
  llamaGuardPrompt,
  parseLlamaGuardAnswer,
} from './moderation/llama-guard-format.js';
export type {
  LlamaGuardConversation,
  LlamaGuardHazardFinding,
  LlamaGuardVerdict,
} from './moderation/llama-guard-format.js';

// offline/extractive: the default decline threshold.
export { defaultMinSupport } from './offline/offline-extractive-chat-model.js';
// Field-weighted BM25 for retrieval (issue 11).
export { Bm25fScorer } from './lexical/bm25f-scorer.js';
export type { Bm25fField, Bm25fOptions } from './lexical/bm25f-scorer.js';

// Text analysis of the lexical retrieval (used by benches and custom rerankers).
export { tokenizeWords, englishStopwords } from './lexical/text-analysis.js';
export { shortestWindow } from './lexical/shortest-window.js';
