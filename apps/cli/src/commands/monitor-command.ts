import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { dataRootsOf, LlmopsError } from '@llmops/kernel';
import type { MonitoredModel } from '@llmops/composition';
import type { ModelVersionSummary, MonitoringReport } from '@llmops/monitoring';
import type { CommandContext } from '../cli-io.js';
import { formatAlerts, formatDriftReport, formatSloReport } from '../monitoring/monitoring-output.js';
import { printResult } from '../registry/command-helpers.js';
import { workspaceFile } from '../workspace-file.js';

/** Monitoring's stores and reports, imported when a subcommand runs: `llmops monitor --help` loads none of their packages. */
async function loadMonitoring() {
  const [composition, monitoring, session] = await Promise.all([
    import('@llmops/composition'),
    import('@llmops/monitoring'),
    import('../monitoring/monitoring-session.js'),
  ]);
  return {
    readChartLibrary: composition.readChartLibrary,
    resolveDriftReference: composition.resolveDriftReference,
    ...monitoring,
    readMonitoringConf: session.readMonitoringConf,
    selectedModel: session.selectedModel,
    withEventStore: session.withEventStore,
  };
}

interface ReportOptions {
  since: string;
  model?: string;
  html?: string;
  conf?: string;
  reference?: string;
}

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

function blocksOf(summary: ModelVersionSummary): string {
  const entries = Object.entries(summary.guardrailBlocks).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? '-' : entries.map(([category, count]) => `${category}:${count}`).join(',');
}

