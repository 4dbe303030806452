import { isHarmCategory } from '@llmops/kernel';
import { quantileOfSorted } from '../event-summary.js';
import { isFailedEvent } from '../request-event.js';
import type { RequestEvent } from '../request-event.js';
import type { MonitoringConf, Slo, SloKind, SloWindow } from './slo-definition.js';

/** An objective's state: met, breached, or not measurable (no events, or no signal for it yet). */
export type SloState = 'ok' | 'breached' | 'no_data';

/** One objective over one rolling window. */
export interface SloWindowStatus {
  /** The window as written (`1h`) and its length in ms. */
  window: string;
  windowMs: number;
  /** Events in the window. */
  events: number;
  /** Events that count against the objective (see {@link SloStatus.badEvent}); null when the SLI has no events. */
  badEvents: number | null;
  /** badEvents / events; null without events. */
  badRatio: number | null;
  /** The bad ratio the objective allows (its error budget as a share of events). */
  allowedBadRatio: number | null;
  /**
   * badRatio / allowedBadRatio (Google SRE's burn rate: 1 spends the budget exactly over the window). Null when
   * there are no events or the objective allows no bad event at all (zero budget: any bad event breaches).
   */
  burnRate: number | null;
  /** The indicator as the objective states it: the percentile latency in ms, the error, harmful or refusal rate, the mean score. */
  value: number | null;
  state: SloState;
  /** Why the state is `no_data`, or which bound a band objective left. */
  reason?: string;
}

/** One objective over every window. */
export interface SloStatus {
  name: string;
  kind: SloKind;
  /** The objective in words: `p95 latency <= 500 ms`. */
  objective: string;
  /** What one bad event is, in words. */
  badEvent: string;
  /** Breached when any window is; ok when every window with data is; no_data when none has data. */
  state: SloState;
  windows: SloWindowStatus[];
}

/** Every objective of a conf at one moment. */
export interface SloReport {
  /** ISO 8601 time the windows end at. */
  at: string;
  slos: SloStatus[];
  /** Names of the objectives breached in at least one window. */
  breached: string[];
}

/**
 * True when a model's output was harmful: an output-side guardrail verdict (block or flag) in a category of the
 * kernel's harm taxonomy. Redactions of personal data and input-side verdicts (what the user sent) do not count.
 */
export function hasHarmfulOutput(event: RequestEvent): boolean {
  return event.guardrails.some(
    (verdict) => verdict.side === 'output' && verdict.action !== 'redact' && isHarmCategory(verdict.category),
  );
}

/**
 * True when the service failed the request: a failed event ({@link isFailedEvent}) other than a guardrail block,
 * which is the policy working (it counts in the refusal rate instead), or a refusal by the caller's own API key
 * limit (`keyLimit`: its requests, tokens or budget spent; a provider's 429 still counts).
 */
export function isServiceError(event: RequestEvent): boolean {
  return isFailedEvent(event) && event.errorCode !== 'guardrail_blocked' && event.keyLimit === undefined;
}

function describe(slo: Slo): { objective: string; badEvent: string } {
  switch (slo.kind) {
    case 'latency':
      return {
        objective: `p${slo.percentile} latency <= ${slo.thresholdMs} ms`,
        badEvent: `a request slower than ${slo.thresholdMs} ms (at most ${formatShare(allowedLatencyRatio(slo))} allowed)`,
      };
    case 'error_rate':
      return {
        objective: `error rate <= ${formatShare(slo.maxRate)}`,
        badEvent: "a failed request (HTTP error or broken stream), guardrail blocks and the key's own limits excepted",
      };
    case 'harmful_output':
      return {
        objective: slo.maxRate === 0 ? 'no harmful output' : `harmful output rate <= ${formatShare(slo.maxRate)}`,
        badEvent: 'an output guardrail verdict (block or flag) in a harm category',
      };
    case 'refusal_rate':
      return {
        objective: `refusal rate between ${formatShare(slo.minRate)} and ${formatShare(slo.maxRate)}`,
        badEvent: 'a refused request (guardrail block, model refusal, or an answer saying it does not know)',
      };
    case 'online_metric':
      return {
        objective: `online ${slo.metric} mean >= ${slo.min}`,
        badEvent: `a scored answer with ${slo.metric} below ${slo.min} (events counts scored answers only)`,
      };
  }
}

