import { exampleMetricThreshold, exampleThresholdsOfRun, metricPassed, runVerdict } from '@llmops/evaluation';
import type {
  ComparisonRow,
  EvaluationRunRecord,
  IndexedExample,
  MetricAcrossRuns,
  MetricName,
  MetricResult,
} from '@llmops/evaluation';

/** Characters of input and output a list row carries (the detail carries them whole). */
export const listTextLength = 300;

function clip(text: string): string {
  return text.length <= listTextLength ? text : `${text.slice(0, listTextLength)}…`;
}

function isoTime(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}

/** The console's RunSummary of a run (snake_case, `null` for what is unknown). */
export function runSummaryView(record: EvaluationRunRecord) {
  const metrics: Record<string, number | null> = {};
  for (const [name, aggregate] of Object.entries(record.summary.aggregates)) metrics[name] = aggregate?.mean ?? null;
  return {
    id: record.id,
    name: record.name,
    model_ref: record.target.modelRef ?? record.target.name,
    dataset: record.dataset.name,
    status: record.status,
    verdict: runVerdict(record),
    metrics,
    started_at: isoTime(record.startedAt),
    finished_at: isoTime(record.finishedAt),
    example_count: record.summary.examples,
    error_count: record.summary.targetErrors,
  };
}

/** The run as `GET /api/v1/evaluations/:id` answers it: its summary, the gate table, aggregates and reports. */
export function runDetailView(record: EvaluationRunRecord) {
  return {
    object: 'evaluation',
    ...runSummaryView(record),
    target: {
      kind: record.target.kind,
      name: record.target.name,
      model_name: record.target.modelName ?? null,
      model_version: record.target.modelVersion ?? null,
      params: record.target.params ?? {},
    },
    dataset_source: record.dataset.source,
    dataset_hash: record.dataset.hash,
    judge: record.judge,
    gates: (record.gates?.verdicts ?? []).map((verdict) => ({
      metric: verdict.metric,
      aggregate: verdict.statistic,
      operator: verdict.operator,
      threshold: verdict.threshold,
      actual: verdict.value,
      passed: verdict.passed,
      criterion: verdict.criterion,
      reason: verdict.reason,
    })),
    aggregates: record.summary.aggregates,
    harmful_by_category: record.summary.harmfulByCategory,
    judge_statistics: {
      calls: record.judgeStatistics.calls,
      cache_hits: record.judgeStatistics.cacheHits,
      errors: record.judgeStatistics.errors,
    },
    tags: record.tags,
    error: record.error ?? null,
    reports: Object.entries(record.artifacts).map(([name, location]) => ({ name, location })),
  };
}

function scoresOf(metrics: Partial<Record<MetricName, MetricResult>>): Record<string, number | null> {
  return Object.fromEntries(Object.entries(metrics).map(([name, value]) => [name, value?.score ?? null]));
}

/** A row of `GET /api/v1/evaluations/:id/examples`: input and output cut to {@link listTextLength} characters. */
export function exampleRowView({ index, result, passed }: IndexedExample) {
  return {
    index,
    example_id: result.exampleId,
    input: clip(result.input),
    expected_output: result.expectedOutput === undefined ? null : clip(result.expectedOutput),
    output: clip(result.output),
    error: result.error ?? null,
    scores: scoresOf(result.metrics),
    passed,
  };
}

/** `GET /api/v1/evaluations/:id/examples/:index`: everything about one example. */
export function exampleDetailView({ index, result, passed }: IndexedExample) {
  return {
    index,
    example_id: result.exampleId,
    input: result.input,
    expected_output: result.expectedOutput ?? null,
    output: result.output,
    error: result.error ?? null,
    passed,
    tags: result.tags,
    retrieval_context: result.retrievalContext.map((text, position) => {
      const source = result.retrievalSources?.[position];
      return {
        rank: position + 1,
        source: source?.source ?? null,
        title: source?.title ?? null,
        score: source?.score ?? null,
        text,
      };
    }),
    metrics: (Object.entries(result.metrics) as Array<[MetricName, MetricResult]>).map(([name, metric]) => {
      const threshold = exampleMetricThreshold(name);
      return {
        name,
        score: metric.score,
        threshold: threshold?.value ?? null,
        operator: threshold?.operator ?? null,
        passed: metricPassed(name, metric),
        reason: metric.reason,
        judge: metric.judge ?? null,
        error: metric.error ?? null,
      };
    }),
    trace_id: result.traceId ?? null,
    model: result.model ?? null,
    latency_ms: result.latencyMs,
    tokens: result.usage ? { prompt: result.usage.inputTokens, completion: result.usage.outputTokens } : null,
    cost_usd: result.costUsd,
  };
}

/** One metric of `GET /api/v1/evaluations/compare`. */
export function metricComparisonView(compared: MetricAcrossRuns) {
  return {
    name: compared.metric,
    values: compared.means.map((value) => ({ run_id: value.runId, mean: value.mean })),
    deltas: compared.deltas.map((delta) => ({
      run_id: delta.runId,
      delta: delta.delta,
      ci_low: delta.low,
      ci_high: delta.high,
      confidence: delta.level,
      paired: delta.paired,
      verdict: delta.verdict,
    })),
  };
}

/**
 * The rule a run's cells of the comparison grid pass or fail by, for its legend: `gate` with the per-example thresholds
 * its gate implies (metrics it does not name keep the default rule), or `default` (no gate, or a gate with no criterion
 * on a metric: every score metric `>= default_threshold`, `harmful_rate <= 0`).
 */
export function exampleRuleView(record: EvaluationRunRecord) {
  const thresholds = exampleThresholdsOfRun(record);
  const fromGate = Object.entries(thresholds.byMetric).map(([metric, bound]) => ({
    metric,
    operator: bound.operator,
    value: bound.value,
  }));
  return {
    run_id: record.id,
    source: fromGate.length > 0 ? ('gate' as const) : ('default' as const),
    thresholds: fromGate,
    default_threshold: thresholds.fallback,
  };
}

/** One row of `GET /api/v1/evaluations/compare/examples`. */
export function comparisonRowView(row: ComparisonRow) {
  return {
    example_key: row.key,
    input: clip(row.input),
    cells: row.cells.map((cell) => ({
      run_id: cell.runId,
      output: cell.output === null ? null : clip(cell.output),
      passed: cell.passed,
      scores: cell.scores,
    })),
    disagree: row.disagree,
  };
}
