import type {
  AlertRecord,
  NotificationOutcome,
  RebuildOutcome,
  ReevaluationOutcome,
  RollbackOutcome,
} from '../../domain/alerts/alert-record.js';
import type { ReevaluationDataset } from '../../domain/alerts/alerts-config.js';

/** Where fired alerts are kept. */
export interface AlertStore {
  /** Stores a new alert. */
  insert(record: AlertRecord): Promise<void>;
  /** Replaces an alert's notifications, actions and status. */
  update(record: AlertRecord): Promise<void>;
  /** When an alert with this dedupe key last fired (ms since the epoch), if ever. */
  lastFiredAt(dedupeKey: string): Promise<number | undefined>;
  /** Alerts fired at or after `since`, newest first, at most `limit` (100 by default). */
  list(query: { since: number; limit?: number }): Promise<AlertRecord[]>;
  close(): void;
}

/** What a notifier is sent: the alert without its internal bookkeeping; never secrets. */
export interface AlertPayload {
  id: string;
  rule: string;
  severity: AlertRecord['severity'];
  at: string;
  model: string | null;
  dryRun: boolean;
  signal: AlertRecord['signal'];
  /** The actions the rule takes, in order. */
  actions: string[];
}

/** Sends an alert somewhere. Never throws: a failure is an outcome. */
export interface AlertNotifier {
  readonly channel: NotificationOutcome['channel'];
  /** Where it sends, safe to record (a path, a webhook's origin). */
  readonly target: string;
  send(payload: AlertPayload): Promise<Pick<NotificationOutcome, 'status' | 'attempts' | 'error'>>;
}

/** Re-evaluates the versions some aliases of a model point to (the evaluation context, wired by the app). */
export interface ReEvaluationPort {
  /**
   * Evaluates each alias's version on each dataset (over the dataset's corpus when it names one) against that
   * dataset's gates and reports each run's gate verdict. An alias the model does not have is reported with
   * `version: null` and no run.
   */
  reevaluate(request: {
    model: string;
    aliases: readonly string[];
    datasets: readonly ReevaluationDataset[];
    reason: string;
  }): Promise<ReevaluationOutcome>;
}

/** Rolls an alias of a model back to `previous-<alias>` (the registry context, which audits it). */
export interface RollbackPort {
  rollback(request: { model: string; alias: string; reason: string }): Promise<RollbackOutcome>;
}

/**
 * Rebuilds a RAG model's champion over its corpus as it is now (the registry and evaluation contexts, wired by the
 * app): when the spec asks for it, first re-tunes a retrieval setting on the datasets; registers the spec over the
 * current corpus content as a new version with alias `challenger`, evaluates it on each dataset against its gates,
 * and asks the registry to promote it under the promotion policy, which moves the champion only when the gate
 * passes. Each step is audited where it happens.
 */
export interface RebuildPort {
  rebuild(request: {
    model: string;
    datasets: readonly ReevaluationDataset[];
    reason: string;
  }): Promise<RebuildOutcome>;
}
