import { LlmopsError, systemClock } from '@llmops/kernel';
import type { Clock } from '@llmops/kernel';
import type { EvaluationRunRecord, RunTracker } from '@llmops/evaluation';
import { buildEventTimeSeries, eventWindowsDriftReport, summarizeEvents } from '@llmops/monitoring';
import type {
  ActionOutcome,
  AlertStore,
  EventDriftReport,
  EventStore,
  EventWindows,
  ModelVersionSummary,
  TimeBucket,
} from '@llmops/monitoring';
import type { ModelVersion, Registry } from '@llmops/registry';

/** The longest window the dashboard shows: a day of one-minute buckets. */
export const dashboardMaxWindowMs = 24 * 3_600_000;

/**
 * The longest current window of the dashboard's drift (an hour), compared with the window as long just before it:
 * the page refreshes every few seconds, so the drift reads at most two hours of events, whatever the page's window.
 */
export const dashboardDriftMaxWindowMs = 3_600_000;

/** Versions shown per model (the newest), and evaluation runs and alerts shown (the latest). */
const versionsPerModel = 10;
const latestRuns = 20;
const latestAlerts = 20;

/** A model version as the dashboard shows it: no spec fields beyond provider and pipeline kind. */
export interface DashboardModelVersion {
  version: number;
  createdAt: number;
  author: string;
  /** `<provider>/<model>` (never the provider's other fields, which may name endpoints or key variables). */
  provider: string;
  pipeline: string;
  aliases: string[];
  /** The evaluation runs attached as evidence: run id, dataset and verdict. */
  evidence: Array<{ runId: string; dataset: string; verdict: string }>;
}

/** A registered model with its aliases and newest versions. */
export interface DashboardModel {
  name: string;
  latestVersion: number;
  /** Alias → version (`champion`, `challenger`, `previous-champion`…). */
  aliases: Record<string, number>;
  /** Newest first, at most 10. */
  versions: DashboardModelVersion[];
}

/** An evaluation run with its gate verdicts; no tags, artifacts or error text. */
export interface DashboardEvaluationRun {
  id: string;
  name: string;
  status: EvaluationRunRecord['status'];
  startedAt: number;
  finishedAt: number | null;
  target: string;
  modelName: string | null;
  modelVersion: string | null;
  dataset: string;
  examples: number;
  judge: string;
  /** `null` when the run had no gate. */
  gate: { passed: boolean; verdicts: Array<{ criterion: string; value: number | null; passed: boolean }> } | null;
}

/** What one of an alert's actions did: its status and reason, the runs it evaluated, the alias it moved. */
export interface DashboardAlertAction {
  action: string;
  status: string;
  /** The action's outcome in a sentence (what failed which gate, what was moved, or why nothing was). */
  reason: string;
  /** The evaluation runs it started (a re-evaluation's or a rebuild's), one per run, in order. */
  runs: Array<{ runId: string; dataset: string; version: number | null; gatePassed: boolean | null }>;
  /** The alias a rollback moved, from and to which version; null for other actions or when nothing moved. */
  moved: { alias: string; fromVersion: number | null; toVersion: number } | null;
}

/** A fired alert, without notification targets. */
export interface DashboardAlert {
  id: string;
  at: number;
  rule: string;
  severity: string;
  model: string | null;
  /** The signal that fired it; `details` as the alert store keeps them (drifted features; never secrets or text). */
  signal: {
    source: string;
    name: string;
    value: number | null;
    threshold: number | null;
    details: Record<string, unknown>;
  };
  status: 'pending' | 'done';
  dryRun: boolean;
  actions: DashboardAlertAction[];
}

/** What `GET /api/v1/dashboard` answers. */
export interface DashboardData {
  object: 'dashboard';
  generatedAt: number;
  window: { from: number; to: number; bucketMs: number };
  models: DashboardModel[];
  evaluations: DashboardEvaluationRun[];
  traffic: {
    /** Per model version over the window (no question text: events are summarised, never listed). */
    byVersion: ModelVersionSummary[];
    /** Per minute over the window, every model version together. */
    series: TimeBucket[];
  };
  /** Alerts fired in the window, newest first. */
  alerts: DashboardAlert[];
  /**
   * Drift of every model's traffic over the last `min(window, 1h)` against the window as long just before it, per
   * feature with its verdict (statistics only: the text feature is a classifier's AUC, never a question); `null`
   * when that window has no request.
   */
  drift: EventDriftReport | null;
  /**
   * The same drift per model (by name) with traffic in the current drift window, sorted by name, each with its
   * unanswered topics; empty when `drift` is null.
   */
  driftByModel: EventDriftReport[];
}

/** Where the dashboard reads from. */
export interface DashboardSources {
  registry: Pick<Registry, 'listModels' | 'listModelVersions'>;
  tracker: Pick<RunTracker, 'list'>;
  events: Pick<EventStore, 'list'>;
  alerts: Pick<AlertStore, 'list'>;
  clock?: Clock;
}

function providerOf(version: ModelVersion): string {
  const provider = version.spec.provider as string | { provider: string; model: string };
  return typeof provider === 'string' ? provider : `${provider.provider}/${provider.model}`;
}

function dashboardVersion(version: ModelVersion, aliases: Readonly<Record<string, number>>): DashboardModelVersion {
  return {
    version: version.version,
    createdAt: version.createdAt,
    author: version.author,
    provider: providerOf(version),
    pipeline: version.spec.pipeline.kind,
    aliases: Object.keys(aliases)
      .filter((alias) => aliases[alias] === version.version)
      .sort(),
    evidence: version.evidence.map((link) => ({ runId: link.runId, dataset: link.dataset, verdict: link.verdict })),
  };
}

