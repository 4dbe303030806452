import { z } from 'zod';
import { namePattern } from '@llmops/kernel';
import { parseSinceDuration, sinceDurationPattern } from '../since-duration.js';
import type { AlertSignal } from './alert-signal.js';
import { corpusChangedSignal } from './corpus-signal.js';
import { unansweredTopicsSignal } from './unanswered-topics-signal.js';

/** Where an alert is sent: the log, a webhook (JSON POST), or a file (one JSON line per alert). */
export type NotifyChannel = { kind: 'log' } | { kind: 'webhook'; url: string } | { kind: 'file'; path: string };

/**
 * What an alert may do besides notifying: re-evaluate the champion and challenger, roll the champion back, or
 * rebuild (register the champion's spec over its current corpus as the challenger, evaluate it, promote it
 * through the gate).
 */
export const alertActionNames = ['reevaluate', 'rollback', 'rebuild'] as const;
/** One of {@link alertActionNames}. */
export type AlertActionName = (typeof alertActionNames)[number];

const whenPattern = /^(slo:[A-Za-z0-9_.-]+|drift(:[A-Za-z0-9_.-]+)?|corpus_changed|unanswered_topics)$/;

/** Parses `log`, `webhook <http(s) url>` or `file <path>`. */
const notifyChannelSchema = z.string().transform((text, context): NotifyChannel => {
  const [kind = '', ...rest] = text.trim().split(/\s+/);
  const argument = rest.join(' ');
  if (kind === 'log' && argument === '') return { kind: 'log' };
  if (kind === 'file' && argument !== '') return { kind: 'file', path: argument };
  if (kind === 'webhook' && rest.length === 1) {
    const url = URL.canParse(argument) ? new URL(argument) : undefined;
    if (url && (url.protocol === 'http:' || url.protocol === 'https:')) return { kind: 'webhook', url: url.href };
    context.addIssue({ code: 'custom', message: `webhook URL "${argument}" is not an http(s) URL` });
    return z.NEVER;
  }
  context.addIssue({
    code: 'custom',
    message: `expected "log", "webhook <http(s) url>" or "file <path>", got "${text}"`,
  });
  return z.NEVER;
});

/** One alert rule: which signals it watches, where it notifies, what it does, how often at most. */
export const alertRuleSchema = z
  .strictObject({
    name: z.string().regex(namePattern, 'a rule name of letters, digits, ".", "_" or "-"'),
    /**
     * `slo:<name>` for one SLO, `drift` for any drift report, `drift:<name>` for one, `corpus_changed`,
     * `unanswered_topics`.
     */
    when: z
      .string()
      .regex(whenPattern, 'expected "slo:<name>", "drift", "drift:<name>", "corpus_changed" or "unanswered_topics"'),
    severity: z.enum(['info', 'warning', 'critical']).default('warning'),
    /** The model the actions act on, when the signal names none. */
    model: z.string().regex(namePattern, 'a model name').optional(),
    notify: z.array(notifyChannelSchema).default([{ kind: 'log' }]),
    actions: z.array(z.enum(alertActionNames)).default([]),
    /** After firing, the same rule on the same signal stays quiet this long. */
    cooldownSeconds: z.number().int().min(0).default(900),
    /**
     * Rehearse this rule only: record what it would notify and do, and do nothing. The section's `dryRun: true`
     * rehearses every rule whatever this says (a safety switch that a rule cannot turn off).
     */
    dryRun: z.boolean().default(false),
  })
  .refine((rule) => !rule.actions.includes('rollback') || rule.actions.includes('reevaluate'), {
    message: 'a rollback is only allowed after a re-evaluation of the champion fails its gate: add "reevaluate"',
    path: ['actions'],
  });

/** An alert rule as parsed (defaults applied). */
export type AlertRule = z.infer<typeof alertRuleSchema>;

/** One dataset a re-evaluation (or a rebuild's evaluation) runs on, with its gates and, when needed, its corpus. */
export const reevaluationDatasetSchema = z.strictObject({
  /** A dataset file, relative to the workspace (a dataset of the promotion policy). */
  dataset: z.string().min(1),
  /** A gate file, relative to the workspace; without it no gate is checked on this dataset. */
  gates: z.string().min(1).optional(),
  /** A RAG model's corpus for the run, when the dataset is about another knowledge base (`confs/data/manual/`). */
  corpus: z.string().min(1).optional(),
});

/**
 * How re-evaluation runs: one dataset (`{dataset, gates?, corpus?}`, the single form) or a list of them, read the
 * same way: as the list (the single form is a list of one). The champion and the challenger are evaluated on each.
 */
export const reevaluationSettingsSchema = z.preprocess(
  (value) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? [value] : value),
  z
    .array(reevaluationDatasetSchema, {
      error: (issue) =>
        issue.code === 'invalid_type' ? 'expected {dataset, gates?, corpus?} or a list of them' : undefined,
    })
    .min(1, 'expected at least one {dataset, gates?, corpus?}')
    .superRefine((datasets, context) => {
      const seen = new Set<string>();
      datasets.forEach((entry, index) => {
        const key = `${entry.dataset}|${entry.corpus ?? ''}`;
        if (seen.has(key)) {
          context.addIssue({
            code: 'custom',
            message: `dataset "${entry.dataset}"${entry.corpus === undefined ? '' : ` over corpus "${entry.corpus}"`} is listed twice`,
            path: [index, 'dataset'],
          });
        }
        seen.add(key);
      });
    }),
);

