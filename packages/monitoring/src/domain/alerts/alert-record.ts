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

/** What a rebuild's promotion attempt decided. */
export interface RebuildPromotion {
  /** Whether the gate let the challenger become champion. */
  promoted: boolean;
  /** The policy's verdict in one line (what passed, or each failed criterion). */
  reason: string;
  /** The failed criteria, as text. */
  failedCriteria: string[];
}

/** What a rebuild did: the version registered over the current corpus, its evaluation, the promotion's decision. */
export interface RebuildOutcome {
  model: string;
  /** The champion whose spec was rebuilt. */
  fromVersion: number;
  /** The version registered over the current corpus (now `challenger`). */
  version: number;
  /** False when that spec over that corpus content was registered before (the same version again). */
  created: boolean;
  corpus: { location: string; contentHash: string };
  /** The challenger's evaluation on the re-evaluation dataset. */
  evaluation: AliasEvaluation;
  /** The promotion through the policy; null when it was not attempted (the evaluation did not finish). */
  promotion: RebuildPromotion | null;
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
    }
  | {
      action: 'rebuild';
      status: 'pending' | 'done' | 'skipped' | 'failed' | 'dry_run';
      reason: string;
      result?: RebuildOutcome;
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
