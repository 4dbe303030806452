// Ports: what the apps implement or provide.
export type {
  ServableModel,
  ServableModelListing,
  ModelResolver,
  ServablePipeline,
  PinnedPrompt,
  PromptMessage,
  CorpusSource,
  CorpusSnapshot,
  IndexStore,
  StoredIndex,
  ModerationClient,
  ModerationResult,
  ModerationCallOptions,
  TraceSink,
  ResponseCacheStore,
} from './ports.js';

// Pipelines.
export type {
  Pipeline,
  PipelineRequest,
  PipelineCallOptions,
  PipelineCompletion,
  PipelineStream,
  PipelineTrace,
  TraceSpan,
  TraceSpanName,
  RetrievalTrace,
  RetrievedPassageTrace,
  LatencyBreakdown,
  ServedChatCompletion,
  ServedCompletionExtension,
  ServedPassageGuardrails,
  ServedRetrieval,
  ServedFallback,
  FallbackCall,
  FallbackTarget,
} from './application/pipeline.js';
export { PipelineFactory } from './application/pipeline-factory.js';
export type { PipelineFactoryOptions, PipelineBuildOptions } from './application/pipeline-factory.js';
export { GenerationPipeline } from './application/generation-pipeline.js';
export type { GenerationPipelineOptions, PromptPreparer, PreparedPrompt } from './application/generation-pipeline.js';

// The step chain.
export type {
  ServingStep,
  ServingStepFactory,
  ServingStepContext,
  StepCall,
  StepCallOptions,
  EmbeddingCallSettings,
  ResponseShape,
  ChunkStream,
} from './application/serving-step.js';
export { defaultStepOrder } from './application/step-chain.js';
export { watchedStream } from './application/watched-stream.js';
export type { StreamEnd, StreamWatch } from './application/watched-stream.js';
export { GuardrailStep, guardrailStepFactory } from './application/guardrail-step.js';
export { FallbackStep, fallbackStepFactory, fallsBack } from './application/fallback-step.js';
export type { FallbackTargets } from './application/fallback-step.js';
export { assertNoFallbackCycle } from './application/fallback-chain.js';
export { CircuitBreakers, CircuitBreakingChatModel } from './application/circuit-breaking-chat-model.js';
export type { CircuitBreakerSnapshot } from './application/circuit-breaking-chat-model.js';
export { CircuitBreaker, defaultCircuitBreakerSettings } from './domain/resilience/circuit-breaker.js';
export type {
  CircuitBreakerSettings,
  CircuitBreakerOptions,
  CircuitState,
} from './domain/resilience/circuit-breaker.js';
export { servedChunk, servedExtension } from './application/served-response.js';
export { systemFingerprint } from './application/system-fingerprint.js';

// Traces.
export { TraceRecorder, withinSpan } from './application/trace-recorder.js';
export { isTraceKept, traceSampleRateFromEnv, traceSampleRateVariable } from './application/trace-sampling.js';
export { newTraceId } from './application/trace-id.js';
export { spansInTreeOrder } from './application/span-tree.js';
export type { SpanAtDepth } from './application/span-tree.js';
export type {
  TraceRecorderOptions,
  TraceAttributes,
  TraceFacts,
  FallbackFacts,
  TraceTiming,
  TraceSubject,
  SpanHandle,
} from './application/trace-recorder.js';
export { BatchingTraceSink } from './application/batching-trace-sink.js';
export type { BatchingTraceSinkOptions, TraceQueue, TraceSinkStats } from './application/batching-trace-sink.js';
export { fanOutTraces } from './application/fan-out-trace-queue.js';
export { ChatPromptPreparer } from './application/chat-pipeline.js';
export { RagPromptPreparer } from './application/rag-pipeline.js';
export type { RagPromptPreparerOptions } from './application/rag-pipeline.js';
export { assembleMessages, defaultRagInstructions } from './application/prompt-assembly.js';
export type { AssembleMessagesInput } from './application/prompt-assembly.js';
export { ServingService } from './application/serving-service.js';
export type { ServingServiceOptions, ServingCallOptions, PipelineBuilder } from './application/serving-service.js';
export {
  commonServedChatRequest,
  parseServedChatRequest,
  servedChatRequestSchema,
  splitServedRequest,
} from './application/served-chat-request.js';
export type { ServedChatRequest, ServedRequestParts } from './application/served-chat-request.js';
export { toModelList } from './application/models-list.js';

