import type { Command } from 'commander';
import { parseReference } from '@llmops/kernel';
import { buildMonitoringReport, openEventStore, parseSinceDuration } from '@llmops/monitoring';
import type { ModelVersionSummary, MonitoringReport } from '@llmops/monitoring';
import type { CommandContext } from '../cli-io.js';
import { printResult } from '../registry/command-helpers.js';
import { withRegistry } from '../registry/open-registry.js';

interface ReportOptions {
  since: string;
  model?: string;
}

/**
 * The model name (and version) a `--model` reference selects, checked against the registry: `name`
 * is every version of the model, `name/7` that version, `name@alias` the version the alias points to now.
 * @throws LlmopsError `invalid_input` for a malformed reference, `not_found` naming an unknown model, version or alias.
 */
async function selectedModel(
  context: CommandContext,
  text: string,
): Promise<{ modelName: string; modelVersion?: number }> {
  const reference = parseReference(text);
  return withRegistry(context, async (registry) => {
    if (reference.kind === 'latest') {
      await registry.getModel(reference.name);
      return { modelName: reference.name };
    }
    const version = await registry.resolveModel(reference);
    return { modelName: version.name, modelVersion: version.version };
  });
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

/** `llmops monitor report`: served traffic per model version from the event store of `--store`. */
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
      const model = commandOptions.model === undefined ? {} : await selectedModel(context, commandOptions.model);
      const opened = openEventStore(context.globals.store, { cwd: context.io.cwd });
      let report: MonitoringReport;
      try {
        report = await buildMonitoringReport(opened.store, { windowMs, ...model });
      } finally {
        opened.store.close();
      }
      printResult(context, { value: report, text: () => reportText(report) });
    });
}
