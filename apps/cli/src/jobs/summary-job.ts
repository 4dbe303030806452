import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { z } from 'zod';
import type { EvaluationRunRecord } from '@llmops/evaluation';
import type { AlertRecord } from '@llmops/monitoring';
import { defaultConsolePort } from '../commands/ui-command.js';
import { withRegistry } from '../registry/open-registry.js';
import { count } from '../quickstart/human-numbers.js';
import type { CompareData } from './compare-job.js';
import type { JobContext, JobKind, JobResult } from './job-kind.js';
import type { MonitorReport } from './monitor-job.js';
import type { TrafficData } from './traffic-job.js';

const summarySchema = z.strictObject({
  kind: z.literal('summary'),
  /** The title of the box. */
  title: z.string().min(1).default('summary'),
  /** The model whose champion the box names at the end. */
  model: z.string().min(1),
  /** Files the pipeline wrote that the box should point to (a monitor job's `output`, for example). */
  files: z.array(z.string().min(1)).default([]),
  /** The port the box's `llmops serve` line uses for the dashboard and API links. */
  servePort: z.number().int().min(1).max(65_535).default(8080),
  /** The port the box's `llmops ui` line uses for the console link (`llmops ui`'s own default, 8081). */
  consolePort: z.number().int().min(1).max(65_535).default(Number(defaultConsolePort)),
});

/** One row of the box: a label and its lines. */
type Row = [label: string, lines: string[]];

/** A path people can open from the workspace: relative to it when inside it. */
function workspacePath(cwd: string, path: string): string {
  const absolute = isAbsolute(path) ? path : resolve(cwd, path);
  const inside = relative(cwd, absolute);
  return inside.startsWith('..') ? absolute : inside;
}

function ofKind<Data>(results: readonly JobResult[], kind: string): Data[] {
  return results
    .filter((result) => result.kind === kind && result.data !== undefined)
    .map((result) => result.data as Data);
}

function evaluationRows(results: readonly JobResult[], cwd: string): Row[] {
  const runs = ofKind<{ run: EvaluationRunRecord }>(results, 'evaluate').map((data) => data.run);
  if (runs.length === 0) return [];
  return [
    [
      'evaluation reports',
      runs.map((run) => {
        const html = run.artifacts['report.html'];
        return `${run.target.name} on ${run.dataset.name}: ${html ? workspacePath(cwd, html) : `run ${run.id}`}`;
      }),
    ],
  ];
}

function promotionRows(results: readonly JobResult[]): Row[] {
  return ofKind<CompareData>(results, 'compare').map((data): Row => {
    const better = data.verdict.improved.map(({ dataset, comparison }) => `${comparison.metric} (${dataset})`);
    // The compare job's output lists every worsening; the box keeps those beyond their interval and counts the rest.
    const beyond = data.worse.other.filter((line) => line.includes('beyond'));
    const noise = data.worse.other.length - beyond.length;
    return [
      'promotion',
      [
        data.promoted
          ? `v${data.challenger} promoted over v${data.champion}: better on ${better.join(', ')}`
          : `v${data.challenger} not promoted: it did not win against v${data.champion}`,
        data.worse.deciding.length === 0
          ? 'worse on no deciding metric'
          : `worse on deciding metrics: ${data.worse.deciding.join('; ')}`,
        ...(beyond.length === 0 ? [] : [`worse on other metrics: ${beyond.join('; ')}`]),
        ...(noise === 0 ? [] : [`and ${count(noise)} other drops within noise (listed above the box)`]),
      ],
    ];
  });
}

/** Which evaluated versions passed the absolute gates, on how many datasets. */
function gateRows(results: readonly JobResult[]): Row[] {
  const runs = ofKind<{ run: EvaluationRunRecord }>(results, 'evaluate').map((data) => data.run);
  const byTarget = new Map<string, EvaluationRunRecord[]>();
  for (const run of runs.filter((candidate) => candidate.gates))
    byTarget.set(run.target.name, [...(byTarget.get(run.target.name) ?? []), run]);
  if (byTarget.size === 0) return [];
  return [
    [
      'gates',
      [...byTarget].map(([target, targetRuns]) => {
        const passed = targetRuns.filter((run) => run.gates?.passed).length;
        return `${target} passed the gates on ${count(passed)} of ${count(targetRuns.length)} datasets`;
      }),
    ],
  ];
}

function trafficRows(results: readonly JobResult[]): Row[] {
  return ofKind<TrafficData>(results, 'traffic').map((data): Row => {
    const of = (outcome: string) => data.exchanges.filter((exchange) => exchange.outcome === outcome).length;
    const hits = data.exchanges.filter((exchange) => exchange.cache === 'hit').length;
    const streamed = data.exchanges.filter((exchange) => exchange.stream).length;
    return [
      data.name ?? 'traffic',
      [
        `${count(data.exchanges.length)} requests: ${count(of('answered'))} answered (${count(streamed)} streamed, ${count(hits)} from the cache), ${count(of('declined'))} declined, ${count(of('blocked'))} blocked, ${count(of('failed'))} failed`,
      ],
    ];
  });
}

