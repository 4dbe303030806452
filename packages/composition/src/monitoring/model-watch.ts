import {
  buildEventDriftReport,
  buildSloStatus,
  signalOfCorpusCheck,
  signalOfDriftReport,
  signalOfUnansweredTopics,
  signalsOfSloReport,
} from '@llmops/monitoring';
import type {
  AlertSignal,
  CorpusCheck,
  DriftReference,
  EventDriftReport,
  EventStore,
  MonitoringConf,
  ScheduledDrift,
  SloStatusReport,
} from '@llmops/monitoring';
import type { MonitoredModel } from './monitored-model.js';

/** What one look at a model's served traffic found: its objectives, its drift, its champion's corpus. */
export interface WatchFindings {
  slo: SloStatusReport | null;
  drift: EventDriftReport | null;
  /** The champion's corpus then and now (a RAG model), or null when not checked or not a RAG champion. */
  corpus: CorpusCheck | null;
}

/** Options of {@link watchTraffic}. */
export interface WatchTrafficOptions {
  store: EventStore;
  /** The objectives; none are checked without a conf. */
  conf?: MonitoringConf | undefined;
  /** The drift check (a reference and the current window); none without it. */
  drift?: { reference: DriftReference; currentWindowMs: number } | undefined;
  /** The traffic watched: a model (one version of it), or all of it. */
  model: MonitoredModel | Record<string, never>;
}

/**
 * The drift windows of the API server's own alert rounds, from the conf's `alerts.drift`: the last `current` of
 * traffic against the `reference` just before it (1 h against the 24 h before, by default).
 */
export function scheduledDriftWindows(drift: ScheduledDrift): { reference: DriftReference; currentWindowMs: number } {
  return { reference: { kind: 'window', windowMs: drift.reference.ms }, currentWindowMs: drift.current.ms };
}

/** The status of the objectives and the drift of a model's served traffic (what `kind: monitor` and the server's alert rounds look at). */
export async function watchTraffic(options: WatchTrafficOptions): Promise<Pick<WatchFindings, 'slo' | 'drift'>> {
  const { store, conf, drift, model } = options;
  return {
    slo: conf ? await buildSloStatus(store, { conf, ...model }) : null,
    drift: drift ? await buildEventDriftReport(store, { ...drift, ...model }) : null,
  };
}

/**
 * The alert signals of what was found: one per objective, the drift verdict, the unanswered topics (against a
 * window of traffic), the corpus check, about the model watched (when one was).
 */
export function alertSignalsOf(findings: WatchFindings, model: string | undefined, now = Date.now()): AlertSignal[] {
  const about = model === undefined ? {} : { model };
  const signals = findings.slo ? signalsOfSloReport(findings.slo, about) : [];
  if (findings.drift) {
    const window = { since: Date.parse(findings.drift.current.from), until: Date.parse(findings.drift.current.to) };
    signals.push(signalOfDriftReport(findings.drift, { window, ...about }));
    if (findings.drift.unansweredTopics)
      signals.push(signalOfUnansweredTopics(findings.drift.unansweredTopics, { window, ...about }));
  }
  if (findings.corpus) signals.push(signalOfCorpusCheck(findings.corpus, { at: now }));
  return signals;
}
