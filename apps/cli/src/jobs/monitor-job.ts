import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { dataRootsOf, LlmopsError } from '@llmops/kernel';
import {
  alertSignalsOf,
  checkChampionCorpus,
  openMonitoringAlerts,
  resolveDriftReference,
  watchTraffic,
} from '@llmops/composition';
import type { WatchFindings } from '@llmops/composition';
import { defaultMonitoringConfFile, parseSinceDuration, sinceDurationPattern } from '@llmops/monitoring';
import type { AlertRecord, AlertSignal, CorpusCheck, MonitoringConf } from '@llmops/monitoring';
import type { PromotionPolicy } from '@llmops/registry';
import { writeOutputFile } from '../evaluation/evaluation-output.js';
import {
  formatAlerts,
  formatCorpusCheck,
  formatDriftReport,
  formatSloReport,
} from '../monitoring/monitoring-output.js';
import { readMonitoringConf, selectedModel, withEventStore } from '../monitoring/monitoring-session.js';
import { withRegistry } from '../registry/open-registry.js';
import { readPromotionPolicyFile } from '../registry/registry-files.js';
import { workspaceFile } from '../workspace-file.js';
import type { JobContext, JobKind } from './job-kind.js';

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
  /**
   * Run the alert rules of the conf's `alerts:` section on what was found (notifications, re-evaluation,
   * rollback), waiting for each to end. Only with an objectives file, where the rules live.
   */
  alerts: z.boolean().default(true),
  /** Rehearse every alert rule: record what would be notified and done, do nothing. */
  dryRun: z.boolean().default(false),
  /**
   * Compare the corpus a RAG model's champion was registered over with its files now (the `corpus_changed`
   * signal); needs a model name.
   */
  corpus: z.boolean().default(true),
  /** The promotion policy a rebuilt challenger is promoted under (rules with the `rebuild` action). */
  policy: z.string().min(1).default('confs/promotion-policy.yaml'),
  /** The judge of re-evaluations an alert starts (`offline`, or a model such as `openai/gpt-4o-mini`). */
  judge: z.string().min(1).default('offline'),
  /** Which findings fail the job (exit 100, like a failed gate); both by default. */
  failOn: z.strictObject({ breach: z.boolean().default(true), drift: z.boolean().default(true) }).prefault({}),
});

/** What a `monitor` job found. */
export interface MonitorReport extends WatchFindings {
  model: string | null;
  /** The alerts fired, as they ended (notified, acted on). */
  alerts: AlertRecord[];
}

/**
 * Runs the rules of the conf on the signals: fires, notifies and acts (re-evaluation in this process, rollback in
 * the registry of `--store`), and answers once every alert has ended.
 */
async function runAlerts(
  context: JobContext,
  input: {
    alerts: NonNullable<MonitoringConf['alerts']>;
    signals: AlertSignal[];
    dryRun: boolean;
    judge: string;
    promotionPolicy: PromotionPolicy | undefined;
  },
): Promise<AlertRecord[]> {
  return withRegistry(context, async (registry) => {
    const opened = openMonitoringAlerts({
      config: input.alerts,
      storeUri: context.globals.store,
      cwd: context.io.cwd,
      env: context.io.env,
      registry,
      judge: input.judge,
      ...(input.promotionPolicy ? { promotionPolicy: input.promotionPolicy } : {}),
      logger: { warn: (_alert, message) => context.progress(message) },
      dryRun: input.dryRun,
    });
    try {
      const fired = await opened.engine.evaluate(input.signals);
      return await Promise.all(fired.map((alert) => alert.done));
    } finally {
      await opened.close();
    }
  });
}

/** Whether the champion's corpus changed, in a word. */
function corpusState(check: CorpusCheck): string {
  if (check.recorded === null || check.current === null) return 'unknown';
  return check.recorded === check.current ? 'unchanged' : 'changed';
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
 * printed and optionally written as JSON; then the alert rules of the conf on both (notify, re-evaluate the
 * champion and challenger, roll the champion back when it fails its gate), waited for and printed. Exit codes: 0 when nothing is found; 100 (like a failed gate) when an
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
            reference: resolveDriftReference(job.drift.reference, {
              cwd: context.io.cwd,
              what: 'job.drift.reference',
              confine: true,
              dataRoots: dataRootsOf(context.io.env),
            }),
            currentWindowMs: parseSinceDuration(job.drift.since, 'job.drift.since'),
          };
    const model = await selectedModel(context, job.model);
    const modelName = 'modelName' in model ? model.modelName : undefined;
    const found = {
      model: job.model ?? null,
      ...(await withEventStore(context, (store) => watchTraffic({ store, conf, drift, model }))),
    };
    const corpus =
      job.corpus && modelName !== undefined
        ? ((await withRegistry(context, (registry) =>
            checkChampionCorpus({ registry, model: modelName, cwd: context.io.cwd }),
          )) ?? null)
        : null;
    const print = (text: string) => {
      for (const line of text.trimEnd().split('\n')) context.report(line);
    };
    if (found.slo) print(formatSloReport(found.slo));
    if (found.drift) print(formatDriftReport(found.drift));
    if (corpus) print(formatCorpusCheck(corpus));
    const rules = job.alerts ? conf?.alerts : undefined;
    const rebuilds = rules?.rules.some((rule) => rule.actions.includes('rebuild')) ?? false;
    const alerts = rules
      ? await runAlerts(context, {
          alerts: rules,
          signals: alertSignalsOf({ ...found, corpus }, modelName),
          dryRun: job.dryRun,
          judge: job.judge,
          // Read only when a rule can rebuild and the file exists: a missing policy fails that rebuild, not the job.
          promotionPolicy:
            rebuilds && existsSync(resolve(context.io.cwd, job.policy))
              ? readPromotionPolicyFile(job.policy, context.io)
              : undefined,
        })
      : [];
    if (rules) print(formatAlerts(alerts));
    const report: MonitorReport = { ...found, corpus, alerts };
    if (job.output)
      writeOutputFile(workspaceFile(context.io, job.output, 'job.output'), `${JSON.stringify(report, null, 2)}\n`);
    const findings = findingsOf(report, job.failOn);
    if (findings.length > 0)
      throw new LlmopsError('gate_failed', `monitor${job.model ? ` ${job.model}` : ''}: ${findings.join('; ')}`, {
        details: report,
      });
    const parts = [
      report.slo
        ? `${report.slo.slos.length} objectives, ${report.slo.breached.length === 0 ? 'none' : report.slo.breached.join(', ')} breached`
        : 'objectives not checked',
      report.drift ? `drift ${report.drift.verdict}` : 'drift not checked',
      ...(report.corpus ? [`corpus ${corpusState(report.corpus)}`] : []),
      ...(rules ? [`${alerts.length} alert${alerts.length === 1 ? '' : 's'}`] : []),
    ];
    return { kind: 'monitor', summary: `${job.model ?? 'all models'}: ${parts.join('; ')}`, data: report };
  },
};
