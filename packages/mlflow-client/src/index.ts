export { MlflowClient, createMlflowClient, createMlflowClientFromEnv } from './lib/mlflow-client.js';
export type { MlflowClientSettings } from './lib/mlflow-client.js';

export { HttpTransport } from './lib/http-transport.js';
export type { HttpTransportSettings, TransportRequest, QueryValue } from './lib/http-transport.js';
export type { MlflowAuth } from './lib/mlflow-auth.js';
export type { MlflowErrorDetails } from './lib/mlflow-error.js';
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
export type { DatasetInput, RunDatasetInput } from './lib/dataset-input.js';

export { RegistryApi } from './lib/registry-api.js';
export type {
  RegisteredModel,
  ModelVersion,
  SearchRegistryOptions,
  CreateModelVersionOptions,
} from './lib/registry-api.js';

export { PromptsApi } from './lib/prompts-api.js';
export type {
  Prompt,
  PromptVersion,
  PromptTemplate,
  PromptChatMessage,
  RegisterPromptOptions,
} from './lib/prompts-api.js';

export { ArtifactsApi } from './lib/artifacts-api.js';
export type { ArtifactFile, ArtifactLocation } from './lib/artifacts-api.js';

export { TracesApi, ActiveTrace, mlflowTraceId, maxTracesPerBatchGet } from './lib/traces-api.js';
export type {
  ActiveSpan,
  AssessmentSourceType,
  LogFeedbackOptions,
  SpanInput,
  SpanType,
  LogTraceOptions,
  LogTracesOptions,
  SearchTracesOptions,
  StoredSpan,
  StoredTrace,
  TraceAssessment,
  TraceInfo,
} from './lib/traces-api.js';
export { encodeExportTraceRequest, toReadableSpans } from './lib/otlp-encoder.js';
export type { AttributeValue, SpanStatusCode, OtlpSpan, OtlpExport } from './lib/otlp-encoder.js';
