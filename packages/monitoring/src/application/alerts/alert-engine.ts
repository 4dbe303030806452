import { randomUUID } from 'node:crypto';
import { LlmopsError, systemClock } from '@llmops/kernel';
import type { Clock } from '@llmops/kernel';
import type {
  ActionOutcome,
  AliasEvaluation,
  AlertRecord,
  RebuildOutcome,
  ReevaluationOutcome,
  RetrievalTuning,
} from '../../domain/alerts/alert-record.js';
import type { AlertSignal } from '../../domain/alerts/alert-signal.js';
import { dedupeKeyOf, isDryRun, ruleMatches } from '../../domain/alerts/alerts-config.js';
import type { AlertRule, AlertsConfig, NotifyChannel, ReevaluationDataset } from '../../domain/alerts/alerts-config.js';
import { decideRollback } from '../../domain/alerts/rollback-policy.js';
import type {
  AlertNotifier,
  AlertPayload,
  AlertStore,
  RebuildPort,
  ReEvaluationPort,
  RollbackPort,
} from './alert-ports.js';

/** The aliases a re-evaluation runs on. */
export const reevaluatedAliases = ['champion', 'challenger'] as const;

/** What {@link AlertEngine} is built from. */
export interface AlertEngineOptions {
  /** The `alerts:` section, parsed. */
  config: AlertsConfig;
  store: AlertStore;
  /** Builds the notifier of a channel (once per channel). */
  notifierFor: (channel: NotifyChannel) => AlertNotifier;
  /** The evaluation context; without it a `reevaluate` action fails. */
  reevaluation?: ReEvaluationPort;
  /** The registry context; without it a `rollback` action fails. */
  rollback?: RollbackPort;
  /** The registry and evaluation contexts together; without it a `rebuild` action fails. */
  rebuild?: RebuildPort;
  clock?: Clock;
  newId?: () => string;
  /** Told when an alert's outcome could not be saved (the alert itself goes on). */
  onError?: (error: unknown, record: AlertRecord) => void;
}

/** An alert that fired: as first recorded, and when every notification and action has ended. */
export interface FiredAlert {
  record: AlertRecord;
  done: Promise<AlertRecord>;
}

function channelKey(channel: NotifyChannel): string {
  return JSON.stringify(channel);
}

function messageOf(error: unknown): string {
  return LlmopsError.fromUnknown(error).message;
}

/** How one evaluation went, in a few words (`champion support-rag/2 failed its gate (run …)`). */
function describeEvaluation(model: string, evaluation: AliasEvaluation): string {
  if (evaluation.version === null) return `no ${evaluation.alias}`;
  const ref = `${evaluation.alias} ${model}/${evaluation.version}`;
  if (evaluation.gatePassed === null) return `${ref} evaluated (run ${evaluation.runId}, no gate)`;
  return `${ref} ${evaluation.gatePassed ? 'passed' : 'failed'} its gate (run ${evaluation.runId})`;
}

/** A dataset as the alert names it: the file, and the corpus when the run read another one. */
function datasetLabel(entry: { dataset: string; corpus?: string | undefined }): string {
  return entry.corpus === undefined ? entry.dataset : `${entry.dataset} (corpus ${entry.corpus})`;
}

/** How a re-evaluation went, in one line: each dataset's gate for each alias. */
function describeReevaluation(outcome: ReevaluationOutcome): string {
  return outcome.datasets
    .map((dataset) => {
      const runs = outcome.evaluations.filter((evaluation) => evaluation.dataset === dataset);
      const label = runs[0] ? datasetLabel(runs[0]) : dataset;
      return `on ${label}: ${runs.map((evaluation) => describeEvaluation(outcome.model, evaluation)).join('; ')}`;
    })
    .join(' | ');
}

/** What a re-evaluation would run on, for a rehearsal: each dataset against its gates. */
function describeDatasets(datasets: readonly ReevaluationDataset[] | undefined): string {
  if (datasets === undefined) return '(no dataset)';
  return datasets.map((entry) => `${datasetLabel(entry)} against ${entry.gates ?? 'no gate'}`).join(', ');
}

/** How a rebuild's tuning went, in a few words (`retrieval.k 3: 0.61, 5: 0.64 (chosen), 8: 0.6`). */
function describeTuning(tuning: RetrievalTuning): string {
  const trials = tuning.trials.map(
    (trial) => `${trial.value}: ${trial.score ?? 'n/a'}${trial.value === tuning.chosen ? ' (chosen)' : ''}`,
  );
  return `${tuning.setting} tuned by ${tuning.metric} (worst dataset) ${trials.join(', ')}`;
}

