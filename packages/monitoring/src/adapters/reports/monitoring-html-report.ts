import type { EventDriftReport } from '../../application/event-drift.js';
import type { MonitoringReport } from '../../application/monitoring-report.js';
import type { SloStatusReport } from '../../application/slo-status.js';
import type { ModelVersionSummary } from '../../domain/event-summary.js';
import type { TimeBucket } from '../../domain/event-time-series.js';
import { assertInlinable, cspHash, escapeHtml as escape, jsonForScript } from './html-markup.js';

/** The chart library inlined into the report: its script (defining the global `uPlot`) and its style sheet. */
export interface ChartLibrary {
  /** Where the text came from, for error messages (`uplot/dist/uPlot.iife.min.js`). */
  source: string;
  script: string;
  css: string;
}

/** What {@link renderMonitoringHtmlReport} draws. */
export interface MonitoringHtmlReportInput {
  /** The window's report, with its time series (`buildMonitoringReport` with `bucketMs`). */
  report: MonitoringReport & { series: NonNullable<MonitoringReport['series']> };
  /** The `--model` reference the traffic was restricted to, as written; every model without one. */
  model?: string;
  /** The objectives' status; `null` when there is no monitoring conf. */
  slo: SloStatusReport | null;
  /** The window's drift against its reference; `null` when it was not computed (no traffic in the window). */
  drift: EventDriftReport | null;
  chartLibrary: ChartLibrary;
}

const styles = `
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1f2328;max-width:1200px}
h1{font-size:1.5rem;margin-bottom:.25rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.25rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}
.ok,.no_drift{color:#1a7f37;font-weight:600}.breached,.drift{color:#cf222e;font-weight:600}.no_data,.insufficient,.muted{color:#57606a}
.charts{display:flex;flex-wrap:wrap;gap:1rem}figure{margin:0;border:1px solid #d0d7de;border-radius:6px;padding:.5rem;background:#fff}
figcaption{font-size:.85rem;font-weight:600;margin-bottom:.25rem}.facts td:first-child{font-weight:600;background:#f6f8fa}
`;

/**
 * Draws the charts from the JSON data element with the inlined uPlot; sets `window.llmopsReport` (the charts and
 * the data) and each chart container's `data-points` (buckets holding a value, per series) for readers and tests.
 */
const chartScript = `(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var definitions = [
    { id: 'chart-latency', series: [['p50 ms', 'latencyP50Ms', '#2f6fde'], ['p95 ms', 'latencyP95Ms', '#b42318']] },
    { id: 'chart-requests', series: [['requests', 'requests', '#2f6fde'], ['errors', 'errors', '#b42318'], ['guardrail blocks', 'guardrailBlocks', '#a15c00']] },
    { id: 'chart-tokens', series: [['input', 'inputTokens', '#2f6fde'], ['output', 'outputTokens', '#1a7f37']] },
    { id: 'chart-cost', series: [['USD', 'costUsd', '#6b3fa0']] }
  ];
  var charts = {};
  definitions.forEach(function (definition) {
    var columns = [data.at].concat(definition.series.map(function (line) { return data.series[line[1]]; }));
    var container = document.getElementById(definition.id);
    charts[definition.id] = new uPlot({
      width: 560,
      height: 220,
      scales: { x: { time: true } },
      series: [{}].concat(definition.series.map(function (line) {
        return { label: line[0], stroke: line[2], width: 2, points: { show: true, size: 5 } };
      }))
    }, columns, container);
    container.setAttribute('data-points', columns.slice(1).map(function (values) {
      return values.filter(function (value) { return value !== null && value !== 0; }).length;
    }).join(','));
  });
  window.llmopsReport = { data: data, charts: charts };
})();
`;

/** Series of the time buckets, one array per field, as uPlot takes them (x in seconds). */
function chartData(buckets: readonly TimeBucket[], bucketMs: number) {
  const column = <Key extends keyof TimeBucket>(key: Key) => buckets.map((bucket) => bucket[key]);
  return {
    bucketMs,
    at: buckets.map((bucket) => bucket.at / 1000),
    series: {
      requests: column('requests'),
      errors: column('errors'),
      guardrailBlocks: column('guardrailBlocks'),
      latencyP50Ms: column('latencyP50Ms'),
      latencyP95Ms: column('latencyP95Ms'),
      inputTokens: column('inputTokens'),
      outputTokens: column('outputTokens'),
      costUsd: column('costUsd'),
    },
  };
}

