// Domain: datasets, metrics, aggregates, gates, comparison.
export { exampleSchema, exampleMessages, exampleQuestion } from './domain/example.js';
export type { Example } from './domain/example.js';
export { parseDataset, createDataset } from './domain/dataset.js';
export type { Dataset, DatasetFormat, ParseDatasetOptions } from './domain/dataset.js';
export { parseCsv } from './domain/csv.js';
export type { CsvRecord } from './domain/csv.js';
export { canonicalJson, contentHash } from './domain/canonical-json.js';
export { harmCategories } from './domain/judgement.js';
export type {
  Verdict,
  StatementVerdict,
  JudgeTask,
  JudgeTaskKind,
  JudgeAnswers,
  JudgeAnswer,
  CorrectnessClassification,
  HarmCategory,
} from './domain/judgement.js';
export { metricList, metricNames, metricCatalog, isMetricName, defaultMetrics } from './domain/metric-catalog.js';
export type { MetricName } from './domain/metric-catalog.js';
export type { Metric, MetricDescriptor, MetricScore, MetricUnit } from './domain/metrics/metric.js';
export type { MetricContext, ScoredAnswer, AskJudge } from './domain/metrics/metric-context.js';
export type { MetricResult, TokenUsage, ExampleResult, RetrievalSource } from './domain/example-result.js';
export { summarizeResults } from './domain/aggregates.js';
export type { MetricAggregate, AggregateStatistic, EvaluationSummary } from './domain/aggregates.js';
export { judgeErrorCauses, judgedScoreCounts, targetErrorCauses } from './domain/target-error-causes.js';
export type { JudgedScoreCounts } from './domain/target-error-causes.js';
export type { TargetErrorCause } from './domain/target-error-causes.js';
export {
  parseCriterion,
  evaluateGates,
  gateCriterionSchema,
  gateFileSchema,
  withErrorRateCriterion,
  defaultMaxErrorRate,
  runQuantities,
} from './domain/gates.js';
export type {
  GateOperator,
  GateCriterion,
  GateVerdict,
  GateReport,
  GateFile,
  GateMetric,
  RunQuantity,
} from './domain/gates.js';
export { isRunStale, defaultHeartbeatIntervalMs, missedHeartbeatsBeforeAbandoned } from './domain/run-heartbeat.js';
export { AbandonedRunSweep } from './application/abandoned-run-sweep.js';
export type { AbandonedRunSweepOptions } from './application/abandoned-run-sweep.js';
export { mean, percentile, seededRandom, bootstrapMeanDifferenceInterval } from './domain/statistics.js';
export {
  defaultExampleThreshold,
  exampleMetricThreshold,
  metricPassed,
  examplePassed,
  exampleThresholdsOfGate,
  exampleThresholdsOfRun,
} from './domain/example-verdict.js';
export type { ExampleMetricThreshold, ExampleRule, ExampleThresholds } from './domain/example-verdict.js';
export {
  runVerdicts,
  runVerdict,
  runMatches,
  sortOrders,
  exampleSortKeys,
  isExampleSortKey,
  queryExamples,
  histogramEdges,
  histogramBin,
  histogramsOf,
} from './domain/run-browsing.js';
export type { Page, RunSearch, ExampleQuery, IndexedExample, MetricHistogram } from './domain/run-browsing.js';
export {
  compareRunSet,
  comparisonGrid,
  sameDataset,
  disagreementScoreGap,
  withScores,
} from './domain/run-set-comparison.js';
export { runScoresOf, scoredValues, pairScores, emptyScoreColumn } from './domain/run-scores.js';
export type { RunScores, PairedScores } from './domain/run-scores.js';
export { RunSetComparisons, comparisonCacheCapacity } from './application/run-set-comparisons.js';
export type { RunSetComparison } from './application/run-set-comparisons.js';
export type {
  RunWithResults,
  RunWithScores,
  MetricDelta,
  MetricAcrossRuns,
  ComparisonCell,
  ComparisonRow,
  ComparisonGridQuery,
} from './domain/run-set-comparison.js';
export { TrackerRunQueries, searchedRunsLimit } from './application/tracker-run-queries.js';
export { resolveRunReference, runReferenceWords } from './application/run-reference.js';
export type { ConfidenceInterval, BootstrapOptions } from './domain/statistics.js';
export { comparisonVerdict } from './domain/run-comparison.js';
export type {
  ComparisonVerdict,
  MetricComparison,
  RegressedExample,
  RunComparison,
  CompareOptions,
} from './domain/run-comparison.js';
export { judgeChallenger } from './domain/challenger-verdict.js';
export type { ChallengerVerdict, DatasetComparison, Worsening } from './domain/challenger-verdict.js';
export type {
  RunStatus,
  TargetDescription,
  DatasetReference,
  JudgeStatistics,
  EvaluationRunRecord,
} from './domain/evaluation-run.js';

// Ports.
export type {
  Target,
  TargetOutput,
  TargetCallOptions,
  Judge,
  JudgeCallOptions,
  JudgeCache,
  RunTracker,
  RunArtifact,
  RunListFilter,
  RunQueries,
} from './ports.js';

