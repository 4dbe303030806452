import { systemClock } from '@llmops/kernel';
import type { Clock } from '@llmops/kernel';
import { buildDriftReport } from '../domain/drift/drift-report.js';
import type { DriftReport } from '../domain/drift/drift-report.js';
import type { DriftOptions } from '../domain/drift/drift-options.js';
import { eventDriftFeatures, inputDriftFeatures } from '../domain/drift/event-features.js';
import type { SkippedFeature } from '../domain/drift/event-features.js';
import { findUnansweredTopics } from '../domain/drift/unanswered-topics.js';
import type { UnansweredTopicsOptions, UnansweredTopicsReport } from '../domain/drift/unanswered-topics.js';
import type { RequestEvent } from '../domain/request-event.js';
import type { EventQuery, EventStore } from '../ports.js';

/**
 * What the current window is compared with: the window of traffic just before it (`windowMs` long), or the
 * inputs of a dataset (an evaluation dataset's questions).
 */
export type DriftReference =
  { kind: 'window'; windowMs: number } | { kind: 'inputs'; source: string; inputs: readonly string[] };

/** Options of {@link buildEventDriftReport}. */
export interface EventDriftOptions {
  reference: DriftReference;
  /** The current window's length in ms, ending now. */
  currentWindowMs: number;
  modelName?: string;
  /** Only with `modelName`. */
  modelVersion?: number;
  /** Thresholds and minimum sizes of the statistics (see `DriftOptions`). */
  drift?: DriftOptions;
  /** The rule that calls a topic unanswered (see `findUnansweredTopics`). */
  unansweredTopics?: UnansweredTopicsOptions;
  clock?: Clock;
}

/** A window of served traffic: ISO 8601 bounds and how many events it held. */
export interface TrafficWindow {
  from: string;
  to: string;
  events: number;
}

/** Drift of served traffic: the statistics of each feature, the overall verdict, and what was compared. */
export interface EventDriftReport extends DriftReport {
  reference: ({ kind: 'window' } & TrafficWindow) | { kind: 'inputs'; source: string; inputs: number };
  current: TrafficWindow;
  /** The model (and version) the traffic was restricted to, when one was. */
  model?: { name: string; version?: number };
  /** Features not compared, and why. */
  skipped: SkippedFeature[];
  /**
   * The topics whose refusal share rose against the reference window (see `findUnansweredTopics`); null against a
   * dataset reference, which holds no answers.
   */
  unansweredTopics: UnansweredTopicsReport | null;
}

/** Two windows of events already read, with their bounds in ms since the epoch. */
export interface EventWindows {
  reference: { from: number; to: number; events: readonly RequestEvent[] };
  current: { from: number; to: number; events: readonly RequestEvent[] };
}

const trafficWindow = (window: EventWindows['current']): TrafficWindow => ({
  from: new Date(window.from).toISOString(),
  to: new Date(window.to).toISOString(),
  events: window.events.length,
});

/**
 * The drift report of two windows of events already read (the features, their statistics, the unanswered topics),
 * for a caller that reads once and reports on several selections of the same events (the dashboard, per model).
 */
export function eventWindowsDriftReport(
  windows: EventWindows,
  options: Pick<EventDriftOptions, 'drift' | 'unansweredTopics'> & { model?: EventDriftReport['model'] } = {},
): EventDriftReport {
  const featureSet = eventDriftFeatures(windows.reference.events, windows.current.events);
  return {
    ...buildDriftReport(featureSet.features, options.drift),
    reference: { kind: 'window', ...trafficWindow(windows.reference) },
    current: trafficWindow(windows.current),
    ...(options.model === undefined ? {} : { model: options.model }),
    skipped: featureSet.skipped,
    unansweredTopics: findUnansweredTopics(windows.reference.events, windows.current.events, options.unansweredTopics),
  };
}

/**
 * Reads the current window's events (and the reference window's, when the reference is traffic) from the store,
 * builds the drift features, and measures them (see `buildDriftReport`); against a window, also finds the
 * unanswered topics.
 */
export async function buildEventDriftReport(
  store: Pick<EventStore, 'list'>,
  options: EventDriftOptions,
): Promise<EventDriftReport> {
  const now = (options.clock ?? systemClock).now();
  const currentFrom = now - options.currentWindowMs;
  const version = options.modelName === undefined ? undefined : options.modelVersion;
  const selection: Omit<EventQuery, 'since'> = {
    ...(options.modelName === undefined ? {} : { modelName: options.modelName }),
    ...(version === undefined ? {} : { modelVersion: version }),
  };
  const current = await store.list({ ...selection, since: currentFrom, until: now + 1 });
  const model =
    options.modelName === undefined
      ? undefined
      : { name: options.modelName, ...(version === undefined ? {} : { version }) };
  if (options.reference.kind === 'window') {
    const referenceFrom = currentFrom - options.reference.windowMs;
    const events = await store.list({ ...selection, since: referenceFrom, until: currentFrom });
    return eventWindowsDriftReport(
      {
        reference: { from: referenceFrom, to: currentFrom, events },
        current: { from: currentFrom, to: now, events: current },
      },
      { ...options, ...(model === undefined ? {} : { model }) },
    );
  }
  const featureSet = inputDriftFeatures(options.reference.inputs, current);
  return {
    ...buildDriftReport(featureSet.features, options.drift),
    reference: { kind: 'inputs', source: options.reference.source, inputs: options.reference.inputs.length },
    current: trafficWindow({ from: currentFrom, to: now, events: current }),
    ...(model === undefined ? {} : { model }),
    skipped: featureSet.skipped,
    unansweredTopics: null,
  };
}