const percent = (ratio: number | null) => (ratio === null ? '–' : `${Number((ratio * 100).toFixed(2))}%`);
const fixed = (value: number | null | undefined, digits: number) =>
  value === null || value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);
const significant = (value: number | null, digits = 4) =>
  value === null || Number.isNaN(value) ? '–' : String(Number(value.toPrecision(digits)));

function cells(values: ReadonlyArray<string | { text: string; className: string }>): string {
  return values
    .map((value) =>
      typeof value === 'string'
        ? `<td>${escape(value)}</td>`
        : `<td class="${escape(value.className)}">${escape(value.text)}</td>`,
    )
    .join('');
}

function table(id: string, header: readonly string[], rows: readonly string[]): string {
  return `<table id="${escape(id)}"><thead><tr>${header.map((title) => `<th>${escape(title)}</th>`).join('')}</tr></thead><tbody>${rows.map((row) => `<tr>${row}</tr>`).join('')}</tbody></table>`;
}

const num = (text: string) => ({ text, className: 'num' });

function blocksOf(summary: ModelVersionSummary): string {
  const entries = Object.entries(summary.guardrailBlocks).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? '–' : entries.map(([category, count]) => `${category}: ${count}`).join(', ');
}

function versionsTable(report: MonitoringReport): string {
  if (report.models.length === 0) return '<p class="muted">No served request in this window.</p>';
  const rows = report.models.map((summary) =>
    cells([
      summary.modelVersion === null
        ? `${summary.modelName} (unresolved)`
        : `${summary.modelName}/${summary.modelVersion}`,
      num(String(summary.requests)),
      num(`${summary.errors} (${percent(summary.errorRate)})`),
      num(fixed(summary.latencyMs.p50, 1)),
      num(fixed(summary.latencyMs.p95, 1)),
      num(String(summary.inputTokens)),
      num(String(summary.outputTokens)),
      num(summary.costUsd === null ? '–' : summary.costUsd.toFixed(6)),
      num(`${summary.refusals} (${percent(summary.refusalRate)})`),
      blocksOf(summary),
    ]),
  );
  return table(
    'versions',
    [
      'model version',
      'requests',
      'errors',
      'p50 ms',
      'p95 ms',
      'tokens in',
      'tokens out',
      'cost USD',
      'refusals',
      'guardrail blocks',
    ],
    rows,
  );
}

function chartsSection(bucketMs: number): string {
  const step = bucketMs % 3_600_000 === 0 ? `${bucketMs / 3_600_000} h` : `${bucketMs / 60_000} min`;
  const figure = (id: string, caption: string) =>
    `<figure><figcaption>${escape(caption)}</figcaption><div class="chart" id="${id}"></div></figure>`;
  return (
    `<h2>Traffic per ${escape(step)}</h2><div class="charts">` +
    figure('chart-latency', 'latency p50 and p95 (ms)') +
    figure('chart-requests', 'requests, errors and guardrail blocks') +
    figure('chart-tokens', 'tokens in and out') +
    figure('chart-cost', 'cost (USD; empty when no request had a price)') +
    '</div>'
  );
}

function sloSection(slo: SloStatusReport | null): string {
  if (slo === null) return '<p class="muted">No monitoring conf: no objective was evaluated.</p>';
  const rows = slo.slos.flatMap((status) =>
    status.windows.map((window) =>
      cells([
        status.name,
        status.objective,
        window.window,
        num(String(window.events)),
        num(percent(window.badRatio)),
        num(percent(window.allowedBadRatio)),
        num(fixed(window.burnRate, 2)),
        num(
          window.value === null
            ? '–'
            : status.kind === 'latency'
              ? `${window.value.toFixed(1)} ms`
              : status.kind === 'online_metric'
                ? significant(window.value, 3)
                : percent(window.value),
        ),
        { text: window.reason ? `${window.state}: ${window.reason}` : window.state, className: window.state },
      ]),
    ),
  );
  const verdict =
    slo.breached.length === 0
      ? '<p><span class="ok">No objective breached.</span></p>'
      : `<p><span class="breached">Breached: ${escape(slo.breached.join(', '))}</span></p>`;
  return (
    `<p class="muted">Windows ending ${escape(slo.at)}.</p>${verdict}` +
    table(
      'slo',
      ['objective', 'target', 'window', 'events', 'bad ratio', 'allowed', 'burn rate', 'value', 'state'],
      rows,
    )
  );
}

