import { systemClock } from '@llmops/kernel';
import type { Clock } from '@llmops/kernel';
import { evaluateSlos } from '../domain/slo/slo-evaluation.js';
import type { SloReport } from '../domain/slo/slo-evaluation.js';
import type { MonitoringConf } from '../domain/slo/slo-definition.js';
import type { EventStore } from '../ports.js';

/** What {@link buildSloStatus} evaluates: a conf, optionally for one model or version. */
export interface SloStatusOptions {
  conf: MonitoringConf;
  modelName?: string;
  /** Only with `modelName`. */
  modelVersion?: number;
  clock?: Clock;
}

/** The status of every objective, over windows ending now, for the traffic selected. */
export interface SloStatusReport extends SloReport {
  /** The model (and version) the traffic was restricted to, when one was. */
  model?: { name: string; version?: number };
}

/** Reads the events of the longest window from the store and evaluates every objective of the conf over them. */
export async function buildSloStatus(
  store: Pick<EventStore, 'list'>,
  options: SloStatusOptions,
): Promise<SloStatusReport> {
  const now = (options.clock ?? systemClock).now();
  const longest = Math.max(...options.conf.windows.map((window) => window.ms));
  const version = options.modelName === undefined ? undefined : options.modelVersion;
  const events = await store.list({
    since: now - longest,
    until: now + 1,
    ...(options.modelName === undefined ? {} : { modelName: options.modelName }),
    ...(version === undefined ? {} : { modelVersion: version }),
  });
  const report = evaluateSlos(events, options.conf, now);
  return options.modelName === undefined
    ? report
    : { ...report, model: { name: options.modelName, ...(version === undefined ? {} : { version }) } };
}