// Retrieval.
export { CorpusIndex, passageEmbeddingText } from './application/retrieval/corpus-index.js';
export type { PassageVectors } from './application/retrieval/corpus-index.js';
export { CorpusIndexer, LiveCorpusIndex } from './application/retrieval/corpus-indexer.js';
export type { IndexRequest, IndexOutcome } from './application/retrieval/corpus-indexer.js';
export { toServableModel } from './domain/models/servable-model.js';
export type { ModelResolution } from './domain/models/servable-model.js';
export { chunkDocument } from './domain/retrieval/text-chunker.js';
export type { ChunkingSettings, ChunkingTools } from './domain/retrieval/text-chunker.js';
export type { CorpusDocument, Passage, ScoredPassage, Citation } from './domain/retrieval/passage.js';
export { renderTemplate, templateVariables } from './domain/prompts/prompt-template.js';

// Guardrails.
export { GuardrailEngine } from './application/guardrail-engine.js';
export type {
  GuardrailEngineOptions,
  GuardrailBlock,
  InputCheckResult,
  OutputCheckResult,
} from './application/guardrail-engine.js';
export {
  guardrailPolicySchema,
  guardrailsFileSchema,
  defaultGuardrailPolicyName,
} from './domain/guardrails/guardrail-policy.js';
export type {
  GuardrailPolicy,
  GuardrailsFile,
  InputChecks,
  OutputChecks,
  ModerationSettings,
} from './domain/guardrails/guardrail-policy.js';
export { GuardrailPolicies, builtInGuardrailPolicies } from './domain/guardrails/guardrail-policies.js';
export type {
  GuardrailStage,
  GuardrailCheckKind,
  GuardrailAction,
  GuardrailOutcome,
  GuardrailFinding,
  GuardrailVerdict,
} from './domain/guardrails/guardrail-verdict.js';
export { HarmClassifier } from './domain/guardrails/harm-classifier.js';
export { LearnedClassifier, learnedClassifierLabels } from './domain/guardrails/learned-classifier.js';
export type {
  LearnedClassifierLabel,
  LearnedClassifierModel,
  LearnedScores,
} from './domain/guardrails/learned-classifier.js';
export { hashedFeatures } from './domain/guardrails/hashed-features.js';
export { shippedLearnedClassifier } from './domain/guardrails/learned-findings.js';
export { SentenceEncoder } from './domain/guardrails/sentence-encoder/sentence-encoder.js';
export { EncoderClassifier } from './domain/guardrails/sentence-encoder/encoder-classifier.js';
export { encoderClassifierAt, shippedEncoderHead } from './domain/guardrails/sentence-encoder/encoder-files.js';
export { SentencePieceTokenizer } from './domain/guardrails/sentence-encoder/sentence-piece-tokenizer.js';
export { MiniLmEncoder } from './domain/retrieval/minilm/minilm-encoder.js';
export { WordPieceTokenizer } from './domain/retrieval/minilm/wordpiece-tokenizer.js';
export type { SentencePieceVocabulary } from './domain/guardrails/sentence-encoder/sentence-piece-tokenizer.js';
export { detectLanguage, coveredLanguages } from './domain/guardrails/text-language.js';
export type { LanguageReading, CoveredLanguage } from './domain/guardrails/text-language.js';
export type { HashedFeatures } from './domain/guardrails/hashed-features.js';
export type { HarmClassifierOptions } from './domain/guardrails/harm-classifier.js';
export { harmCategories, isHarmCategory } from './domain/guardrails/harm-categories.js';
export type { HarmCategory } from './domain/guardrails/harm-categories.js';
export { detectPii, redactPii, piiRules } from './domain/guardrails/pii-detectors.js';
export type { PiiKind, PiiMatch, PiiRuleId } from './domain/guardrails/pii-detectors.js';
export { explainGuardrails } from './application/guardrail-explanation.js';
export type {
  ExplainedFinding,
  ExplainGuardrailsOptions,
  GuardrailExplanation,
} from './application/guardrail-explanation.js';
export { detectInjection } from './domain/guardrails/injection-heuristics.js';
export { readingsOf, carriesWords } from './domain/guardrails/text-readings.js';
export {
  passageSentenceUnitsOf,
  passageSentencesOf,
  passageUnitsOf,
  passageWindowWords,
  wordWindowsOf,
} from './domain/guardrails/passage-units.js';
export type { TextReading, DecodingKind } from './domain/guardrails/text-readings.js';
export { normalizeForMatching } from './domain/guardrails/text-normalization.js';
export { retrievedChecksSchema, retrievedChecksOf } from './domain/guardrails/guardrail-policy.js';
export type { RetrievedChecks, PassageAction } from './domain/guardrails/guardrail-policy.js';
export type { TextRedaction } from './domain/guardrails/text-redaction.js';
export { PassageScreen } from './application/passage-screen.js';
export type { PassageScreening, ScreenedPassages } from './application/passage-screen.js';

