import type { AlertRule, NotifyChannel } from './alerts-config.js';
import type { AlertSignal } from './alert-signal.js';

/** How one notification went: `pending` while it is being sent, `dry_run` when it was only decided. */
export interface NotificationOutcome {
  channel: NotifyChannel['kind'];
  /** The file path, or the webhook's origin (never its path or query, which may hold a token). */
  target: string;
  status: 'pending' | 'sent' | 'failed' | 'dry_run';
  attempts: number;
  error?: string;
}

/** One model version's re-evaluation. */
export interface AliasEvaluation {
  alias: string;
  /** The version the alias pointed to; null when the model has no such alias (then nothing was run). */
  version: number | null;
  runId: string | null;
  /** Whether the run passed its gate; null without a gate or a run. */
  gatePassed: boolean | null;
  /** The failed gate criteria, as text. */
  failedCriteria: string[];
}

/** What a re-evaluation found. */
export interface ReevaluationOutcome {
  model: string;
  dataset: string;
  evaluations: AliasEvaluation[];
}

/** What a rollback moved. */
export interface RollbackOutcome {
  model: string;
  alias: string;
  fromVersion: number | null;
  toVersion: number;
}

/** How one action went: decided, done, refused by the policy (`skipped`), failed, or only decided (`dry_run`). */
export type ActionOutcome =
  | {
      action: 'reevaluate';
      status: 'pending' | 'done' | 'skipped' | 'failed' | 'dry_run';
      reason: string;
      result?: ReevaluationOutcome;
    }
  | {
      action: 'rollback';
      status: 'pending' | 'done' | 'skipped' | 'failed' | 'dry_run';
      reason: string;
      result?: RollbackOutcome;
    };

/** The status an action can have. */
export type ActionStatus = ActionOutcome['status'];

/** One fired alert, as kept in the alert store: the rule, the signal, what was notified and done. */
export interface AlertRecord {
  id: string;
  rule: string;
  severity: AlertRule['severity'];
  /** The key cool-down is counted by (rule and signal). */
  dedupeKey: string;
  /** Milliseconds since the epoch. */
  at: number;
  signal: AlertSignal;
  /** The model the actions act on: the signal's, else the rule's; null when neither names one. */
  model: string | null;
  dryRun: boolean;
  notifications: NotificationOutcome[];
  actions: ActionOutcome[];
  /** `done` when every notification and action has ended. */
  status: 'pending' | 'done';
}
