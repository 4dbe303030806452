// The HTTP server both apps run (`node apps/api/dist/main.js`, `llmops serve`).
export { createApiServer } from './http/api-server.js';
export type { ApiServerOptions, ReadinessCheck } from './http/api-server.js';
export { defaultShutdownTimeoutMs, shutdownTimeoutEnv, startApiServer } from './http/start-api-server.js';
export type { StartApiServerOptions, RunningApiServer } from './http/start-api-server.js';
export { anonymousInferenceEnv, startLlmopsServer } from './http/llmops-server.js';
export { callerOf, createAccessControl, routeAccess } from './http/access-control.js';
export { routeTable, findRoute } from './http/route-table.js';
export type { RouteDefinition, RouteMethod, RouteResponse } from './http/route-table.js';
export { createOpenApiDocument } from './http/openapi-document.js';
export type { OpenApiDocumentOptions } from './http/openapi-document.js';
export type { AccessCheck, AccessControlOptions, RouteAccess } from './http/access-control.js';
export { keyRoutes } from './http/routes/key-routes.js';
export type { LlmopsServerOptions, RunningLlmopsServer } from './http/llmops-server.js';
export { openAiRoutes } from './http/routes/openai-routes.js';
export type { OpenAiRoutesOptions } from './http/routes/openai-routes.js';
export { dashboardContentSecurityPolicy, dashboardRoutes } from './http/routes/dashboard-routes.js';
export { readChartLibrary } from './http/dashboard/dashboard-assets.js';
export { buildDashboardData, dashboardDriftMaxWindowMs, dashboardMaxWindowMs } from './monitoring/dashboard-data.js';
export type {
  DashboardAlert,
  DashboardAlertAction,
  DashboardData,
  DashboardEvaluationRun,
  DashboardModel,
  DashboardModelVersion,
  DashboardSources,
} from './monitoring/dashboard-data.js';

// Serving over the registry.
export {
  createServingWiring,
  createWorkspacePipelineFactory,
  workspaceGuardrailPolicies,
} from './serving/serving-wiring.js';
export type { ServingWiringOptions, ServingWiring } from './serving/serving-wiring.js';
export { RegistryModelResolver } from './serving/registry-model-resolver.js';

// Monitoring of served requests.
export { createMonitoringWiring, monitoringEnv } from './monitoring/monitoring-wiring.js';
export type { MonitoringWiring, MonitoringWiringOptions } from './monitoring/monitoring-wiring.js';
export { MonitoringStep, monitoringStepFactory } from './monitoring/monitoring-step.js';
export { selectMonitoredModel } from './monitoring/monitored-model.js';
export type { MonitoredModel } from './monitoring/monitored-model.js';
export { resolveDriftReference } from './monitoring/drift-reference.js';
export { monitoringRoutes } from './http/routes/monitoring-routes.js';
export type { MonitoringRoutesOptions } from './http/routes/monitoring-routes.js';
export type { MonitoringStepOptions } from './monitoring/monitoring-step.js';
export { alertReevaluationPurpose, createAlertActions } from './monitoring/alert-actions.js';
export { createOnlineEvaluator, onlineMetricNames } from './monitoring/online-evaluator.js';
export type { OnlineEvaluatorOptions } from './monitoring/online-evaluator.js';
export type { AlertActions, AlertActionsOptions } from './monitoring/alert-actions.js';
export { openMonitoringAlerts } from './monitoring/monitoring-alerts.js';
export { checkChampionCorpus } from './monitoring/corpus-check.js';
export { alertSignalsOf, scheduledDriftWindows, watchTraffic } from './monitoring/model-watch.js';
export type { WatchFindings, WatchTrafficOptions } from './monitoring/model-watch.js';
export { startAlertSchedule } from './monitoring/alert-schedule.js';
export type { AlertSchedule, AlertScheduleOptions } from './monitoring/alert-schedule.js';
export type { MonitoringAlerts, MonitoringAlertsOptions } from './monitoring/monitoring-alerts.js';

// Evaluation of served models.
export { createServedModelTargets } from './evaluation/served-model-target.js';
export { openExampleTraceQueue } from './evaluation/example-trace-queue.js';
export type { ExampleTraceQueue } from './evaluation/example-trace-queue.js';
export { PipelineTarget } from './evaluation/pipeline-target.js';
export type { PassageTextLookup } from './evaluation/pipeline-target.js';
export { judgeSpecErrorDetails, startEvaluation } from './evaluation/run-evaluation.js';
export type { JudgeSpecErrorDetails } from './evaluation/run-evaluation.js';
export type {
  BuiltTarget,
  EvaluationInvocation,
  EvaluationTargetChoice,
  EvaluationWorkspace,
  ModelTargetBuilder,
  ModelTargetOptions,
  RunningEvaluation,
  StartEvaluationOptions,
} from './evaluation/run-evaluation.js';
export { createEvaluationWiring } from './evaluation/evaluation-wiring.js';
export type { EvaluationWiring, EvaluationWiringOptions } from './evaluation/evaluation-wiring.js';
export { createRegistryWiring } from './registry/registry-wiring.js';
export { corpusOfSpec, readCorpusRecord } from './registry/corpus-record.js';
export type { RegistryWiring, RegistryWiringOptions } from './registry/registry-wiring.js';

// The providers of a workspace with the credentials it declares (issue 16).
export { createWorkspaceProviders } from './providers/workspace-providers.js';