const durationSchema = z
  .string()
  .regex(sinceDurationPattern, 'expected a whole number and a unit s, m, h, d or w, for example 1h or 24h')
  .transform((text) => ({ text, ms: parseSinceDuration(text) }));

/**
 * The drift the API server's own alert rounds check: the last `current` of traffic against the `reference` just
 * before it (1 h against the 24 h before, by default).
 */
export const scheduledDriftSchema = z.strictObject({
  current: durationSchema.prefault('1h'),
  reference: durationSchema.prefault('24h'),
});

/** How webhooks are called. */
export const webhookSettingsSchema = z.strictObject({
  /** Each attempt's time limit. */
  timeoutMs: z.number().int().positive().default(5_000),
  /** Attempts in all, the first included. */
  maxAttempts: z.number().int().min(1).max(10).default(4),
  /** The delay before the first retry, before jitter; doubles on each retry. */
  baseDelayMs: z.number().int().min(0).default(500),
  maxDelayMs: z.number().int().min(0).default(10_000),
});

/** The `alerts:` section of `confs/monitoring.yaml`. */
export const alertsConfigSchema = z
  .strictObject({
    /** Decide and record what would be done, and do nothing (no notification, no action). */
    dryRun: z.boolean().default(false),
    /**
     * How often the API server evaluates the rules on its own (objectives and drift of each model with a champion),
     * in seconds; 0 (the default) leaves it to `kind: monitor` jobs.
     */
    intervalSeconds: z.number().min(0).default(0),
    /** The drift windows of the server's rounds (a `kind: monitor` job names its own in its conf). */
    drift: scheduledDriftSchema.prefault({}),
    /**
     * The judge of the re-evaluations and rebuilds the server's rounds start: `offline` (the default) or a model
     * spec such as `openai/gpt-4o-mini` (its key variable must be set where the server runs). A `kind: monitor`
     * job uses its own `judge`.
     */
    judge: z.string().min(1).default('offline'),
    webhook: webhookSettingsSchema.default({ timeoutMs: 5_000, maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 10_000 }),
    reevaluation: reevaluationSettingsSchema.optional(),
    rules: z.array(alertRuleSchema).default([]),
  })
  .superRefine((config, context) => {
    const seen = new Set<string>();
    config.rules.forEach((rule, index) => {
      if (seen.has(rule.name)) {
        context.addIssue({ code: 'custom', message: `rule name "${rule.name}" is used twice`, path: ['rules', index] });
      }
      seen.add(rule.name);
      if (
        (rule.actions.includes('reevaluate') || rule.actions.includes('rebuild')) &&
        config.reevaluation === undefined
      ) {
        context.addIssue({
          code: 'custom',
          message: `a rule that ${rule.actions.includes('rebuild') ? 'rebuilds' : 're-evaluates'} needs "reevaluation: {dataset, gates}" (or a list of them) in the alerts section`,
          path: ['rules', index, 'actions'],
        });
      }
    });
  });

/** The `alerts:` section as parsed (defaults applied). */
export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
/** How webhooks are called, as parsed. */
export type WebhookSettings = z.infer<typeof webhookSettingsSchema>;
/** Re-evaluation settings, as parsed: the datasets, one or more. */
export type ReevaluationSettings = z.infer<typeof reevaluationSettingsSchema>;
/** One dataset of a re-evaluation, as parsed. */
export type ReevaluationDataset = z.infer<typeof reevaluationDatasetSchema>;
/** The drift windows of the server's alert rounds, as parsed (text and milliseconds). */
export type ScheduledDrift = z.infer<typeof scheduledDriftSchema>;

/** Whether a rule's `when` selects a signal. */
export function ruleMatches(rule: Pick<AlertRule, 'when'>, signal: AlertSignal): boolean {
  if (rule.when === corpusChangedSignal) return signal.source === 'corpus' && signal.name === corpusChangedSignal;
  if (rule.when === unansweredTopicsSignal) return signal.source === 'topics' && signal.name === unansweredTopicsSignal;
  const [source, name] = rule.when.split(':', 2);
  if (source !== signal.source) return false;
  return name === undefined || name === signal.name;
}

/** Whether a rule only rehearses: the section's dry-run, or the rule's own. */
export function isDryRun(config: Pick<AlertsConfig, 'dryRun'>, rule: Pick<AlertRule, 'dryRun'>): boolean {
  return config.dryRun || rule.dryRun;
}

/**
 * The key alerts are deduplicated by: the rule, and the signal (with its model, when it names one). A rehearsal
 * has a key of its own, so that a dry run never silences the live alert that follows it within the cool-down.
 */
export function dedupeKeyOf(rule: Pick<AlertRule, 'name'>, signal: AlertSignal, dryRun = false): string {
  const subject = signal.model === undefined ? signal.name : `${signal.name}@${signal.model}`;
  return `${rule.name}|${signal.source}:${subject}${dryRun ? '|dry-run' : ''}`;
}