// Application.
export { CachingJudge } from './application/caching-judge.js';
export { InMemoryJudgeCache } from './application/in-memory-judge-cache.js';
export type { CreateMetricContextOptions } from './application/create-metric-context.js';
export { scoreExample } from './application/example-scorer.js';
export type { ScoreExampleOptions } from './application/example-scorer.js';
export { runEvaluation } from './application/evaluation-runner.js';
export type { RunEvaluationOptions, EvaluationOutcome, ProgressEvent } from './application/evaluation-runner.js';
export { EvaluationService } from './application/evaluation-service.js';
export type {
  EvaluationReport,
  EvaluationServiceDependencies,
  EvaluateRequest,
  StartedEvaluation,
  ComparisonReport,
} from './application/evaluation-service.js';
export { TrackedEvaluationEvidence } from './application/tracked-evaluation-evidence.js';
export { dottedMetrics } from './domain/metric-keys.js';
export type { EvidenceRequest, EvaluationEvidenceRecord } from './application/tracked-evaluation-evidence.js';
export { referenceContextSamples, measureJudgeSeparation } from './application/judge-separation.js';
export type { RelevanceSample, SeparationResult } from './application/judge-separation.js';

// Adapters: judges.
export { OfflineHeuristicJudge, offlineJudgeName } from './adapters/judges/offline-heuristic-judge.js';
export type { OfflineHeuristicJudgeOptions } from './adapters/judges/offline-heuristic-judge.js';
export { LlmJudge } from './adapters/judges/llm-judge.js';
export type { LlmJudgeOptions } from './adapters/judges/llm-judge.js';
export { harmRules } from './adapters/judges/harm-rules.js';
export type { HarmRule } from './adapters/judges/harm-rules.js';
export { looksLikeRefusal } from './adapters/judges/refusal-patterns.js';
export { createJudge } from './adapters/judges/create-judge.js';
export type { CreateJudgeOptions } from './adapters/judges/create-judge.js';

// Adapters: targets.
export { ChatModelTarget, createOpenAiCompatibleTarget } from './adapters/targets/chat-model-target.js';
export { guardrailRefusalOutput, retrievalContextString } from './domain/served-output.js';
export type { ChatModelTargetOptions, OpenAiCompatibleTargetOptions } from './adapters/targets/chat-model-target.js';
export { RecordedOutputsTarget } from './adapters/targets/recorded-outputs-target.js';
export type { RecordedOutput } from './adapters/targets/recorded-outputs-target.js';

// Adapters: tracking and files.
export { openEvaluationDatabase } from './adapters/sqlite/evaluation-database.js';
export { SqliteRunTracker } from './adapters/sqlite/sqlite-run-tracker.js';
export type { SqliteRunTrackerOptions } from './adapters/sqlite/sqlite-run-tracker.js';
export { SqliteJudgeCache } from './adapters/sqlite/sqlite-judge-cache.js';
export { SqliteRunQueries } from './adapters/sqlite/sqlite-run-queries.js';
export { MlflowRunTracker } from './adapters/mlflow/mlflow-run-tracker.js';
export type { MlflowRunTrackerOptions } from './adapters/mlflow/mlflow-run-tracker.js';
export { openEvaluationStore } from './adapters/open-evaluation-store.js';
export type { OpenEvaluationStoreOptions, EvaluationStore } from './adapters/open-evaluation-store.js';
export { loadDatasetFile, loadGateFile, loadRecordedOutputsFile } from './adapters/files/dataset-file.js';

// Adapters: reports and progress.
export type { ReportInput } from './adapters/reports/html-report.js';
export { renderReport, reportFormatOf, standardReportArtifacts } from './adapters/reports/report-artifacts.js';
export type { ReportFormat } from './adapters/reports/report-artifacts.js';
export { renderComparison } from './adapters/reports/comparison-report.js';
export { createProgressDisplay } from './adapters/progress/progress-display.js';
export type { ProgressDisplay, ProgressDisplayOptions } from './adapters/progress/progress-display.js';

// Issue 11: reference matching, retrieval and answer metrics, undefined scores, strict mode.
export {
  matchesReference,
  matchedReferences,
  passageText,
  collapseWhitespace,
  referenceCoverage,
} from './domain/reference-match.js';
export { parseMetricChoice, strictSuffix, metricChoiceSchema } from './domain/metric-catalog.js';
export type { MetricChoice } from './domain/metric-catalog.js';
export {
  strictScore,
  decidedVerdicts,
  hallucinationScore,
  correctnessCounts,
  factualF1Score,
  answerCorrectnessScore,
  answerCorrectnessWeights,
} from './domain/metric-formulas.js';
export type { CorrectnessCounts } from './domain/metric-formulas.js';
export { tokenF1, answerTokens } from './domain/text-normalization.js';
export type { UnscoredCounts } from './domain/aggregates.js';

// Judge validation: the ROC AUC of scores against labels, and DeepEval's contextual relevancy formula.
export { areaUnderRoc } from './domain/statistics.js';
export { contextualRelevancyScore } from './domain/metric-formulas.js';
