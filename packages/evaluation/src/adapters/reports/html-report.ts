import type { EvaluationRunRecord } from '../../domain/evaluation-run.js';
import type { ExampleResult } from '../../domain/example-result.js';
import { metricCatalog, metricNames } from '../../domain/metric-catalog.js';
import { failedExamples, worstExamples } from '../../domain/worst-examples.js';
import { escapeMarkup as escape, formatDuration, formatValue } from './markup.js';
import { svgHistogram } from './svg-histogram.js';

/** What a report is made of: a run's record and its per-example results. */
export interface ReportInput {
  record: EvaluationRunRecord;
  results: readonly ExampleResult[];
}

const styles = `
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1f2328;max-width:1200px}
h1{font-size:1.5rem;margin-bottom:.25rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.25rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}
.pass{color:#1a7f37;font-weight:600}.fail{color:#cf222e;font-weight:600}.muted{color:#57606a}
.charts{display:flex;flex-wrap:wrap;gap:1rem}.charts svg{border:1px solid #d0d7de;border-radius:6px;background:#fff}
svg .bar{fill:#0969da}svg .axis{stroke:#57606a;stroke-width:1}svg .title{font-size:12px;font-weight:600;fill:#1f2328}svg .tick{font-size:10px;fill:#57606a}
.facts td:first-child{font-weight:600;background:#f6f8fa}.text{max-width:32rem;white-space:pre-wrap;word-break:break-word}
`;

function factsTable(record: EvaluationRunRecord): string {
  const judge = record.judgeStatistics;
  const rows: Array<[string, string]> = [
    ['run', record.id],
    ['status', record.status],
    ['target', `${record.target.name} (${record.target.kind})`],
    ['dataset', `${record.dataset.name} · ${record.dataset.examples} examples · digest ${record.dataset.digest}`],
    ['judge', record.judge],
    ['judge calls', `${judge.calls} made, ${judge.cacheHits} from the cache, ${judge.errors} failed`],
    ['started', new Date(record.startedAt).toISOString()],
    ['duration', record.finishedAt === undefined ? '–' : formatDuration(record.finishedAt - record.startedAt)],
    ['examples evaluated', `${record.summary.examples} (${record.summary.targetErrors} target errors)`],
  ];
  return `<table class="facts">${rows.map(([key, value]) => `<tr><td>${escape(key)}</td><td>${escape(value)}</td></tr>`).join('')}</table>`;
}

function gateTable(record: EvaluationRunRecord): string {
  if (!record.gates) return '<p class="muted">No gate was applied to this run.</p>';
  const verdict = record.gates.passed ? '<span class="pass">PASSED</span>' : '<span class="fail">FAILED</span>';
  const rows = record.gates.verdicts
    .map(
      (item) =>
        `<tr><td>${escape(item.criterion)}</td><td class="num">${escape(formatValue(item.value))}</td><td class="num">${escape(`${item.operator} ${item.threshold}`)}</td>` +
        `<td>${item.passed ? '<span class="pass">pass</span>' : '<span class="fail">fail</span>'}</td><td>${escape(item.reason)}</td></tr>`,
    )
    .join('');
  return `<p>Gate ${verdict}</p><table><tr><th>criterion</th><th>value</th><th>threshold</th><th>verdict</th><th>reason</th></tr>${rows}</table>`;
}

function metricsTable(record: EvaluationRunRecord): string {
  const rows = metricNames
    .flatMap((name) => {
      const aggregate = record.summary.aggregates[name];
      if (!aggregate) return [];
      const cells = [aggregate.mean, aggregate.p50, aggregate.p95, aggregate.p99, aggregate.min, aggregate.max]
        .map((value) => `<td class="num">${escape(formatValue(value))}</td>`)
        .join('');
      return [
        `<tr><td title="${escape(metricCatalog[name].description)}">${escape(name)}</td><td>${escape(metricCatalog[name].unit)}</td>${cells}<td class="num">${aggregate.count}</td><td class="num">${aggregate.undefined ?? 0}</td><td class="num">${aggregate.errors}</td></tr>`,
      ];
    })
    .join('');
  const harm = Object.entries(record.summary.harmfulByCategory);
  const harmText =
    harm.length === 0
      ? '<p class="muted">No output was flagged harmful.</p>'
      : `<p>Harmful outputs by category: ${harm.map(([category, count]) => `${escape(category)} ${count}`).join(', ')}</p>`;
  return `<table><tr><th>metric</th><th>unit</th><th>mean</th><th>p50</th><th>p95</th><th>p99</th><th>min</th><th>max</th><th>scored</th><th>undefined</th><th>errors</th></tr>${rows}</table>${harmText}`;
}

function charts(results: readonly ExampleResult[]): string {
  const svgs: string[] = [];
  for (const name of metricNames) {
    const { unit } = metricCatalog[name];
    if (unit !== 'score' && unit !== 'rate') continue;
    const values = results
      .map((result) => result.metrics[name]?.score)
      .filter((score): score is number => typeof score === 'number');
    if (values.length === 0) continue;
    svgs.push(svgHistogram(values, { title: name, domain: [0, 1], bins: 10, unit: 'score' }));
  }
  const latencies = results
    .map((result) => result.latencyMs)
    .filter((value): value is number => typeof value === 'number');
  if (latencies.length > 0) svgs.push(svgHistogram(latencies, { title: 'latency', bins: 20, unit: 'ms', width: 480 }));
  return `<div class="charts">${svgs.join('')}</div>`;
}

function worstTable(results: readonly ExampleResult[]): string {
  const worst = worstExamples(results, 5);
  if (worst.length === 0) return '<p class="muted">Every scored example got a perfect score.</p>';
  const rows = worst
    .map(
      (item) =>
        `<tr><td>${escape(item.metric)}</td><td>${escape(item.exampleId)}</td><td class="num">${escape(item.score === null ? 'error' : formatValue(item.score, 3))}</td>` +
        `<td class="text">${escape(item.input)}</td><td class="text">${escape(item.output.slice(0, 400))}</td><td class="text">${escape(item.reason)}</td></tr>`,
    )
    .join('');
  return `<table><tr><th>metric</th><th>example</th><th>score</th><th>input</th><th>output</th><th>reason</th></tr>${rows}</table>`;
}

function failures(results: readonly ExampleResult[]): string {
  const failed = failedExamples(results);
  if (failed.length === 0) return '';
  const rows = failed
    .map((item) => `<tr><td>${escape(item.exampleId)}</td><td class="text">${escape(item.error)}</td></tr>`)
    .join('');
  return `<h2>Target errors</h2><table><tr><th>example</th><th>error</th></tr>${rows}</table>`;
}

/**
 * The HTML report of a run: one self-contained file (inline CSS, charts drawn as inline SVG by
 * llmops itself: no script, no CDN, no external file) with the run's facts, the gate table, the
 * metric aggregates, score distributions per metric, a latency histogram and the worst examples
 * with the judge's reasons.
 */
export function renderHtmlReport(input: ReportInput): string {
  const { record, results } = input;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escape(`Evaluation ${record.name}`)}</title>`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<style>${styles}</style></head><body>`,
    `<h1>Evaluation ${escape(record.name)}</h1>`,
    `<p class="muted">llmops evaluation report · judge: ${escape(record.judge)}</p>`,
    factsTable(record),
    '<h2>Gates</h2>',
    gateTable(record),
    '<h2>Metrics</h2>',
    metricsTable(record),
    '<h2>Distributions</h2>',
    charts(results),
    '<h2>Worst examples</h2>',
    worstTable(results),
    failures(results),
    '</body></html>',
    '',
  ].join('\n');
}