/** The report as a terminal table, one row per model version. */
function reportText(report: MonitoringReport): string {
  const header = `monitoring report ${report.from} to ${report.to}: ${report.requests} request${report.requests === 1 ? '' : 's'}\n`;
  if (report.models.length === 0) return `${header}no served requests in this window\n`;
  const rows = [
    ['MODEL', 'REQUESTS', 'ERRORS', 'P50 MS', 'P95 MS', 'TOKENS IN', 'TOKENS OUT', 'COST USD', 'REFUSALS', 'BLOCKS'],
    ...report.models.map((summary) => [
      summary.modelVersion === null
        ? `${summary.modelName} (unresolved)`
        : `${summary.modelName}/${summary.modelVersion}`,
      String(summary.requests),
      percent(summary.errorRate),
      summary.latencyMs.p50.toFixed(1),
      summary.latencyMs.p95.toFixed(1),
      String(summary.inputTokens),
      String(summary.outputTokens),
      summary.costUsd === null ? '-' : summary.costUsd.toFixed(6),
      percent(summary.refusalRate),
      blocksOf(summary),
    ]),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return (
    header +
    rows
      .map(
        (row) =>
          `${row
            .map((cell, column) => cell.padEnd(widths[column] ?? 0))
            .join('  ')
            .trimEnd()}\n`,
      )
      .join('')
  );
}

/**
 * The HTML report of a window: the report with its time series, the objectives of the conf (when there is one)
 * and the drift against the reference (when the window has traffic), rendered with uPlot inlined and written.
 * @throws LlmopsError `invalid_input` for a missing `--conf`, a bad `--reference`, or a file that cannot be written.
 */
async function writeHtmlReport(
  context: CommandContext,
  options: ReportOptions & { html: string; windowMs: number; selection: MonitoredModel | Record<string, never> },
): Promise<{ report: MonitoringReport; path: string }> {
  const monitoring = await loadMonitoring();
  const confFile = options.conf ?? monitoring.defaultMonitoringConfFile;
  if (options.conf !== undefined && !existsSync(resolve(context.io.cwd, confFile)))
    throw new LlmopsError('invalid_input', `--conf "${options.conf}": no such file`);
  const conf = existsSync(resolve(context.io.cwd, confFile)) ? monitoring.readMonitoringConf(context, confFile) : null;
  const reference =
    options.reference === undefined
      ? ({ kind: 'window', windowMs: options.windowMs } as const)
      : monitoring.resolveDriftReference(options.reference, {
          cwd: context.io.cwd,
          confine: true,
          dataRoots: dataRootsOf(context.io.env),
        });
  const at = Date.now();
  // One moment for the report, the objectives and the drift, so their windows end together.
  const clock = { now: () => at, monotonic: () => performance.now() };
  const path = workspaceFile(context.io, options.html, 'report');
  const [chartLibrary, found] = await Promise.all([
    monitoring.readChartLibrary(),
    monitoring.withEventStore(context, async (store) => {
      const report = await monitoring.buildMonitoringReport(store, {
        windowMs: options.windowMs,
        bucketMs: monitoring.reportBucketMs(options.windowMs),
        clock,
        ...options.selection,
      });
      const slo = conf === null ? null : await monitoring.buildSloStatus(store, { conf, clock, ...options.selection });
      const drift =
        report.requests === 0
          ? null
          : await monitoring.buildEventDriftReport(store, {
              reference,
              currentWindowMs: options.windowMs,
              clock,
              ...options.selection,
            });
      return { report, slo, drift };
    }),
  ]);
  const { report, slo, drift } = found;
  const html = monitoring.renderMonitoringHtmlReport({
    report: { ...report, series: report.series ?? { bucketMs: 0, buckets: [] } },
    ...(options.model === undefined ? {} : { model: options.model }),
    slo,
    drift,
    chartLibrary,
  });
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, html);
  } catch (error) {
    throw new LlmopsError(
      'invalid_input',
      `--html "${options.html}": cannot write the report there (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      { cause: error },
    );
  }
  return { report, path };
}

/**
 * `llmops monitor report | slo | drift | alerts`: served traffic, objectives and drift from the event store of
 * `--store`, and the alerts `kind: monitor` jobs fired.
 */
export function registerMonitorCommand(program: Command, options: { context: () => CommandContext }): void {
  const monitor = program.command('monitor').description('monitoring of served requests');

  monitor
    .command('report')
    .description('summarise served requests per model version: errors, latency, tokens, cost, refusals, blocks')
    .option('--since <duration>', 'look-back window: a number and s, m, h, d or w (15m, 1h, 7d)', '1h')
    .option('--model <reference>', 'only this model (name), version (name/3) or alias (name@champion)')
    .option('--html <file>', 'also write a self-contained HTML report with charts, objectives and drift to this file')
    .option('--conf <file>', 'the objectives of the HTML report (default: confs/monitoring.yaml when it exists)')
    .option(
      '--reference <window or file>',
      'the drift reference of the HTML report: a duration or a dataset file (default: the window before, as long)',
    )
    .action(async (commandOptions: ReportOptions) => {
      const context = options.context();
      const monitoring = await loadMonitoring();
      const windowMs = monitoring.parseSinceDuration(commandOptions.since);
      if (commandOptions.html === undefined) {
        for (const option of ['conf', 'reference'] as const)
          if (commandOptions[option] !== undefined)
            throw new LlmopsError('invalid_input', `--${option} applies to the HTML report only: add --html <file>`);
      }
      const model = await monitoring.selectedModel(context, commandOptions.model);
      if (commandOptions.html === undefined) {
        const report = await monitoring.withEventStore(context, (store) =>
          monitoring.buildMonitoringReport(store, { windowMs, ...model }),
        );
        printResult(context, { value: report, text: () => reportText(report) });
        return;
      }
      const written = await writeHtmlReport(context, {
        ...commandOptions,
        html: commandOptions.html,
        windowMs,
        selection: model,
      });
      printResult(context, {
        value: { ...written.report, html: written.path },
        text: () => `${reportText(written.report)}wrote the HTML report to ${commandOptions.html}\n`,
      });
    });

  monitor
    .command('slo')
    .description('status of the service level objectives of confs/monitoring.yaml over their windows, with burn rates')
    .option('--conf <file>', 'the monitoring conf (default: confs/monitoring.yaml)')
    .option('--model <reference>', 'only this model (name), version (name/3) or alias (name@champion)')
    .action(async (commandOptions: { conf?: string; model?: string }) => {
      const context = options.context();
      const monitoring = await loadMonitoring();
      const conf = monitoring.readMonitoringConf(context, commandOptions.conf ?? monitoring.defaultMonitoringConfFile);
      const model = await monitoring.selectedModel(context, commandOptions.model);
      const report = await monitoring.withEventStore(context, (store) =>
        monitoring.buildSloStatus(store, { conf, ...model }),
      );
      printResult(context, { value: report, text: () => formatSloReport(report) });
    });

  monitor
    .command('drift')
    .description("drift of the last --since of traffic against a baseline window before it, or a dataset's inputs")
    .requiredOption(
      '--reference <window or file>',
      'a duration (24h: the window of traffic just before the current one) or a dataset file (its questions)',
    )
    .option('--since <duration>', 'the current window: a number and s, m, h, d or w', '1h')
    .option('--model <reference>', 'only this model (name), version (name/3) or alias (name@champion)')
    .action(async (commandOptions: { reference: string; since: string; model?: string }) => {
      const context = options.context();
      const monitoring = await loadMonitoring();
      const currentWindowMs = monitoring.parseSinceDuration(commandOptions.since);
      const reference = monitoring.resolveDriftReference(commandOptions.reference, {
        cwd: context.io.cwd,
        confine: true,
        dataRoots: dataRootsOf(context.io.env),
      });
      const model = await monitoring.selectedModel(context, commandOptions.model);
      const report = await monitoring.withEventStore(context, (store) =>
        monitoring.buildEventDriftReport(store, { reference, currentWindowMs, ...model }),
      );
      printResult(context, { value: report, text: () => formatDriftReport(report) });
    });
  monitor
    .command('alerts')
    .description('alerts fired by monitor jobs, newest first: the rule, the signal, what was notified and done')
    .option('--since <duration>', 'look-back window: a number and s, m, h, d or w (15m, 1h, 7d)', '24h')
    .option('--limit <count>', 'at most this many alerts', '100')
    .action(async (commandOptions: { since: string; limit: string }) => {
      const context = options.context();
      const monitoring = await loadMonitoring();
      const since = Date.now() - monitoring.parseSinceDuration(commandOptions.since);
      const limit = Number(commandOptions.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new LlmopsError('invalid_input', `--limit "${commandOptions.limit}" is not a whole number of at least 1`);
      const store = monitoring.openAlertStore(context.globals.store, { cwd: context.io.cwd });
      try {
        const alerts = await store.list({ since, limit });
        printResult(context, { value: alerts, text: () => formatAlerts(alerts) });
      } finally {
        store.close();
      }
    });
}