// Adapters.
export { FileCorpusSource } from './adapters/file-system/file-corpus-source.js';
export { FileIndexStore } from './adapters/file-system/file-index-store.js';
export { ChatModelModerationJudge } from './adapters/judge/chat-model-moderation-judge.js';
export { loadGuardrailPolicies, defaultGuardrailsFile } from './adapters/config/guardrails-file.js';

// Trace stores: where served traces go (the embedded SQLite file, or MLflow by OTLP).
export type { TraceReader, TraceListOptions } from './ports.js';
export { SqliteTraceStore } from './adapters/sqlite/sqlite-trace-store.js';
export type { SqliteTraceStoreOptions } from './adapters/sqlite/sqlite-trace-store.js';
export { MlflowTraceSink, defaultTraceExperimentName } from './adapters/mlflow/mlflow-trace-sink.js';
export type { MlflowTraceSinkOptions } from './adapters/mlflow/mlflow-trace-sink.js';
export { llmopsTraceTags } from './adapters/mlflow/mlflow-trace-spans.js';
export { MlflowTraceReader } from './adapters/mlflow/mlflow-trace-reader.js';
export type { MlflowTraceReaderOptions } from './adapters/mlflow/mlflow-trace-reader.js';

// An OTLP collector that gets every served trace too (LLMOPS_OTLP_ENDPOINT).
export { OtlpTraceSink } from './adapters/otlp/otlp-trace-sink.js';
export type { OtlpTraceSinkOptions } from './adapters/otlp/otlp-trace-sink.js';
export { toOtlpSpans } from './adapters/otlp/otlp-trace-spans.js';
export {
  otlpCollectorEnv,
  otlpCollectorSettingsFromEnv,
  parseOtlpHeaders,
} from './adapters/otlp/otlp-collector-settings.js';
export type { OtlpCollectorSettings } from './adapters/otlp/otlp-collector-settings.js';

// Trace stores by store URI.
export { openTraceStore } from './adapters/open-trace-store.js';
export type { OpenTraceStoreOptions, OpenedTraceStore } from './adapters/open-trace-store.js';

// Structure-aware retrieval (issue 11): chunking by structure or tokens, the retrieval stages
// (BM25F candidates, reranking, top k, compression), and the reranker port.
export { chunkByStructure } from './domain/retrieval/structure-chunker.js';
export type { StructureChunkingSettings } from './domain/retrieval/structure-chunker.js';
export { chunkWith, chunkingTools, documentChunking } from './application/retrieval/corpus-indexer.js';
export { retrievePassages, LexicalReranker } from './application/retrieval/passage-retriever.js';
export { DenseReranker } from './application/retrieval/dense-reranker.js';
export type { DenseRerankerOptions, SentenceVectors } from './application/retrieval/dense-reranker.js';
export type { PassageVectorStore } from './ports.js';
export { FilePassageVectorStore } from './adapters/file-system/file-passage-vector-store.js';
export type { FilePassageVectorStoreOptions } from './adapters/file-system/file-passage-vector-store.js';
export { miniLmEncoderAt, miniLmWeightsIdentityAt } from './domain/retrieval/minilm/minilm-files.js';
export type {
  ModelPassageReranker,
  ModelRerankReport,
  PassageReranker,
  RetrievalOutcome,
} from './application/retrieval/passage-retriever.js';
export { HttpPassageReranker } from './adapters/http/http-passage-reranker.js';
export type { HttpPassageRerankerOptions } from './adapters/http/http-passage-reranker.js';
export type { CompressedContext, PassageCompression } from './domain/retrieval/context-compressor.js';

// POST /v1/embeddings through the provider layer (issue 13).
export { EmbeddingService } from './application/embedding-service.js';
export type {
  EmbeddingServiceOptions,
  EmbeddingCallOptions,
  EmbeddingStepBuilder,
} from './application/embedding-service.js';
export {
  servedEmbeddingRequestSchema,
  encodeEmbeddingBase64,
  maxEmbeddingInputs,
} from './application/served-embedding-request.js';
export type {
  ServedEmbeddingRequest,
  ServedEmbeddingResponse,
  EmbeddingItem,
} from './application/served-embedding-request.js';

// Agent pipelines (issue 13): assistant agents with a tool loop, teams, termination conditions.
export { AgentTeam } from './application/agents/agent-team.js';
export type {
  AgentRunReport,
  AgentStepReport,
  AgentTeamOptions,
  TracedCallOptions,
} from './application/agents/agent-team.js';
export { AssistantAgent } from './application/agents/assistant-agent.js';
export type {
  AgentTurn,
  ToolCallReport,
  AssistantAgentOptions,
  ToolOutputScreen,
} from './application/agents/assistant-agent.js';
export type { AgentTool } from './application/agents/agent-tool.js';
export { evaluateArithmetic } from './domain/agents/calculator.js';
export type { TerminationReason, TerminationConditionName } from './domain/agents/termination.js';