/** How a feature's value is compared with its threshold for drift (the classifier's AUC strictly above it). */
function comparison(feature: EventDriftReport['features'][number]): string {
  if (feature.thresholdOn === 'p_value') return 'p <';
  return feature.method === 'domain_classifier' ? '>' : '≥';
}

function driftSection(drift: EventDriftReport | null): string {
  if (drift === null) return '<p class="muted">No traffic in the window: drift was not measured.</p>';
  const reference =
    drift.reference.kind === 'window'
      ? `the window ${drift.reference.from} to ${drift.reference.to} (${drift.reference.events} events)`
      : `the ${drift.reference.inputs} inputs of ${drift.reference.source}`;
  const share =
    drift.driftShare === null
      ? 'no feature had enough data'
      : `${drift.driftedFeatures} of ${drift.testedFeatures} tested features drifted; dataset drift at a share ≥ ${drift.datasetDriftShare}`;
  const rows = drift.features.map((feature) =>
    cells([
      feature.name,
      feature.kind,
      feature.method ?? '–',
      num(String(feature.referenceSize)),
      num(String(feature.currentSize)),
      num(significant(feature.statistic)),
      num(feature.pValue === null ? '–' : feature.pValue.toExponential(2)),
      num(feature.threshold === null ? '–' : `${comparison(feature)} ${significant(feature.threshold)}`),
      { text: feature.reason ? `${feature.verdict}: ${feature.reason}` : feature.verdict, className: feature.verdict },
    ]),
  );
  const skipped = drift.skipped.map((feature) => `<li>${escape(`${feature.name}: ${feature.reason}`)}</li>`).join('');
  return (
    `<p>Verdict <span id="drift-verdict" class="${escape(drift.verdict)}">${escape(drift.verdict)}</span> (${escape(share)}), ` +
    `against ${escape(reference)}.</p>` +
    table(
      'drift',
      ['feature', 'kind', 'method', 'reference', 'current', 'statistic', 'p-value', 'threshold', 'verdict'],
      rows,
    ) +
    (skipped === '' ? '' : `<p class="muted">Not compared:</p><ul class="muted">${skipped}</ul>`)
  );
}

/**
 * The monitoring report as one self-contained HTML file, to open or share without a server: the window's
 * facts, a table per model version, charts of latency p50/p95, requests and errors, tokens and cost per time
 * bucket (uPlot, inlined from the installed package: no CDN, no other file), the objectives' status and the drift
 * verdict per feature. Every value is escaped; the chart data is embedded as JSON; no question text is in it
 * (events are summarised and bucketed, never listed). A Content-Security-Policy lets only the report's own inline
 * script and style elements run (by hash): nothing is loaded from anywhere.
 * @throws LlmopsError `internal` when the chart library's text cannot be inlined as it is.
 */
export function renderMonitoringHtmlReport(input: MonitoringHtmlReportInput): string {
  const { report, chartLibrary } = input;
  assertInlinable(chartLibrary.script, { element: 'script', source: chartLibrary.source });
  assertInlinable(chartLibrary.css, { element: 'style', source: chartLibrary.source });
  const scripts = [chartLibrary.script, chartScript];
  const styleSheets = [chartLibrary.css, styles];
  const policy = [
    "default-src 'none'",
    `script-src ${scripts.map(cspHash).join(' ')}`,
    `style-src ${styleSheets.map(cspHash).join(' ')}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const facts: Array<[string, string]> = [
    ['window', `${report.from} to ${report.to}`],
    ['traffic', input.model === undefined ? 'every model' : input.model],
    ['requests', String(report.requests)],
  ];
  const title = `llmops monitoring report ${report.from} to ${report.to}`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escape(policy)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escape(title)}</title>`,
    ...styleSheets.map((css) => `<style>${css}</style>`),
    '</head><body>',
    '<h1>Monitoring report</h1>',
    `<p class="muted">llmops · ${escape(report.from)} to ${escape(report.to)}</p>`,
    `<table class="facts">${facts.map(([key, value]) => `<tr><td>${escape(key)}</td><td>${escape(value)}</td></tr>`).join('')}</table>`,
    '<h2>Model versions</h2>',
    versionsTable(report),
    chartsSection(report.series.bucketMs),
    '<h2>Service level objectives</h2>',
    sloSection(input.slo),
    '<h2>Drift</h2>',
    driftSection(input.drift),
    `<script type="application/json" id="report-data">${jsonForScript(chartData(report.series.buckets, report.series.bucketMs))}</script>`,
    ...scripts.map((script) => `<script>${script}</script>`),
    '</body></html>',
    '',
  ].join('\n');
}
