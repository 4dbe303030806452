import type { DriftReport } from '../drift/drift-report.js';
import type { SloReport, SloWindowStatus } from '../slo/slo-evaluation.js';

/**
 * Where a signal comes from: an SLO's status, a drift report, a RAG model's corpus check, or the unanswered topics
 * of a drift report (a source of its own, so a rule on `drift` does not also fire on them).
 */
export type AlertSource = 'slo' | 'drift' | 'corpus' | 'topics';

/** The window a signal was measured over, in milliseconds since the epoch. */
export interface SignalWindow {
  since: number;
  until: number;
}

/**
 * One thing alert rules look at: an SLO's status or a drift verdict, reduced to whether it is breached,
 * the value measured and the threshold it was held to.
 */
export interface AlertSignal {
  source: AlertSource;
  /** The SLO's name (`latency_p95`) or the drift report's name (`drift` unless the caller names it). */
  name: string;
  breached: boolean;
  /** The value measured (an SLO's value, the drifted share of features); null when nothing was measured. */
  value: number | null;
  threshold: number | null;
  window: SignalWindow | null;
  /** The model the signal is about (a name), when it is about one. */
  model?: string;
  /** What else a reader of the alert needs (drifted features); never secrets, never question text. */
  details: Record<string, unknown>;
}

/**
 * The least an SLO status must carry to become a signal: any object with these fields does, so the SLO
 * evaluation needs no adapter of its own.
 */
export interface SloStatusLike {
  name: string;
  breached: boolean;
  value: number | null;
  threshold: number | null;
  window?: SignalWindow | null;
  model?: string;
}

/** The signal of an SLO's status. */
export function signalOfSlo(status: SloStatusLike): AlertSignal {
  return {
    source: 'slo',
    name: status.name,
    breached: status.breached,
    value: status.value,
    threshold: status.threshold,
    window: status.window ?? null,
    ...(status.model === undefined ? {} : { model: status.model }),
    details: {},
  };
}

/** Options of {@link signalOfDriftReport}. */
export interface DriftSignalOptions {
  /** The signal's name; `drift` by default. */
  name?: string;
  window?: SignalWindow | null;
  model?: string;
}

/**
 * The signal of a drift report: breached when the dataset verdict is `drift` (an `insufficient` report is
 * never a breach), valued at the share of drifted features against the dataset drift share. The drifted
 * features, with their method and statistic, go in the details.
 */
export function signalOfDriftReport(report: DriftReport, options: DriftSignalOptions = {}): AlertSignal {
  const drifted = report.features
    .filter((feature) => feature.verdict === 'drift')
    .map((feature) => ({ name: feature.name, method: feature.method, statistic: feature.statistic }));
  return {
    source: 'drift',
    name: options.name ?? 'drift',
    breached: report.verdict === 'drift',
    value: report.driftShare,
    threshold: report.datasetDriftShare,
    window: options.window ?? null,
    ...(options.model === undefined ? {} : { model: options.model }),
    details: {
      verdict: report.verdict,
      testedFeatures: report.testedFeatures,
      driftedFeatures: drifted,
    },
  };
}

/** The breached window that burns fastest (the worst bad ratio against its budget; zero-budget windows first). */
function worstWindow(windows: readonly SloWindowStatus[]): SloWindowStatus | undefined {
  const severity = (window: SloWindowStatus) => window.burnRate ?? Number.POSITIVE_INFINITY;
  return windows
    .filter((window) => window.state === 'breached')
    .reduce<SloWindowStatus | undefined>(
      (worst, window) => (!worst || severity(window) > severity(worst) ? window : worst),
      undefined,
    );
}

/**
 * One signal per objective of an SLO report, breached when the objective is breached in any window. Every kind
 * is valued the same way, so rules read alike: the share of bad events of the worst breached window against the
 * share its objective allows (for a latency objective, the share of requests over the threshold against 5 % for
 * p95). The objective, the window, its burn rate and the indicator as stated (the p95 in ms) go in the details.
 * @param options.until when the windows end (ms since the epoch); the report's own time by default.
 */
export function signalsOfSloReport(report: SloReport, options: { model?: string; until?: number } = {}): AlertSignal[] {
  const until = options.until ?? Date.parse(report.at);
  return report.slos.map((slo) => {
    const window = worstWindow(slo.windows);
    return {
      ...signalOfSlo({
        name: slo.name,
        breached: slo.state === 'breached',
        value: window?.badRatio ?? null,
        threshold: window?.allowedBadRatio ?? null,
        window: window ? { since: until - window.windowMs, until } : null,
        ...(options.model === undefined ? {} : { model: options.model }),
      }),
      details: {
        objective: slo.objective,
        state: slo.state,
        ...(window
          ? {
              window: window.window,
              events: window.events,
              badEvents: window.badEvents,
              burnRate: window.burnRate,
              indicator: window.value,
              ...(window.reason === undefined ? {} : { reason: window.reason }),
            }
          : {}),
      },
    };
  });
}