// The response cache (issue 13): the `cache` step, its keys, and its stores (in-process LRU, SQLite, Redis).
export { CacheStep, cacheStepFactory } from './application/cache-step.js';
export type {
  CacheStatus,
  CacheDirective,
  ResponseCacheSettings,
  CacheStepOptions,
  CacheStepFactoryOptions,
} from './application/cache-step.js';
export { cacheKeysOf, canonicalJson } from './domain/cache/cache-key.js';
export type { CacheKeys, CacheKeyInput } from './domain/cache/cache-key.js';
export { readCachedAnswer } from './application/cached-answer.js';
export type { CachedAnswer } from './application/cached-answer.js';
export { LruResponseCache } from './adapters/memory/lru-response-cache.js';
export type { LruResponseCacheOptions } from './adapters/memory/lru-response-cache.js';
export { SqliteResponseCache } from './adapters/sqlite/sqlite-response-cache.js';
export type { SqliteResponseCacheOptions } from './adapters/sqlite/sqlite-response-cache.js';
export { RedisResponseCache } from './adapters/redis/redis-response-cache.js';
export { RedisConnection, redisLocation } from './adapters/redis/redis-connection.js';
export type { RedisConnectionOptions } from './adapters/redis/redis-connection.js';
export type { RedisResponseCacheOptions } from './adapters/redis/redis-response-cache.js';
export { openResponseCache, responseCacheBackends } from './adapters/open-response-cache.js';
export { BackendFallback } from './adapters/fallback/backend-fallback.js';
export type { BackendFallbackOptions } from './adapters/fallback/backend-fallback.js';
export { FallbackResponseCache } from './adapters/fallback/fallback-response-cache.js';
export { FallbackLimitCounters } from './adapters/fallback/fallback-limit-counters.js';
export type { OpenResponseCacheOptions, OpenedResponseCache } from './adapters/open-response-cache.js';

// API keys, roles, limits and budgets.
export {
  apiKeyRoles,
  apiKeyLimitsSchema,
  apiKeyPrefix,
  formatApiKey,
  parseApiKey,
  hashApiKeySecret,
  isApiKeyId,
} from './domain/keys/api-key.js';
export type { ApiKeyRole, ApiKeyLimits, ApiKeyRecord } from './domain/keys/api-key.js';
export type {
  ApiKeyStore,
  ApiKeyChanges,
  ServingCaller,
  LimitCounters,
  LimitDecision,
  LimitRefusal,
  KeySpend,
} from './ports.js';
export { ApiKeys, newApiKeySchema } from './application/keys/api-keys.js';
export type { ApiKeysOptions, ApiKeyView, IssuedApiKey, NewApiKey } from './application/keys/api-keys.js';
export { LimitsStep, limitsStepFactory } from './application/keys/limits-step.js';
export type { LimitsStepOptions } from './application/keys/limits-step.js';
export { SqliteApiKeyStore } from './adapters/sqlite/sqlite-api-key-store.js';
export { LocalLimitCounters, MemorySpendLedger } from './adapters/memory/local-limit-counters.js';
export type { SpendLedger } from './adapters/memory/local-limit-counters.js';
export { RedisLimitCounters } from './adapters/redis/redis-limit-counters.js';
export type { RedisLimitCountersOptions } from './adapters/redis/redis-limit-counters.js';
export { openApiKeys, apiKeysDatabasePath } from './adapters/open-api-keys.js';
export type { OpenApiKeysOptions, OpenedApiKeys } from './adapters/open-api-keys.js';

// Batch inference (job kind `inference`): plan and resume by id, the output line format, bounded concurrency;
// JSONL files as the file-system adapter.
export { inferenceInputLineSchema, parseInferenceInput, anonymousLineId } from './domain/batch/inference-input-line.js';
export type { InferenceInputLine } from './domain/batch/inference-input-line.js';
export { inferenceRecordSchema, formatInferenceRecord, parseInferenceRecord } from './domain/batch/inference-record.js';
export type { InferenceRecord } from './domain/batch/inference-record.js';
export { planInference } from './domain/batch/inference-plan.js';
export type { InferencePlan } from './domain/batch/inference-plan.js';
export { runBatchInference, inferenceAnswerOf } from './application/batch/batch-inference.js';
export type {
  BatchInferenceModel,
  BatchInferenceOptions,
  BatchInferenceCounts,
  InferenceAnswer,
  InferenceRecordSink,
} from './application/batch/batch-inference.js';
export { readInferenceInput } from './adapters/file-system/jsonl-inference-input.js';
export {
  JsonlInferenceOutput,
  readExistingOutput,
  compactOutput,
} from './adapters/file-system/jsonl-inference-output.js';
export type { ExistingOutput } from './adapters/file-system/jsonl-inference-output.js';
