export { MlflowClient, createMlflowClient, createMlflowClientFromEnv, readMlflowEnv } from './lib/mlflow-client.js';
export type { MlflowClientSettings } from './lib/mlflow-client.js';

export { HttpTransport, parseTrackingUri } from './lib/http-transport.js';
export type { HttpTransportSettings, TransportRequest, QueryValue } from './lib/http-transport.js';
export type { MlflowAuth } from './lib/mlflow-auth.js';
export { mlflowErrorFromResponse, mlflowDetailsOf } from './lib/mlflow-error.js';
export type { MlflowErrorDetails, MlflowErrorResponse } from './lib/mlflow-error.js';
export { mlflowLimits } from './lib/input-validation.js';
export type { Page, PageOptions } from './lib/pagination.js';

export { ExperimentsApi } from './lib/experiments-api.js';
export type { Experiment, ViewType, CreateExperimentOptions, SearchExperimentsOptions } from './lib/experiments-api.js';

export { RunsApi } from './lib/runs-api.js';
export type {
  Run,
  RunInfo,
  RunStatus,
  Metric,
  MetricInput,
  LogBatchOptions,
  LogInputsOptions,
  SearchRunsOptions,
} from './lib/runs-api.js';
export { datasetContextTag } from './lib/dataset-input.js';
export type { DatasetInput, RunDatasetInput } from './lib/dataset-input.js';
export { splitLogBatch, mlflowLogBatchLimits } from './lib/log-batch-split.js';
export type { LogBatchChunk, LogBatchLimits, WireMetric, WireKeyValue } from './lib/log-batch-split.js';

export { RegistryApi, isPromptTagKey, withPromptFilter } from './lib/registry-api.js';
export type {
  RegisteredModel,
  ModelVersion,
  SearchRegistryOptions,
  CreateModelVersionOptions,
} from './lib/registry-api.js';

export { PromptsApi, promptTags, promptSourcePlaceholders, promptVersionFromModelVersion } from './lib/prompts-api.js';
export type {
  Prompt,
  PromptVersion,
  PromptTemplate,
  PromptChatMessage,
  RegisterPromptOptions,
} from './lib/prompts-api.js';

export { ArtifactsApi, artifactProxyRoot } from './lib/artifacts-api.js';
export type { ArtifactFile, ArtifactLocation } from './lib/artifacts-api.js';

export { TracesApi, ActiveTrace, mlflowTraceId, otlpTracesPath } from './lib/traces-api.js';
export type { ActiveSpan, SpanInput, SpanType, LogTraceOptions, TraceInfo } from './lib/traces-api.js';
export { encodeExportTraceRequest } from './lib/otlp-encoder.js';
export type { AttributeValue, SpanStatusCode, OtlpSpan, OtlpExport } from './lib/otlp-encoder.js';
