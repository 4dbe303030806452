import type { DriftReport } from '../drift/drift-report.js';

/** Where a signal comes from: an SLO's status or a drift report. */
export type AlertSource = 'slo' | 'drift';

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
