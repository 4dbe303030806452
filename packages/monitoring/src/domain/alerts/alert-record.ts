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

/** One model version's evaluation on one dataset. */
export interface AliasEvaluation {
  alias: string;
  /** The dataset file it ran on. */
  dataset: string;
  /** The corpus the run read instead of the version's own, when the dataset names one. */
  corpus?: string;
  /** The version the alias pointed to; null when the model has no such alias (then nothing was run). */
  version: number | null;
  runId: string | null;
  /** Whether the run passed its gate; null without a gate or a run. */
  gatePassed: boolean | null;
  /** The failed gate criteria, as text. */
  failedCriteria: string[];
}

/** What a re-evaluation found: one evaluation per dataset and alias, dataset by dataset. */
export interface ReevaluationOutcome {
  model: string;
  /** The dataset files, in the conf's order. */
  datasets: string[];
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

/** One retrieval setting tried by a rebuild's tuning, and its score on each dataset. */
export interface RetrievalTrial {
  /** The value of the tuned setting (`retrieval.k`). */
  value: number;
  /** The criterion's metric on each dataset (null when the run did not compute it). */
  scores: Record<string, number | null>;
  /** The score compared: the worst dataset's value (null when a dataset has none). */
  score: number | null;
  /** The trial runs, by dataset (they belong to no registered version, so they are never promotion evidence). */
  runIds: Record<string, string>;
}

/** How a rebuild re-tuned a retrieval setting before registering (the spec's `pipeline.retrieval.tune`). */
export interface RetrievalTuning {
  /** The setting tuned, as a run param (`retrieval.k`). */
  setting: string;
  /** The metric the trials are ranked by, and whether higher is better (the promotion policy's first criterion). */
  metric: string;
  higherIsBetter: boolean;
  /** The champion spec's own value (it wins ties). */
  specValue: number;
  /** The value registered. */
  chosen: number;
  trials: RetrievalTrial[];
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
  /** The retrieval setting re-tuned before registering, when the spec asks for it (`pipeline.retrieval.tune`). */
  tuning?: RetrievalTuning;
  /** The challenger's evaluation on each re-evaluation dataset. */
  evaluations: AliasEvaluation[];
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
