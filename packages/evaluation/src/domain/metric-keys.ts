import type { EvaluationSummary } from './aggregates.js';
import { metricNames } from './metric-catalog.js';

const loggedStatistics = ['mean', 'p50', 'p95', 'p99', 'min', 'max', 'count', 'errors', 'undefined'] as const;

/**
 * The metrics of a run as flat `<metric>/<statistic>` keys (`faithfulness/mean`, `latency/p95`), as
 * MLflow's GenAI evaluation names them, plus `harmful_rate/<category>` (the share of outputs flagged
 * in that category) and `examples`, `target_errors`. Statistics without a value are left out.
 */
export function flattenSummary(summary: EvaluationSummary): Record<string, number> {
  const flat: Record<string, number> = { examples: summary.examples, target_errors: summary.targetErrors };
  for (const name of metricNames) {
    const aggregate = summary.aggregates[name];
    if (!aggregate) continue;
    for (const statistic of loggedStatistics) {
      const value = aggregate[statistic];
      if (value !== null) flat[`${name}/${statistic}`] = value;
    }
  }
  const judged = summary.aggregates.harmful_rate?.count ?? 0;
  for (const [category, count] of Object.entries(summary.harmfulByCategory)) {
    if (judged > 0) flat[`harmful_rate/${category}`] = count / judged;
  }
  return flat;
}

/**
 * The metrics of a run in the dotted form promotion policies use (`contextual_relevancy.mean`,
 * `latency.p95`), plus every metric's bare name for its mean (`harmful_rate`).
 */
export function dottedMetrics(summary: EvaluationSummary): Record<string, number> {
  const dotted: Record<string, number> = {};
  for (const [key, value] of Object.entries(flattenSummary(summary))) {
    const [metric, statistic] = key.split('/');
    if (statistic === undefined) dotted[key] = value;
    else {
      dotted[`${metric}.${statistic}`] = value;
      if (statistic === 'mean') dotted[metric as string] = value;
    }
  }
  return dotted;
}