function alertLine(alert: AlertRecord): string {
  const actions = alert.actions.map((action) => {
    if (action.action === 'rollback' && action.status === 'done' && action.result)
      return `rolled back ${action.result.alias} v${action.result.fromVersion ?? '?'} -> v${action.result.toVersion}`;
    if (action.action === 'reevaluate' && action.result) {
      const failed = action.result.evaluations.filter((evaluation) => evaluation.gatePassed === false);
      return `re-evaluated (${count(action.result.evaluations.length)} runs, ${count(failed.length)} failed the gate)`;
    }
    return `${action.action} ${action.status}`;
  });
  return `${alert.rule} (${alert.severity})${alert.dryRun ? ' rehearsed' : ''}${actions.length > 0 ? `: ${actions.join(', ')}` : ''}`;
}

function monitoringRows(results: readonly JobResult[]): Row[] {
  const reports = ofKind<MonitorReport>(results, 'monitor');
  const alerts = reports.flatMap((report) => report.alerts);
  const drift = reports.map((report) => report.drift?.verdict).filter((verdict) => verdict !== undefined);
  const rows: Row[] = [];
  if (drift.length > 0) rows.push(['drift', [drift.join(' then ')]]);
  if (alerts.length > 0) rows.push(['alerts', alerts.map(alertLine)]);
  return rows;
}

async function championRow(context: JobContext, model: string): Promise<Row> {
  const champion = await withRegistry(context, async (registry) =>
    registry.resolveModel(`${model}@champion`).then(
      (version) => version.version,
      () => null,
    ),
  );
  return ['champion now', [champion === null ? `${model} has no champion` : `${model}/${champion}`]];
}

/** Splits a text into lines of at most `width` characters, at spaces (a longer word stays whole). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = `  ${word}`;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line];
}

/** Draws rows in a box of at most `maxWidth` columns: labels in a column, long texts wrapped at spaces. */
function box(title: string, rows: readonly Row[], maxWidth = 110): string[] {
  const labelWidth = Math.max(...rows.map(([label]) => label.length));
  const textWidth = maxWidth - labelWidth - 6;
  const lines = rows.flatMap(([label, texts]) =>
    texts
      .flatMap((text) => wrap(text, textWidth))
      .map((text, index) => `${(index === 0 ? label : '').padEnd(labelWidth)}  ${text}`),
  );
  const width = Math.max(title.length + 2, ...lines.map((line) => line.length));
  return [
    `\u250c\u2500 ${title} ${'\u2500'.repeat(Math.max(0, width - title.length - 1))}\u2510`,
    ...lines.map((line) => `\u2502 ${line.padEnd(width)} \u2502`),
    `\u2514${'\u2500'.repeat(width + 2)}\u2518`,
  ];
}

/**
 * `kind: summary`: the story of the pipeline it ends, from the results of the jobs before it (evaluation reports,
 * the comparison and promotion, the traffic, drift and alerts with what they did), the model's champion as the
 * registry has it now, and where to look next (files, `llmops serve` with its dashboard, `llmops ui` with the console), in
 * a box.
 */
export const summaryJob: JobKind<typeof summarySchema> = {
  kind: 'summary',
  description:
    'ends a pipeline with a box: what its jobs did, the champion now, links to reports, the dashboard and the console',
  schema: summarySchema,
  run: async (job, context) => {
    const earlier = context.earlier ?? [];
    const cwd = context.io.cwd;
    const files = job.files.filter((file) => existsSync(resolve(cwd, file))).map((file) => workspacePath(cwd, file));
    const base = `http://127.0.0.1:${job.servePort}`;
    const rows: Row[] = [
      ...gateRows(earlier),
      ...promotionRows(earlier),
      ...trafficRows(earlier),
      ...monitoringRows(earlier),
      await championRow(context, job.model),
      ...evaluationRows(earlier, cwd),
      ...(files.length > 0 ? [['files', files] as Row] : []),
      [
        'next',
        [
          `llmops serve --port ${job.servePort}   (this workspace, as the quickstart left it)`,
          `dashboard  ${base}/dashboard`,
          `API        ${base}/v1/chat/completions (model ${job.model}@champion)`,
          `llmops ui --port ${job.consolePort}      (the console, no key needed locally)`,
          `console    http://127.0.0.1:${job.consolePort}/ui`,
        ],
      ],
    ];
    for (const line of box(job.title, rows)) context.report(line);
    return { kind: 'summary', summary: `${job.title}: ${rows.length} rows`, data: { rows } };
  },
};
