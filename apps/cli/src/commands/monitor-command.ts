import type { Command } from 'commander';
import { LlmopsError } from '@llmops/kernel';
import { resolveDriftReference } from '@llmops/composition';
import {
  buildEventDriftReport,
  buildMonitoringReport,
  buildSloStatus,
  defaultMonitoringConfFile,
  openAlertStore,
  parseSinceDuration,
} from '@llmops/monitoring';
import type { ModelVersionSummary, MonitoringReport } from '@llmops/monitoring';
import type { CommandContext } from '../cli-io.js';
import { formatAlerts, formatDriftReport, formatSloReport } from '../monitoring/monitoring-output.js';
import { readMonitoringConf, selectedModel, withEventStore } from '../monitoring/monitoring-session.js';
import { printResult } from '../registry/command-helpers.js';

interface ReportOptions {
  since: string;
  model?: string;
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
    .action(async (commandOptions: ReportOptions) => {
      const context = options.context();
      const windowMs = parseSinceDuration(commandOptions.since);
      const model = await selectedModel(context, commandOptions.model);
      const report = await withEventStore(context, (store) => buildMonitoringReport(store, { windowMs, ...model }));
      printResult(context, { value: report, text: () => reportText(report) });
    });

  monitor
    .command('slo')
    .description('status of the service level objectives of confs/monitoring.yaml over their windows, with burn rates')
    .option('--conf <file>', 'the monitoring conf', defaultMonitoringConfFile)
    .option('--model <reference>', 'only this model (name), version (name/3) or alias (name@champion)')
    .action(async (commandOptions: { conf: string; model?: string }) => {
      const context = options.context();
      const conf = readMonitoringConf(context, commandOptions.conf);
      const model = await selectedModel(context, commandOptions.model);
      const report = await withEventStore(context, (store) => buildSloStatus(store, { conf, ...model }));
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
      const currentWindowMs = parseSinceDuration(commandOptions.since);
      const reference = resolveDriftReference(commandOptions.reference, { cwd: context.io.cwd });
      const model = await selectedModel(context, commandOptions.model);
      const report = await withEventStore(context, (store) =>
        buildEventDriftReport(store, { reference, currentWindowMs, ...model }),
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
      const since = Date.now() - parseSinceDuration(commandOptions.since);
      const limit = Number(commandOptions.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new LlmopsError('invalid_input', `--limit "${commandOptions.limit}" is not a whole number of at least 1`);
      const store = openAlertStore(context.globals.store, { cwd: context.io.cwd });
      try {
        const alerts = await store.list({ since, limit });
        printResult(context, { value: alerts, text: () => formatAlerts(alerts) });
      } finally {
        store.close();
      }
    });
}