function dashboardAction(outcome: ActionOutcome): DashboardAlertAction {
  const evaluations = outcome.action === 'rollback' ? [] : (outcome.result?.evaluations ?? []);
  const runs: DashboardAlertAction['runs'] = [];
  for (const evaluation of evaluations) {
    // The champion and the challenger on one version share a run: it is listed once.
    if (evaluation.runId === null || runs.some((run) => run.runId === evaluation.runId)) continue;
    runs.push({
      runId: evaluation.runId,
      dataset: evaluation.dataset,
      version: evaluation.version,
      gatePassed: evaluation.gatePassed,
    });
  }
  const rollback = outcome.action === 'rollback' && outcome.status === 'done' ? outcome.result : undefined;
  return {
    action: outcome.action,
    status: outcome.status,
    reason: outcome.reason,
    runs,
    moved: rollback
      ? { alias: rollback.alias, fromVersion: rollback.fromVersion, toVersion: rollback.toVersion }
      : null,
  };
}

function dashboardRun(run: EvaluationRunRecord): DashboardEvaluationRun {
  return {
    id: run.id,
    name: run.name,
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt ?? null,
    target: run.target.name,
    modelName: run.target.modelName ?? null,
    modelVersion: run.target.modelVersion ?? null,
    dataset: run.dataset.name,
    examples: run.summary.examples,
    judge: run.judge,
    gate: run.gates
      ? {
          passed: run.gates.passed,
          verdicts: run.gates.verdicts.map(({ criterion, value, passed }) => ({ criterion, value, passed })),
        }
      : null,
  };
}

/**
 * Assembles what the dashboard shows for a window ending now: registered models with their aliases and
 * newest versions (registry), the latest evaluation runs with their gate verdicts (evaluation tracker),
 * the served traffic per model version and per minute (event store), the alerts fired (alert store), and the drift
 * of the last hour (at most) of traffic against the one before it, over every model and per model (with each
 * model's unanswered topics).
 * Never a question's text, a spec's provider settings, a run's tags or a notification's target.
 * @throws LlmopsError `invalid_input` for a window that is not positive or longer than a day.
 */
export async function buildDashboardData(sources: DashboardSources, windowMs: number): Promise<DashboardData> {
  if (!(windowMs > 0) || windowMs > dashboardMaxWindowMs)
    throw new LlmopsError('invalid_input', `the dashboard's window is ${windowMs} ms; expected at most a day (24h)`);
  const to = (sources.clock ?? systemClock).now();
  const from = to - windowMs;
  const [models, runs, events, alerts] = await Promise.all([
    sources.registry.listModels(),
    sources.tracker.list({ limit: latestRuns }),
    sources.events.list({ since: from, until: to + 1 }),
    sources.alerts.list({ since: from, limit: latestAlerts }),
  ]);
  const driftWindowMs = Math.min(windowMs, dashboardDriftMaxWindowMs);
  const windows = events.some((event) => event.at >= to - driftWindowMs)
    ? await driftWindows(sources.events, to, driftWindowMs)
    : null;
  const withVersions = await Promise.all(
    [...models]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(async (model): Promise<DashboardModel> => {
        const versions = await sources.registry.listModelVersions(model.name);
        return {
          name: model.name,
          latestVersion: model.latestVersion,
          aliases: { ...model.aliases },
          versions: versions
            .slice(-versionsPerModel)
            .reverse()
            .map((version) => dashboardVersion(version, model.aliases)),
        };
      }),
  );
  return {
    object: 'dashboard',
    generatedAt: to,
    window: { from, to, bucketMs: 60_000 },
    models: withVersions,
    evaluations: runs.map(dashboardRun),
    traffic: {
      byVersion: summarizeEvents(events),
      series: buildEventTimeSeries(events, { from, to: to + 1, maxBuckets: 1_441 }),
    },
    alerts: alerts.map((alert) => ({
      id: alert.id,
      at: alert.at,
      rule: alert.rule,
      severity: alert.severity,
      model: alert.model,
      signal: {
        source: alert.signal.source,
        name: alert.signal.name,
        value: alert.signal.value,
        threshold: alert.signal.threshold,
        details: alert.signal.details,
      },
      status: alert.status,
      dryRun: alert.dryRun,
      actions: alert.actions.map(dashboardAction),
    })),
    drift: windows ? eventWindowsDriftReport(windows) : null,
    driftByModel: windows ? driftByModel(windows) : [],
  };
}

/** The current drift window (ending at `to`) and the window as long just before it, read once for every model. */
async function driftWindows(events: DashboardSources['events'], to: number, windowMs: number): Promise<EventWindows> {
  const from = to - windowMs;
  const current = await events.list({ since: from, until: to + 1 });
  const reference = await events.list({ since: from - windowMs, until: from });
  return { current: { from, to, events: current }, reference: { from: from - windowMs, to: from, events: reference } };
}

/** The drift of each model (by name) with traffic in the current window, from the windows already read. */
function driftByModel(windows: EventWindows): EventDriftReport[] {
  const names = [...new Set(windows.current.events.map((event) => event.modelName))].sort();
  return names.map((name) => {
    const ofModel = (side: EventWindows['current']) => ({
      ...side,
      events: side.events.filter((event) => event.modelName === name),
    });
    return eventWindowsDriftReport(
      { current: ofModel(windows.current), reference: ofModel(windows.reference) },
      { model: { name } },
    );
  });
}
