import type { ComparisonReport } from '../../application/evaluation-service.js';
import { formatValue } from './markup.js';

function signed(value: number | null): string {
  if (value === null) return '–';
  const text = formatValue(value, 3);
  return value > 0 ? `+${text}` : text;
}

/**
 * The comparison of two runs as a Markdown table (also readable as plain text): per metric the
 * means of A and B, the mean paired delta B − A with its 95% bootstrap interval and a verdict, then
 * the examples that regressed most.
 */
export function renderComparison(report: ComparisonReport): string {
  const { runA, runB, comparison } = report;
  const lines = [
    `# Comparison: ${runB.name} (B) vs ${runA.name} (A)`,
    '',
    `- A: \`${runA.id}\` ${runA.target.name}, dataset ${runA.dataset.name} \`${runA.dataset.digest}\`, judge ${runA.judge}`,
    `- B: \`${runB.id}\` ${runB.target.name}, dataset ${runB.dataset.name} \`${runB.dataset.digest}\`, judge ${runB.judge}`,
  ];
  if (runA.dataset.hash !== runB.dataset.hash)
    lines.push('- warning: the runs used different datasets; deltas are over the examples both have');
  if (runA.judge !== runB.judge)
    lines.push('- warning: the runs used different judges; judged metrics are not directly comparable');
  lines.push(
    '',
    '| metric | A | B | delta (B − A) | 95% CI | pairs | verdict |',
    '| --- | ---: | ---: | ---: | --- | ---: | --- |',
  );
  for (const metric of comparison.metrics) {
    const interval = metric.interval ? `[${signed(metric.interval.low)}, ${signed(metric.interval.high)}]` : '–';
    lines.push(
      `| ${metric.metric} | ${formatValue(metric.meanA)} | ${formatValue(metric.meanB)} | ${signed(metric.delta)} | ${interval} | ${metric.pairs} | ${metric.verdict} |`,
    );
  }
  lines.push('');
  if (comparison.regressions.length === 0) lines.push('No example regressed.');
  else {
    lines.push(
      `## Regressed examples (${comparison.regressions.length})`,
      '',
      '| example | metric | A | B | reason in B |',
      '| --- | --- | ---: | ---: | --- |',
    );
    for (const item of comparison.regressions) {
      lines.push(
        `| ${item.exampleId} | ${item.metric} | ${formatValue(item.scoreA, 3)} | ${formatValue(item.scoreB, 3)} | ${item.reasonB.replace(/\|/g, '\\|').replace(/\s+/g, ' ').slice(0, 160)} |`,
      );
    }
  }
  lines.push('');
  return lines.join('\n');
}