function formatShare(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(6))}%`;
}

/** The share of requests a latency objective allows over its threshold: 5 % for p95. */
function allowedLatencyRatio(slo: Extract<Slo, { kind: 'latency' }>): number {
  return (100 - slo.percentile) / 100;
}

function ratioStatus(
  window: SloWindow,
  events: readonly RequestEvent[],
  rule: { isBad: (event: RequestEvent) => boolean; allowed: number },
): Omit<SloWindowStatus, 'value' | 'state'> {
  const badEvents = events.filter(rule.isBad).length;
  const badRatio = badEvents / events.length;
  return {
    window: window.name,
    windowMs: window.ms,
    events: events.length,
    badEvents,
    badRatio,
    allowedBadRatio: rule.allowed,
    burnRate: rule.allowed > 0 ? badRatio / rule.allowed : null,
  };
}

function noData(window: SloWindow, events: number, reason: string): SloWindowStatus {
  return {
    window: window.name,
    windowMs: window.ms,
    events,
    badEvents: null,
    badRatio: null,
    allowedBadRatio: null,
    burnRate: null,
    value: null,
    state: 'no_data',
    reason,
  };
}

function windowStatus(slo: Slo, window: SloWindow, events: readonly RequestEvent[]): SloWindowStatus {
  if (slo.kind === 'online_metric') return onlineMetricStatus(slo, window, events);
  if (events.length === 0) return noData(window, 0, 'no requests in the window');
  switch (slo.kind) {
    case 'latency': {
      const allowed = allowedLatencyRatio(slo);
      const base = ratioStatus(window, events, { isBad: (event) => event.latencyMs > slo.thresholdMs, allowed });
      const sorted = events.map((event) => event.latencyMs).sort((a, b) => a - b);
      const value = quantileOfSorted(sorted, slo.percentile / 100);
      return { ...base, value, state: (base.badRatio as number) > allowed ? 'breached' : 'ok' };
    }
    case 'error_rate':
    case 'harmful_output': {
      const isBad = slo.kind === 'error_rate' ? isServiceError : hasHarmfulOutput;
      const base = ratioStatus(window, events, { isBad, allowed: slo.maxRate });
      const value = base.badRatio as number;
      return { ...base, value, state: value > slo.maxRate ? 'breached' : 'ok' };
    }
    case 'refusal_rate': {
      const base = ratioStatus(window, events, { isBad: (event) => event.refused, allowed: slo.maxRate });
      const value = base.badRatio as number;
      if (value > slo.maxRate)
        return { ...base, value, state: 'breached', reason: `above ${formatShare(slo.maxRate)}` };
      if (value < slo.minRate)
        return { ...base, value, state: 'breached', reason: `below ${formatShare(slo.minRate)}` };
      return { ...base, value, state: 'ok' };
    }
  }
}

/**
 * An online objective over the scored events of a window: the indicator is the mean score, and to read like the
 * ratio objectives its shortfall 1 − mean is the bad ratio against the allowed 1 − min (mean ≥ 0.9 ⟺ 1 − mean ≤
 * 0.1), so the burn rate is above 1 exactly when the mean is below the objective. Bad events are the scored
 * answers below `min`. Events without a score (not sampled, dropped, not yet scored) are left out.
 */
function onlineMetricStatus(
  slo: Extract<Slo, { kind: 'online_metric' }>,
  window: SloWindow,
  events: readonly RequestEvent[],
): SloWindowStatus {
  const scores: number[] = [];
  for (const event of events) {
    const score = event.scores?.[slo.metric];
    if (score !== undefined && Number.isFinite(score)) scores.push(score);
  }
  if (scores.length === 0)
    return noData(
      window,
      0,
      events.length === 0
        ? 'no requests in the window'
        : `no event in the window carries an online ${slo.metric} score (none sampled or scored yet)`,
    );
  const mean = scores.reduce((sum, score) => sum + score, 0) / scores.length;
  const allowed = Math.max(0, 1 - slo.min);
  const badRatio = Math.max(0, 1 - mean);
  return {
    window: window.name,
    windowMs: window.ms,
    events: scores.length,
    badEvents: scores.filter((score) => score < slo.min).length,
    badRatio,
    allowedBadRatio: allowed,
    burnRate: allowed > 0 ? badRatio / allowed : null,
    value: mean,
    state: mean < slo.min ? 'breached' : 'ok',
  };
}

function overallState(windows: readonly SloWindowStatus[]): SloState {
  if (windows.some((window) => window.state === 'breached')) return 'breached';
  return windows.some((window) => window.state === 'ok') ? 'ok' : 'no_data';
}

/**
 * Evaluates every objective of a conf over each of its rolling windows ending at `now`, from the events given
 * (those older than the longest window are ignored). Pure: the caller reads the events.
 */
export function evaluateSlos(events: readonly RequestEvent[], conf: MonitoringConf, now: number): SloReport {
  const inWindow = new Map(
    conf.windows.map((window) => [
      window.name,
      events.filter((event) => event.at >= now - window.ms && event.at <= now),
    ]),
  );
  const slos = conf.slos.map((slo): SloStatus => {
    const windows = conf.windows.map((window) => windowStatus(slo, window, inWindow.get(window.name) ?? []));
    return { name: slo.name, kind: slo.kind, ...describe(slo), state: overallState(windows), windows };
  });
  return {
    at: new Date(now).toISOString(),
    slos,
    breached: slos.filter((slo) => slo.state === 'breached').map((slo) => slo.name),
  };
}
