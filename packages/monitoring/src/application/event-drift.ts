import { systemClock } from '@llmops/kernel';
import type { Clock } from '@llmops/kernel';
import { buildDriftReport } from '../domain/drift/drift-report.js';
import type { DriftReport } from '../domain/drift/drift-report.js';
import type { DriftOptions } from '../domain/drift/drift-options.js';
import { eventDriftFeatures, inputDriftFeatures } from '../domain/drift/event-features.js';
import type { SkippedFeature } from '../domain/drift/event-features.js';
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
}

/**
 * Reads the current window's events (and the reference window's, when the reference is traffic) from the store,
 * builds the drift features, and measures them (see `buildDriftReport`).
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
  const currentWindow = {
    from: new Date(currentFrom).toISOString(),
    to: new Date(now).toISOString(),
    events: current.length,
  };
  let reference: EventDriftReport['reference'];
  let featureSet;
  if (options.reference.kind === 'window') {
    const referenceFrom = currentFrom - options.reference.windowMs;
    const events = await store.list({ ...selection, since: referenceFrom, until: currentFrom });
    reference = {
      kind: 'window',
      from: new Date(referenceFrom).toISOString(),
      to: new Date(currentFrom).toISOString(),
      events: events.length,
    };
    featureSet = eventDriftFeatures(events, current);
  } else {
    reference = { kind: 'inputs', source: options.reference.source, inputs: options.reference.inputs.length };
    featureSet = inputDriftFeatures(options.reference.inputs, current);
  }
  const report = buildDriftReport(featureSet.features, options.drift);
  return {
    ...report,
    reference,
    current: currentWindow,
    ...(options.modelName === undefined
      ? {}
      : { model: { name: options.modelName, ...(version === undefined ? {} : { version }) } }),
    skipped: featureSet.skipped,
  };
}
