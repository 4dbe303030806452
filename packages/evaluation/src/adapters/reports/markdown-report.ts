import { metricNames } from '../../domain/metric-catalog.js';
import { targetErrorCauses } from '../../domain/target-error-causes.js';
import { failedExamples, worstExamples } from '../../domain/worst-examples.js';
import type { ReportInput } from './html-report.js';
import { formatDuration, formatValue } from './markup.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

/** The Markdown summary of a run: facts, gate table, metric table, and the ten worst examples. */
export function renderMarkdownReport(input: ReportInput): string {
  const { record, results } = input;
  const lines: string[] = [];
  const judge = record.judgeStatistics;
  lines.push(`# Evaluation ${record.name}`, '');
  lines.push(`- run: \`${record.id}\` (${record.status})`);
  lines.push(`- target: ${record.target.name} (${record.target.kind})`);
  lines.push(
    `- dataset: ${record.dataset.name}, ${record.dataset.examples} examples, digest \`${record.dataset.digest}\``,
  );
  lines.push(
    `- judge: ${record.judge} (${judge.calls} calls, ${judge.cacheHits} from the cache, ${judge.errors} failed)`,
  );
  if (record.finishedAt !== undefined)
    lines.push(`- duration: ${formatDuration(record.finishedAt - record.startedAt)}`);
  lines.push(`- examples evaluated: ${record.summary.examples} (${record.summary.targetErrors} target errors)`, '');
  if (record.gates) {
    lines.push(
      `## Gates: ${record.gates.passed ? 'PASSED' : 'FAILED'}`,
      '',
      '| criterion | value | verdict | reason |',
      '| --- | ---: | --- | --- |',
    );
    for (const verdict of record.gates.verdicts) {
      lines.push(
        `| \`${cell(verdict.criterion)}\` | ${formatValue(verdict.value)} | ${verdict.passed ? 'pass' : '**fail**'} | ${cell(verdict.reason)} |`,
      );
    }
    lines.push('');
  }
  lines.push(
    '## Metrics',
    '',
    '| metric | mean | p50 | p95 | p99 | scored | undefined | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const name of metricNames) {
    const aggregate = record.summary.aggregates[name];
    if (!aggregate) continue;
    lines.push(
      `| ${name} | ${formatValue(aggregate.mean)} | ${formatValue(aggregate.p50)} | ${formatValue(aggregate.p95)} | ${formatValue(aggregate.p99)} | ${aggregate.count} | ${aggregate.undefined ?? 0} | ${aggregate.errors} |`,
    );
  }
  const harm = Object.entries(record.summary.harmfulByCategory);
  if (harm.length > 0)
    lines.push(
      '',
      `Harmful outputs by category: ${harm.map(([category, count]) => `${category} ${count}`).join(', ')}`,
    );
  const worst = worstExamples(results, 3).slice(0, 10);
  if (worst.length > 0) {
    lines.push('', '## Worst examples', '', '| metric | example | score | reason |', '| --- | --- | ---: | --- |');
    for (const item of worst)
      lines.push(
        `| ${item.metric} | ${cell(item.exampleId)} | ${item.score === null ? 'error' : formatValue(item.score, 3)} | ${cell(item.reason).slice(0, 200)} |`,
      );
  }
  const failed = failedExamples(results);
  if (failed.length > 0) {
    lines.push('', '## Target errors', '');
    for (const cause of targetErrorCauses(results))
      lines.push(`- ${cause.count} × ${cell(cause.error)} (first at \`${cell(cause.firstExampleId)}\`)`);
    lines.push('');
    for (const item of failed.slice(0, 20)) lines.push(`- \`${item.exampleId}\`: ${cell(item.error)}`);
  }
  lines.push('');
  return lines.join('\n');
}
