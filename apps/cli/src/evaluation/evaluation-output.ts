import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { LlmopsError } from '@llmops/kernel';
import {
  metricCatalog,
  metricNames,
  offlineJudgeName,
  renderReport,
  reportFormatOf,
  judgeErrorCauses,
  judgedScoreCounts,
  targetErrorCauses,
} from '@llmops/evaluation';
import type { EvaluationReport, EvaluationRunRecord, GateReport, TargetErrorCause } from '@llmops/evaluation';
import { formatTable } from '../registry/registry-output.js';
import { cliStyle } from '../cli-style.js';
import type { CliStyle } from '../cli-style.js';

const plain = cliStyle(false);

function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '-';
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(Math.abs(value) >= 100 ? 1 : 3);
}

/** The gate verdicts as lines: `pass|FAIL  criterion  reason`. */
export function formatGateLines(gates: GateReport, style: CliStyle = plain): string[] {
  const width = Math.max(...gates.verdicts.map((verdict) => verdict.criterion.length));
  return gates.verdicts.map(
    (verdict) =>
      `  ${verdict.passed ? style.success('pass') : style.failure('FAIL')}  ${verdict.criterion.padEnd(width)}  ${verdict.reason}`,
  );
}

/** The most causes of target errors the run summary lists; the run's `summary.md` lists them all. */
const shownCauses = 3;
/** The longest error text the run summary prints for one cause. */
const shownErrorLength = 200;

/**
 * The target errors of a run grouped by cause, at most three lines and one for the rest:
 * `  20 × rate_limited: … (429): … — first at example support-017`.
 */
export function formatTargetErrorLines(causes: readonly TargetErrorCause[]): string[] {
  const lines = causes.slice(0, shownCauses).map((cause) => {
    const error = cause.error.length > shownErrorLength ? `${cause.error.slice(0, shownErrorLength)}…` : cause.error;
    return `  ${cause.count} × ${error} — first at example ${cause.firstExampleId}`;
  });
  const rest = causes.slice(shownCauses);
  if (rest.length > 0) {
    const count = rest.reduce((sum, cause) => sum + cause.count, 0);
    lines.push(`  ${count} more with ${rest.length} other causes (see the run's summary.md or \`llmops eval report\`)`);
  }
  return lines;
}

/**
 * The judge's failures of a run, under its judge line: `<failed> of <judged> judged scores without a judge verdict:`,
 * then the causes grouped (none when the judge gave every verdict).
 */
export function formatJudgeErrorLines(report: EvaluationReport): string[] {
  const { judged, failed } = judgedScoreCounts(report.results);
  if (failed === 0) return [];
  return [
    `${failed} of ${judged} judged scores without a judge verdict:`,
    ...formatTargetErrorLines(judgeErrorCauses(report.results)),
  ];
}

/**
 * Says why a run's judged metrics are all missing when its judge gave no verdict at all (every judged score failed:
 * an endpoint down, a bad key), naming the judge, the count and the most frequent cause; undefined when the judge
 * gave at least one verdict or none was asked for (a partial failure is counted by {@link formatJudgeErrorLines}).
 */
export function judgeFailureOf(report: EvaluationReport): string | undefined {
  const { judged, failed } = judgedScoreCounts(report.results);
  if (judged === 0 || failed < judged) return undefined;
  const [first, ...others] = judgeErrorCauses(report.results);
  const error = first?.error ?? '';
  const cause = error.length > shownErrorLength ? `${error.slice(0, shownErrorLength)}…` : error;
  const more = others.length > 0 ? ` and ${others.length} other causes` : '';
  return `the judge ${report.record.judge} gave no verdict: all ${judged} judged scores failed (${first?.count ?? failed} × ${cause}${more}); the run is stored without its judged metrics`;
}

/**
 * Throws when the run's judge gave no verdict at all (see {@link judgeFailureOf}): the run finished and is stored,
 * but must not look successful.
 * @throws LlmopsError `upstream_error` (exit 1, not a usage error) naming the run, the judge and the cause.
 */
export function assertJudgeAnswered(report: EvaluationReport): void {
  const failure = judgeFailureOf(report);
  if (failure) throw new LlmopsError('upstream_error', `evaluation ${report.record.id}: ${failure}`);
}

/**
 * The table of `llmops eval list`: one row per run with its id (what `eval compare` and `eval report` take), name,
 * start (UTC, to the minute), status, target, dataset, examples and gate verdict.
 */
export function formatRunList(runs: readonly EvaluationRunRecord[], style: CliStyle = plain): string {
  if (runs.length === 0) return 'no evaluation runs (start one with `llmops eval run`)\n';
  return formatTable(
    ['ID', 'NAME', 'STARTED (UTC)', 'STATUS', 'TARGET', 'DATASET', 'EXAMPLES', 'GATE'],
    runs.map((run) => [
      run.id,
      run.name,
      new Date(run.startedAt).toISOString().slice(0, 16).replace('T', ' '),
      run.status,
      run.target.name,
      run.dataset.name,
      `${run.summary.examples}/${run.dataset.examples}`,
      // The last column is not padded, so colouring it leaves the columns aligned.
      run.gates ? (run.gates.passed ? style.success('passed') : style.failure('FAILED')) : '-',
    ]),
  );
}