/** How a rebuild went, in one line. */
function describeRebuild(outcome: RebuildOutcome): string {
  const { evaluations, promotion } = outcome;
  const tuned = outcome.tuning ? `${describeTuning(outcome.tuning)}; ` : '';
  const registered = `${tuned}${outcome.model}/${outcome.version} ${outcome.created ? 'registered' : 'already registered'} over ${outcome.corpus.location} (${outcome.corpus.contentHash.slice(0, 19)}…) from champion ${outcome.model}/${outcome.fromVersion}, set as challenger`;
  const evaluated = evaluations
    .map((evaluation) => {
      const verdict =
        evaluation.gatePassed === null
          ? `evaluated (run ${evaluation.runId}, no gate)`
          : `${evaluation.gatePassed ? 'passed' : 'failed'} its gate (run ${evaluation.runId})`;
      return `on ${datasetLabel(evaluation)} ${verdict}`;
    })
    .join(', ');
  const decided =
    promotion === null
      ? 'promotion not attempted'
      : promotion.promoted
        ? `promoted to champion: ${promotion.reason}`
        : `promotion refused: ${promotion.reason}`;
  return `${registered}; ${evaluated}; ${decided}`;
}

/**
 * Turns signals into alerts. A breached signal that a rule selects fires an alert unless the same rule fired on the
 * same signal within its cool-down (or earlier in the same call); each alert is recorded at once, then notified and
 * acted on in the background, so `evaluate` never waits for a webhook or an evaluation. Actions go through ports:
 * re-evaluate the champion and challenger, then roll the champion back only when the policy allows it (the
 * champion failed its gate). In dry-run mode every decision is recorded and nothing is sent or done.
 */
export class AlertEngine {
  private readonly clock: Clock;
  private readonly newId: () => string;
  private readonly notifiers = new Map<string, AlertNotifier>();
  private readonly running = new Set<Promise<AlertRecord>>();

  constructor(private readonly options: AlertEngineOptions) {
    this.clock = options.clock ?? systemClock;
    this.newId = options.newId ?? randomUUID;
  }

  /** Fires the alerts the signals call for; answers once they are recorded, before they are sent or acted on. */
  async evaluate(signals: readonly AlertSignal[]): Promise<FiredAlert[]> {
    const now = this.clock.now();
    const firedKeys = new Set<string>();
    const fired: FiredAlert[] = [];
    for (const signal of signals) {
      if (!signal.breached) continue;
      for (const rule of this.options.config.rules) {
        if (!ruleMatches(rule, signal)) continue;
        const dedupeKey = dedupeKeyOf(rule, signal, isDryRun(this.options.config, rule));
        if (firedKeys.has(dedupeKey)) continue;
        const last = await this.options.store.lastFiredAt(dedupeKey);
        if (last !== undefined && now - last < rule.cooldownSeconds * 1000) continue;
        firedKeys.add(dedupeKey);
        const record = this.plan({ rule, signal, dedupeKey, at: now });
        await this.options.store.insert(record);
        const first = structuredClone(record);
        const done = record.status === 'done' ? Promise.resolve(record) : this.track(this.dispatch(record, rule));
        fired.push({ record: first, done });
      }
    }
    return fired;
  }

  /** Waits until every alert fired so far has ended (a job does before it exits; so do tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private track(work: Promise<AlertRecord>): Promise<AlertRecord> {
    this.running.add(work);
    void work.finally(() => this.running.delete(work)).catch(() => undefined);
    return work;
  }

  private notifier(channel: NotifyChannel): AlertNotifier {
    const key = channelKey(channel);
    let notifier = this.notifiers.get(key);
    if (!notifier) {
      notifier = this.options.notifierFor(channel);
      this.notifiers.set(key, notifier);
    }
    return notifier;
  }

  /** The alert as decided: every notification and action pending, or, in dry-run, what would be done. */
  private plan(input: { rule: AlertRule; signal: AlertSignal; dedupeKey: string; at: number }): AlertRecord {
    const { rule, signal } = input;
    const dryRun = isDryRun(this.options.config, rule);
    const model = signal.model ?? rule.model ?? null;
    const notifications = rule.notify.map((channel) => ({
      channel: channel.kind,
      target: this.notifier(channel).target,
      status: dryRun ? ('dry_run' as const) : ('pending' as const),
      attempts: 0,
    }));
    const actions = rule.actions.map((action): ActionOutcome => {
      if (model === null) {
        return {
          action,
          status: 'skipped',
          reason: 'no model to act on: the signal names none and the rule sets none',
        };
      }
      if (!dryRun) return { action, status: 'pending', reason: '' };
      return { action, status: 'dry_run', reason: this.wouldDo(action, model) };
    });
    const pending =
      notifications.some((item) => item.status === 'pending') || actions.some((item) => item.status === 'pending');
    return {
      id: this.newId(),
      rule: rule.name,
      severity: rule.severity,
      dedupeKey: input.dedupeKey,
      at: input.at,
      signal,
      model,
      dryRun,
      notifications,
      actions,
      status: pending ? 'pending' : 'done',
    };
  }

