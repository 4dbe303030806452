import { resolve } from 'node:path';
import { z } from 'zod';
import { LlmopsError } from '@llmops/kernel';
import { resolveDriftReference } from '@llmops/composition';
import {
  buildEventDriftReport,
  buildSloStatus,
  defaultMonitoringConfFile,
  parseSinceDuration,
  sinceDurationPattern,
} from '@llmops/monitoring';
import type { EventDriftReport, SloStatusReport } from '@llmops/monitoring';
import { writeOutputFile } from '../evaluation/evaluation-output.js';
import { formatDriftReport, formatSloReport } from '../monitoring/monitoring-output.js';
import { readMonitoringConf, selectedModel, withEventStore } from '../monitoring/monitoring-session.js';
import type { JobKind } from './job-kind.js';

const durationSchema = z
  .string()
  .regex(sinceDurationPattern, 'expected a whole number and a unit s, m, h, d or w, for example 1h or 24h');

const monitorSchema = z.strictObject({
  kind: z.literal('monitor'),
  /** The traffic to watch: a model (`support-rag`), a version (`support-rag/3`) or an alias (`support-rag@champion`). */
  model: z.string().min(1).optional(),
  /** The objectives; `confs/monitoring.yaml` by default. `false` skips them. */
  slo: z.union([z.literal(false), z.string().min(1)]).default(defaultMonitoringConfFile),
  /** The drift check; `false` skips it. */
  drift: z
    .union([
      z.literal(false),
      z.strictObject({
        /** A duration (the window of traffic just before the current one) or a dataset file (its questions). */
        reference: z.string().min(1).default('24h'),
        /** The current window. */
        since: durationSchema.default('1h'),
      }),
    ])
    .prefault({}),
  /** A JSON file the whole report is written to (before the job fails on a finding). */
  output: z.string().min(1).optional(),
  /** Which findings fail the job (exit 100, like a failed gate); both by default. */
  failOn: z.strictObject({ breach: z.boolean().default(true), drift: z.boolean().default(true) }).prefault({}),
});

/** What a `monitor` job found. */
interface MonitorReport {
  model: string | null;
  slo: SloStatusReport | null;
  drift: EventDriftReport | null;
}

function findingsOf(report: MonitorReport, failOn: { breach: boolean; drift: boolean }): string[] {
  const findings: string[] = [];
  if (failOn.breach && report.slo && report.slo.breached.length > 0)
    findings.push(`objectives breached: ${report.slo.breached.join(', ')}`);
  if (failOn.drift && report.drift?.verdict === 'drift')
    findings.push(
      `drift: ${report.drift.features
        .filter((feature) => feature.verdict === 'drift')
        .map((feature) => feature.name)
        .join(', ')}`,
    );
  return findings;
}

/**
 * `kind: monitor` (`confs/monitor.yaml`): the status of the objectives and the drift of a model's served traffic,
 * printed and optionally written as JSON. Exit codes: 0 when nothing is found; 100 (like a failed gate) when an
 * objective is breached in any window or the traffic drifted (each can be turned off with `failOn`); a window with
 * too little traffic is "no_data" or "insufficient", never a failure; 2 for a bad conf, reference or model.
 */
export const monitorJob: JobKind<typeof monitorSchema> = {
  kind: 'monitor',
  description: 'checks the service level objectives and the drift of served traffic; exit 100 on a breach or drift',
  schema: monitorSchema,
  run: async (job, context) => {
    const conf = job.slo === false ? undefined : readMonitoringConf(context, job.slo);
    const drift =
      job.drift === false
        ? undefined
        : {
            reference: resolveDriftReference(job.drift.reference, { cwd: context.io.cwd, what: 'job.drift.reference' }),
            currentWindowMs: parseSinceDuration(job.drift.since, 'job.drift.since'),
          };
    const model = await selectedModel(context, job.model);
    const report: MonitorReport = await withEventStore(context, async (store) => ({
      model: job.model ?? null,
      slo: conf ? await buildSloStatus(store, { conf, ...model }) : null,
      drift: drift ? await buildEventDriftReport(store, { ...drift, ...model }) : null,
    }));
    if (report.slo) for (const line of formatSloReport(report.slo).trimEnd().split('\n')) context.progress(line);
    if (report.drift) for (const line of formatDriftReport(report.drift).trimEnd().split('\n')) context.progress(line);
    if (job.output) writeOutputFile(resolve(context.io.cwd, job.output), `${JSON.stringify(report, null, 2)}\n`);
    const findings = findingsOf(report, job.failOn);
    if (findings.length > 0)
      throw new LlmopsError('gate_failed', `monitor${job.model ? ` ${job.model}` : ''}: ${findings.join('; ')}`, {
        details: report,
      });
    const parts = [
      report.slo ? `${report.slo.slos.length} objectives, none breached` : 'objectives not checked',
      report.drift ? `drift ${report.drift.verdict}` : 'drift not checked',
    ];
    return { kind: 'monitor', summary: `${job.model ?? 'all models'}: ${parts.join('; ')}`, data: report };
  },
};