/**
 * The run summary `llmops eval run` prints: facts, judge calls (and cache hits), target errors by cause, metrics,
 * gate, reports.
 */
export function formatRunSummary(report: EvaluationReport, options: { cwd: string; style?: CliStyle }): string {
  const style = options.style ?? plain;
  const { record } = report;
  const seconds =
    record.finishedAt === undefined ? '-' : `${((record.finishedAt - record.startedAt) / 1000).toFixed(1)} s`;
  const judge = record.judgeStatistics;
  const lines = [
    `evaluation ${record.id} ${record.status} in ${seconds}: ${record.target.name} on ${record.dataset.name} (${record.summary.examples} of ${record.dataset.examples} examples, ${record.summary.targetErrors} target errors, dataset ${record.dataset.digest})`,
    // The offline judge is a heuristic in this process: its work is judgements, not calls to a model.
    record.judge === offlineJudgeName
      ? `judge: ${record.judge} (in this process, no model), ${judge.calls} judgements, ${judge.cacheHits} answered from the cache, ${judge.errors} failed`
      : `judge: ${record.judge}, ${judge.calls} calls, ${judge.cacheHits} answered from the cache, ${judge.errors} failed`,
  ];
  const causes = targetErrorCauses(report.results);
  if (causes.length > 0) lines.push(`${record.summary.targetErrors} target errors:`, ...formatTargetErrorLines(causes));
  lines.push(...formatJudgeErrorLines(report));
  const rows = metricNames.flatMap((name) => {
    const aggregate = record.summary.aggregates[name];
    if (!aggregate) return [];
    const unit = metricCatalog[name].unit;
    const errors = aggregate.errors > 0 ? `, ${aggregate.errors} errors` : '';
    // Undefined scores (no claims, no reference…) are left out of the mean; say how many there were.
    const unscored = aggregate.undefined > 0 ? `, ${aggregate.undefined} undefined` : '';
    return [
      `  ${name.padEnd(21)} mean ${formatNumber(aggregate.mean).padStart(8)}  p50 ${formatNumber(aggregate.p50).padStart(8)}  p95 ${formatNumber(aggregate.p95).padStart(8)}${unit === 'ms' ? `  p99 ${formatNumber(aggregate.p99)}` : ''}  (${aggregate.count} scored${unscored}${errors})`,
    ];
  });
  lines.push(...rows);
  const harm = Object.entries(record.summary.harmfulByCategory);
  if (harm.length > 0)
    lines.push(`  harmful outputs by category: ${harm.map(([category, count]) => `${category} ${count}`).join(', ')}`);
  if (record.gates) {
    const failed = record.gates.verdicts.filter((verdict) => !verdict.passed).length;
    lines.push(
      `gate: ${record.gates.passed ? style.success('PASSED') : style.failure(`FAILED (${failed} of ${record.gates.verdicts.length} criteria)`)}`,
      ...formatGateLines(record.gates, style),
    );
  }
  const files = Object.entries(record.artifacts).filter(([name]) => /\.(html|md|xml)$/.test(name));
  if (files.length > 0) {
    lines.push('reports:');
    for (const [, location] of files)
      lines.push(`  ${location.startsWith('/') ? relative(options.cwd, location) || location : location}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Throws `gate_failed` (exit 100) listing the failed criteria when the run's gate failed, and
 * `unavailable` (exit 1) when the run was interrupted (its finished examples are kept).
 */
export function assertRunPassed(report: EvaluationReport): void {
  const { record } = report;
  if (record.status === 'interrupted') {
    throw new LlmopsError(
      'unavailable',
      `evaluation ${record.id} was interrupted after ${record.summary.examples} of ${record.dataset.examples} examples; the finished ones are stored with the run`,
    );
  }
  if (record.gates && !record.gates.passed) {
    const failed = record.gates.verdicts.filter((verdict) => !verdict.passed);
    throw new LlmopsError(
      'gate_failed',
      `gate failed for evaluation ${record.id}: ${failed.map((verdict) => verdict.reason).join('; ')}`,
      {
        details: {
          runId: record.id,
          failed: failed.map(({ criterion, value, threshold, reason }) => ({ criterion, value, threshold, reason })),
        },
      },
    );
  }
}

/**
 * Checks that report file names have a known extension (`.html`, `.md`, `.xml`, `.json`) before anything runs.
 * @throws LlmopsError `invalid_input` naming the file.
 */
export function checkReportFiles(files: readonly string[]): void {
  for (const file of files) {
    if (!reportFormatOf(file))
      throw new LlmopsError(
        'invalid_input',
        `report file ${file}: unknown format; expected .html, .md, .xml (JUnit) or .json`,
      );
  }
}

/** Renders a report in the format of the file's extension (HTML when unknown). */
export function renderReportFile(report: EvaluationReport, path: string): string {
  return renderReport({ record: report.record, results: report.results }, reportFormatOf(path) ?? 'html');
}

/** Writes a file, creating its folder. */
export function writeOutputFile(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}