  private wouldDo(action: AlertRule['actions'][number], model: string): string {
    const settings = this.options.config.reevaluation;
    if (action === 'reevaluate') {
      const aliases = reevaluatedAliases.map((alias) => `${model}@${alias}`).join(' and ');
      return `would re-evaluate ${aliases} on ${describeDatasets(settings)}`;
    }
    if (action === 'rebuild') {
      return `would register ${model}@champion's spec over its current corpus as ${model}@challenger (re-tuning its retrieval first when the spec has pipeline.retrieval.tune), evaluate it on ${describeDatasets(settings)}, and promote it to champion only if the promotion policy allows it`;
    }
    return `would roll ${model}@champion back to previous-champion if the champion fails its gate on at least one dataset`;
  }

  private async save(record: AlertRecord): Promise<void> {
    try {
      await this.options.store.update(record);
    } catch (error) {
      this.options.onError?.(error, record);
    }
  }

  private payloadOf(record: AlertRecord, rule: AlertRule): AlertPayload {
    return {
      id: record.id,
      rule: record.rule,
      severity: record.severity,
      at: new Date(record.at).toISOString(),
      model: record.model,
      dryRun: record.dryRun,
      signal: record.signal,
      actions: [...rule.actions],
    };
  }

  private async dispatch(record: AlertRecord, rule: AlertRule): Promise<AlertRecord> {
    const payload = this.payloadOf(record, rule);
    const notifying = rule.notify.map(async (channel, index) => {
      const outcome = await this.notifier(channel)
        .send(payload)
        .catch((error: unknown) => ({ status: 'failed' as const, attempts: 1, error: messageOf(error) }));
      const planned = record.notifications[index];
      if (planned) record.notifications[index] = { ...planned, ...outcome };
      await this.save(record);
    });
    await Promise.all([...notifying, this.act(record)]);
    record.status = 'done';
    await this.save(record);
    return record;
  }

  /** Runs the rule's actions in order; a rollback sees the re-evaluation that ran before it. */
  private async act(record: AlertRecord): Promise<void> {
    let reevaluation: ReevaluationOutcome | undefined;
    for (const [index, planned] of record.actions.entries()) {
      if (planned.status !== 'pending' || record.model === null) continue;
      const model = record.model;
      let outcome: ActionOutcome;
      if (planned.action === 'reevaluate') {
        outcome = await this.reevaluate(record, model);
        if (outcome.action === 'reevaluate') reevaluation = outcome.result;
      } else if (planned.action === 'rebuild') {
        outcome = await this.rebuild(record, model);
      } else {
        outcome = await this.rollBack(record, { model, reevaluation });
      }
      record.actions[index] = outcome;
      await this.save(record);
    }
  }

  private async reevaluate(record: AlertRecord, model: string): Promise<ActionOutcome> {
    const settings = this.options.config.reevaluation;
    const port = this.options.reevaluation;
    if (!port || !settings) {
      return { action: 'reevaluate', status: 'failed', reason: 're-evaluation is not wired in this process' };
    }
    try {
      const result = await port.reevaluate({
        model,
        aliases: reevaluatedAliases,
        datasets: settings,
        reason: `alert ${record.id} (rule ${record.rule}, ${record.signal.source} ${record.signal.name})`,
      });
      return { action: 'reevaluate', status: 'done', reason: describeReevaluation(result), result };
    } catch (error) {
      return { action: 'reevaluate', status: 'failed', reason: messageOf(error) };
    }
  }

  private async rebuild(record: AlertRecord, model: string): Promise<ActionOutcome> {
    const settings = this.options.config.reevaluation;
    const port = this.options.rebuild;
    if (!port || !settings) {
      return { action: 'rebuild', status: 'failed', reason: 'rebuilding is not wired in this process' };
    }
    try {
      const result = await port.rebuild({
        model,
        datasets: settings,
        reason: `alert ${record.id} (rule ${record.rule}, ${record.signal.source} ${record.signal.name})`,
      });
      return { action: 'rebuild', status: 'done', reason: describeRebuild(result), result };
    } catch (error) {
      return { action: 'rebuild', status: 'failed', reason: messageOf(error) };
    }
  }

  private async rollBack(
    record: AlertRecord,
    input: { model: string; reevaluation: ReevaluationOutcome | undefined },
  ): Promise<ActionOutcome> {
    const decision = decideRollback(input.reevaluation);
    if (!decision.allowed) return { action: 'rollback', status: 'skipped', reason: decision.reason };
    const port = this.options.rollback;
    if (!port) return { action: 'rollback', status: 'failed', reason: 'rollback is not wired in this process' };
    try {
      const result = await port.rollback({
        model: input.model,
        alias: 'champion',
        reason: `alert ${record.id} (rule ${record.rule}): ${decision.reason}`,
      });
      return { action: 'rollback', status: 'done', reason: decision.reason, result };
    } catch (error) {
      return { action: 'rollback', status: 'failed', reason: messageOf(error) };
    }
  }
}
