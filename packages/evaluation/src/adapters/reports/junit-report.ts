import { defaultExampleThreshold, metricPassed } from '../../domain/example-verdict.js';
import type { MetricName } from '../../domain/metric-catalog.js';
import type { ReportInput } from './html-report.js';
import { escapeMarkup as escape, formatValue } from './markup.js';

/** Options of {@link renderJunitReport}. */
export interface JunitOptions {
  /** An example fails when a score metric is below this (the default threshold of DeepEval's metrics); 0.5 by default. */
  exampleThreshold?: number;
}

function failureOf(result: ReportInput['results'][number], threshold: number): string[] {
  const problems: string[] = [];
  for (const [name, metric] of Object.entries(result.metrics) as Array<
    [MetricName, NonNullable<(typeof result.metrics)[MetricName]>]
  >) {
    // One rule for an example's verdict, shared with the API's example lists (`metricPassed`).
    if (metricPassed(name, metric, threshold) !== false) continue;
    problems.push(
      metric.score === null
        ? `${name}: judge error: ${metric.error}`
        : `${name}=${formatValue(metric.score, 3)}: ${metric.reason}`,
    );
  }
  return problems;
}

/**
 * The JUnit XML of a run, for CI systems: a `gates` suite with one test case per criterion (failed
 * when the criterion fails) and an `examples` suite with one test case per example (an error when
 * the target failed; a failure when a score metric is below `exampleThreshold`, the output was
 * harmful, or a judge failed; informational metrics such as `exact_match` and `similarity` are reported, not failed on).
 */
export function renderJunitReport(input: ReportInput, options: JunitOptions = {}): string {
  const { record, results } = input;
  const threshold = options.exampleThreshold ?? defaultExampleThreshold;
  const gateCases = (record.gates?.verdicts ?? []).map((verdict) => {
    const body = verdict.passed
      ? ''
      : `<failure message="${escape(verdict.reason)}" type="gate_failed">${escape(verdict.reason)}</failure>`;
    return `    <testcase classname="gates" name="${escape(verdict.criterion)}">${body}</testcase>`;
  });
  const gateFailures = (record.gates?.verdicts ?? []).filter((verdict) => !verdict.passed).length;
  let exampleFailures = 0;
  let exampleErrors = 0;
  const exampleCases = results.map((result) => {
    const time = result.latencyMs === null ? 0 : result.latencyMs / 1000;
    const open = `    <testcase classname="examples.${escape(record.dataset.name)}" name="${escape(result.exampleId)}" time="${time.toFixed(3)}">`;
    if (result.error !== undefined) {
      exampleErrors += 1;
      return `${open}<error message="${escape(result.error)}" type="target_error">${escape(result.error)}</error></testcase>`;
    }
    const problems = failureOf(result, threshold);
    if (problems.length === 0) return `${open}</testcase>`;
    exampleFailures += 1;
    return `${open}<failure message="${escape(problems[0] as string)}" type="metric_below_threshold">${escape(problems.join('\n'))}</failure></testcase>`;
  });
  const duration = record.finishedAt === undefined ? 0 : (record.finishedAt - record.startedAt) / 1000;
  const total = gateCases.length + exampleCases.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escape(`llmops evaluation ${record.name}`)}" tests="${total}" failures="${gateFailures + exampleFailures}" errors="${exampleErrors}" time="${duration.toFixed(3)}">`,
    `  <testsuite name="gates" tests="${gateCases.length}" failures="${gateFailures}" errors="0">`,
    ...gateCases,
    '  </testsuite>',
    `  <testsuite name="examples" tests="${exampleCases.length}" failures="${exampleFailures}" errors="${exampleErrors}" time="${duration.toFixed(3)}">`,
    `    <properties><property name="judge" value="${escape(record.judge)}"/><property name="dataset.digest" value="${escape(record.dataset.digest)}"/><property name="run" value="${escape(record.id)}"/></properties>`,
    ...exampleCases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
