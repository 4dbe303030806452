// Request events: the one definition, and what is derived from them.
export { isFailedEvent } from './domain/request-event.js';
export type { CacheStatus, GuardrailVerdict, RequestEndpoint, RequestEvent } from './domain/request-event.js';
export { citedSourcesOf, maxCitedSources, topicOf } from './domain/request-topic.js';
export { quantileOfSorted, summarizeEvents } from './domain/event-summary.js';
export type { ModelVersionSummary } from './domain/event-summary.js';
export { parseSinceDuration, sinceDurationPattern } from './domain/since-duration.js';

// Service level objectives.
export { monitoringConfSchema, sloSchema } from './domain/slo/slo-definition.js';
export type { MonitoringConf, Slo, SloKind, SloWindow } from './domain/slo/slo-definition.js';
export { evaluateSlos, hasHarmfulOutput, isServiceError } from './domain/slo/slo-evaluation.js';
export type { SloReport, SloState, SloStatus, SloWindowStatus } from './domain/slo/slo-evaluation.js';
export { buildEventTimeSeries, reportBucketMs } from './domain/event-time-series.js';
export type { TimeBucket, TimeSeriesOptions } from './domain/event-time-series.js';

// Ports.
export type {
  EventQuery,
  EventSink,
  EventStore,
  OnlineEvaluation,
  OnlineEvaluator,
  OnlineSample,
  OnlineScore,
  JudgeKind,
} from './ports.js';

// Online evaluation: the conf section, sampling and the scheduler.
export { onlineEvaluationConfigSchema } from './domain/online/online-evaluation-config.js';
export type { OnlineEvaluationConfig } from './domain/online/online-evaluation-config.js';
export { isRequestSampled } from './application/online/request-sampling.js';
export { OnlineEvaluationScheduler } from './application/online/online-evaluation-scheduler.js';
export type {
  OnlineDropReason,
  OnlineEvaluationObserver,
  OnlineEvaluationSchedulerOptions,
  OnlineEvaluationStats,
} from './application/online/online-evaluation-scheduler.js';

// Use cases.
export { BatchingEventQueue } from './application/batching-event-queue.js';
export type { BatchingEventQueueOptions, EventQueueStats } from './application/batching-event-queue.js';
export { fanOutEvents } from './application/event-fan-out.js';
export { startEventRetention } from './application/event-retention.js';
export type { EventRetention, EventRetentionOptions } from './application/event-retention.js';
export { buildMonitoringReport } from './application/monitoring-report.js';
export { renderMonitoringHtmlReport } from './adapters/reports/monitoring-html-report.js';
export type { ChartLibrary, MonitoringHtmlReportInput } from './adapters/reports/monitoring-html-report.js';
export type { MonitoringReport, MonitoringReportOptions } from './application/monitoring-report.js';
export { hashQuestion } from './application/question-hash.js';
export { buildEventDriftReport, eventWindowsDriftReport } from './application/event-drift.js';
export type {
  DriftReference,
  EventDriftOptions,
  EventDriftReport,
  EventWindows,
  TrafficWindow,
} from './application/event-drift.js';
export { buildSloStatus } from './application/slo-status.js';
export type { SloStatusOptions, SloStatusReport } from './application/slo-status.js';

// Adapters.
export { defaultMonitoringConfFile, loadMonitoringConf } from './adapters/config/monitoring-conf-file.js';
export type { LoadMonitoringConfOptions } from './adapters/config/monitoring-conf-file.js';
export { SqliteEventStore } from './adapters/sqlite/sqlite-event-store.js';
export type { SqliteEventStoreOptions } from './adapters/sqlite/sqlite-event-store.js';
export { monitoringDatabasePath, openEventStore } from './adapters/open-event-store.js';
export type { OpenEventStoreOptions, OpenedEventStore } from './adapters/open-event-store.js';
export { eventTagPrefix, eventTraceTags } from './adapters/mlflow/event-trace-tags.js';
export { MlflowEventTagWriter } from './adapters/mlflow/mlflow-event-tag-writer.js';
export type { MlflowEventTagStats, MlflowEventTagWriterOptions } from './adapters/mlflow/mlflow-event-tag-writer.js';
export { MlflowScoreWriter } from './adapters/mlflow/mlflow-score-writer.js';
export type { MlflowScoreStats, MlflowScoreWriterOptions } from './adapters/mlflow/mlflow-score-writer.js';
export type { TraceWriteRetryOptions } from './adapters/mlflow/trace-write-retries.js';
export { RequestMetrics } from './adapters/prometheus/request-metrics.js';
export type { RequestMetricsOptions, CircuitBreakerReading } from './adapters/prometheus/request-metrics.js';

