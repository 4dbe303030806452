export {
  errorCodes,
  openAiErrorCodes,
  LlmopsError,
  toOpenAiErrorBody,
  wireErrorCode,
  causeChain,
} from './errors/llmops-error.js';
export type { ErrorCode, LlmopsErrorOptions, OpenAiErrorCode } from './errors/llmops-error.js';

export {
  namePattern,
  maxNameLength,
  nameRuleText,
  isValidName,
  assertValidName,
  parseReference,
  formatReference,
} from './references/reference.js';
export type { Reference } from './references/reference.js';

export {
  chatMessageSchema,
  chatCompletionRequestSchema,
  chatCompletionSchema,
  chatCompletionChunkSchema,
  errorResponseSchema,
  contentText,
  usageSchema,
  finishReasonSchema,
  toolCallDeltaSchema,
} from './chat/chat-schemas.js';
export type {
  ToolCall,
  ChatMessage,
  Tool,
  GenerationParams,
  ChatCompletionRequest,
  Usage,
  FinishReason,
  ChatCompletion,
  ToolCallDelta,
  ChatCompletionChunk,
  ErrorResponse,
} from './chat/chat-schemas.js';
export { modelListSchema, modelObjectSchema } from './chat/model-list-schema.js';
export type { ModelObject, ModelList } from './chat/model-list-schema.js';

export type { ChatModel, ChatModelRequest, CallOptions } from './ports/chat-model.js';
export type { Embedder, EmbeddingResult } from './ports/embedder.js';
export { systemClock, ManualClock } from './ports/clock.js';
export type { Clock } from './ports/clock.js';

export { defaultRetryPolicy, withRetry, parseRetryAfter } from './retry/retry.js';
export type { RetryPolicy, RetryOptions } from './retry/retry.js';

export { configOriginOf, loadConfig, loadConfigDocument, validateConfig } from './config/config-loader.js';
export type { LoadConfigOptions, ConfigDocument } from './config/config-loader.js';

export { defaultStoreUri, parseStoreUri } from './stores/store-uri.js';
export type { StoreLocation } from './stores/store-uri.js';
export {
  findWorkspace,
  resolveStore,
  workspaceDataFolder,
  workspaceFileName,
  workspaceFileSchema,
} from './stores/resolve-store.js';
export type {
  ResolvedStore,
  ResolveStoreOptions,
  StoreSource,
  Workspace,
  WorkspaceFile,
} from './stores/resolve-store.js';

export {
  harmTaxonomy,
  harmCategories,
  isHarmCategory,
  harmCategoryOf,
  harmCategoryOfLlamaGuard,
  describeHarmCategories,
} from './harm/harm-taxonomy.js';
export type { HarmCategory, HarmCategoryEntry, LlamaGuardHazard } from './harm/harm-taxonomy.js';

export { parseWithSchema, safeParseWithSchema, topLevelPath } from './validation/parse-with-schema.js';
export { jsonSyntaxProblem } from './validation/json-syntax-problem.js';
export { forbiddenKeyPath } from './validation/forbidden-keys.js';
export type { SchemaIssue, ParseWithSchemaOptions, SchemaParseResult } from './validation/parse-with-schema.js';

export {
  maxProviderTimeoutMs,
  providerNamePattern,
  parseProviderModel,
  providerModelSchema,
  providerTimeoutMsSchema,
} from './model-spec/provider-model.js';
export type { ProviderModel } from './model-spec/provider-model.js';
export type { ProviderCatalog, ModelPurpose } from './model-spec/provider-catalog.js';
export { ragDefaults, ragBounds } from './model-spec/pipeline-spec.js';
export type { ChatPipelineSpec, RagPipelineSpec, AgentPipelineSpec, PipelineSpec } from './model-spec/pipeline-spec.js';
export {
  modelSpecSchema,
  cachePolicyDefaults,
  maxCacheTtlSeconds,
  semanticCacheDefaults,
  parseModelVersionSpec,
} from './model-spec/model-spec-schema.js';
export type {
  ModelSpecInput,
  ModelVersionSpec,
  ModelParams,
  CachePolicy,
  SemanticCachePolicy,
} from './model-spec/model-spec-schema.js';
export { assertKnownProviders } from './model-spec/known-providers.js';

// Retrieval settings of RAG pipelines (issue 11).
export { retrievalSchema, retrievalTuneSchema, maxTunedValues, chunkingSchema } from './model-spec/pipeline-spec.js';
export type { RetrievalSpec, RetrievalTune, ChunkingSpec } from './model-spec/pipeline-spec.js';
export { denseRerankSchema } from './model-spec/dense-rerank-spec.js';
export type { DenseRerankSpec } from './model-spec/dense-rerank-spec.js';
export { modelRerankerSchema, modelRerankerTimeoutBounds } from './model-spec/model-reranker-spec.js';
export type { ModelRerankerSpec } from './model-spec/model-reranker-spec.js';

// Files named by users, confined to a folder by their real path.
export { confinedPath, confinedOperatorFile, dataRootsOf, dataRootsVariable } from './files/confined-path.js';
export type { ConfinedPathOptions, ConfinedOperatorFileOptions } from './files/confined-path.js';

// A bounded queue that writes in batches off the request path (traces, events).
export { BatchingQueue } from './batching/batching-queue.js';
export type { BatchingQueueOptions, BatchingQueueStats } from './batching/batching-queue.js';

// Versioned tables in the shared SQLite file.
export { migrateSqliteSchema } from './sqlite/sqlite-schema.js';
export type { SqliteSchema, SqliteSchemaStep } from './sqlite/sqlite-schema.js';
export { openSqliteFile } from './sqlite/sqlite-file.js';
export type { SqliteBatchStatement, SqliteBatchWriter, SqliteRowValue } from './sqlite/sqlite-batch-writer.js';
export { openSqliteBatchWriter, sqliteWriterEnv, sqliteWriterModeFromEnv } from './sqlite/open-sqlite-batch-writer.js';
export type { SqliteBatchWriterOptions, SqliteWriterMode } from './sqlite/open-sqlite-batch-writer.js';
export { loadNodeSqlite, nodeSqliteMinimumVersion } from './sqlite/node-sqlite.js';
export type { SqliteFileOptions } from './sqlite/sqlite-file.js';

// Agent pipelines: tools, agents, teams and termination conditions (issue 13).
export { agentBounds, agentDefaults, toolSpecSchema, agentSpecSchema } from './model-spec/agent-pipeline-spec.js';
export type {
  ToolSpec,
  HttpToolSpec,
  RetrievalToolSpec,
  AgentSpec,
  TeamSpec,
  TerminationSpec,
} from './model-spec/agent-pipeline-spec.js';

// Provider keys by reference only to what the deployment declares, each bound to its hosts (issue 16).
export {
  ProviderCredentials,
  providerKeyPrefix,
  providerKeyHostsSuffix,
  defaultProviderKeyVariable,
  isNeverNamedVariable,
  credentialsFileSchema,
  credentialEntrySchema,
} from './credentials/provider-credentials.js';
export type { ProviderCredential, CredentialRequest, CredentialsFile } from './credentials/provider-credentials.js';
export { loadProviderCredentials, defaultCredentialsFile } from './credentials/load-provider-credentials.js';
export type { LoadProviderCredentialsOptions } from './credentials/load-provider-credentials.js';