// Drift: statistics and the report.
export { chiSquareHomogeneityTest } from './domain/drift/chi-square-homogeneity.js';
export type { ChiSquareResult } from './domain/drift/chi-square-homogeneity.js';
export { resolveDriftOptions } from './domain/drift/drift-options.js';
export type { DriftMethod, DriftOptions, FeatureKind, ResolvedDriftOptions } from './domain/drift/drift-options.js';
export { buildDriftReport } from './domain/drift/drift-report.js';
export { eventDriftFeatures, inputDriftFeatures } from './domain/drift/event-features.js';
export type { DriftFeatureSet, SkippedFeature } from './domain/drift/event-features.js';
export {
  findUnansweredTopics,
  resolveUnansweredTopicsRule,
  twoProportionTest,
} from './domain/drift/unanswered-topics.js';
export type {
  RefusalTally,
  TopicRefusals,
  UnansweredTopicsOptions,
  UnansweredTopicsReport,
  UnansweredTopicsRule,
} from './domain/drift/unanswered-topics.js';
export type { DriftReport } from './domain/drift/drift-report.js';
export { measureFeatureDrift } from './domain/drift/feature-drift.js';
export type {
  CategoricalFeature,
  DriftFeature,
  DriftVerdict,
  FeatureDriftResult,
  NumericFeature,
  TextFeature,
} from './domain/drift/feature-drift.js';
export { categoricalJensenShannonDistance, jensenShannonDistance } from './domain/drift/jensen-shannon-distance.js';
export { KOLMOGOROV_SMIRNOV_EXACT_MAX_SIZE, kolmogorovSmirnovTest } from './domain/drift/kolmogorov-smirnov.js';
export type { KolmogorovSmirnovMethod, KolmogorovSmirnovResult } from './domain/drift/kolmogorov-smirnov.js';
export {
  PSI_MODERATE_THRESHOLD,
  PSI_SIGNIFICANT_THRESHOLD,
  populationStabilityIndex,
  populationStabilityLevel,
} from './domain/drift/population-stability-index.js';
export type {
  PopulationStabilityLevel,
  PopulationStabilityOptions,
  PopulationStabilityResult,
} from './domain/drift/population-stability-index.js';
export { textDomainClassifierTest } from './domain/drift/text-domain-classifier.js';
export type {
  DomainClassifierThresholdRule,
  TextDriftOptions,
  TextDriftResult,
} from './domain/drift/text-domain-classifier.js';
export {
  normalizedWassersteinDistance,
  WASSERSTEIN_MIN_NORM,
  wassersteinDistance,
} from './domain/drift/wasserstein-distance.js';

// Alerts and actions: signals, rules, the engine, its store and notifiers.
export { signalOfDriftReport, signalOfSlo, signalsOfSloReport } from './domain/alerts/alert-signal.js';
export { corpusChangedSignal, signalOfCorpusCheck } from './domain/alerts/corpus-signal.js';
export type { CorpusCheck } from './domain/alerts/corpus-signal.js';
export { signalOfUnansweredTopics, unansweredTopicsSignal } from './domain/alerts/unanswered-topics-signal.js';
export type {
  AlertSignal,
  AlertSource,
  DriftSignalOptions,
  SignalWindow,
  SloStatusLike,
} from './domain/alerts/alert-signal.js';
export {
  alertActionNames,
  alertRuleSchema,
  alertsConfigSchema,
  dedupeKeyOf,
  isDryRun,
  reevaluationDatasetSchema,
  reevaluationSettingsSchema,
  ruleMatches,
  scheduledDriftSchema,
  webhookSettingsSchema,
} from './domain/alerts/alerts-config.js';
export type {
  AlertActionName,
  AlertRule,
  AlertsConfig,
  NotifyChannel,
  ReevaluationDataset,
  ReevaluationSettings,
  ScheduledDrift,
  WebhookSettings,
} from './domain/alerts/alerts-config.js';
export type {
  ActionOutcome,
  ActionStatus,
  AlertRecord,
  AliasEvaluation,
  NotificationOutcome,
  RebuildOutcome,
  RebuildPromotion,
  ReevaluationOutcome,
  RetrievalTrial,
  RetrievalTuning,
  RollbackOutcome,
} from './domain/alerts/alert-record.js';
export { decideRollback } from './domain/alerts/rollback-policy.js';
export type { RollbackDecision } from './domain/alerts/rollback-policy.js';
export type {
  AlertNotifier,
  AlertPayload,
  AlertStore,
  RebuildPort,
  ReEvaluationPort,
  RollbackPort,
} from './application/alerts/alert-ports.js';
export { AlertEngine, reevaluatedAliases } from './application/alerts/alert-engine.js';
export type { AlertEngineOptions, FiredAlert } from './application/alerts/alert-engine.js';
export { openAlertStore, SqliteAlertStore } from './adapters/sqlite/sqlite-alert-store.js';
export type { SqliteAlertStoreOptions } from './adapters/sqlite/sqlite-alert-store.js';
export { createNotifierFactory } from './adapters/alerts/create-notifier.js';
export type { NotifierFactoryOptions } from './adapters/alerts/create-notifier.js';
export { FileNotifier } from './adapters/alerts/file-notifier.js';
export type { FileNotifierOptions } from './adapters/alerts/file-notifier.js';
export { LogNotifier } from './adapters/alerts/log-notifier.js';
export type { AlertLogger } from './adapters/alerts/log-notifier.js';
export { WebhookNotifier } from './adapters/alerts/webhook-notifier.js';
export type { WebhookNotifierOptions } from './adapters/alerts/webhook-notifier.js';
