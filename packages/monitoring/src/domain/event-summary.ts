import { isFailedEvent } from './request-event.js';
import type { RequestEvent } from './request-event.js';

/** What the events of one model version add up to over a window. */
export interface ModelVersionSummary {
  modelName: string;
  /** `null` for requests whose reference never resolved to a version. */
  modelVersion: number | null;
  requests: number;
  /** Failed requests (HTTP error status, or a stream broken after it started). */
  errors: number;
  /** `errors / requests`. */
  errorRate: number;
  /** Total latency percentiles in ms (linear interpolation between ranks, as numpy's default). */
  latencyMs: { p50: number; p95: number };
  inputTokens: number;
  outputTokens: number;
  /** Summed cost in USD; `null` when no event of the version had a price. */
  costUsd: number | null;
  refusals: number;
  /** `refusals / requests`. */
  refusalRate: number;
  /** Requests a guardrail blocked, by category (a request blocked for two categories counts in both). */
  guardrailBlocks: Record<string, number>;
}

/**
 * The `q`-quantile (0 to 1) of values sorted ascending, interpolating linearly between ranks
 * (numpy's default `linear` method); `NaN` for no values.
 */
export function quantileOfSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] as number;
  return low + ((sorted[upper] as number) - low) * (position - lower);
}

interface Accumulator {
  modelName: string;
  modelVersion: number | null;
  latencies: number[];
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  refusals: number;
  guardrailBlocks: Record<string, number>;
}

function accumulate(into: Accumulator, event: RequestEvent): void {
  into.latencies.push(event.latencyMs);
  if (isFailedEvent(event)) into.errors += 1;
  into.inputTokens += event.inputTokens ?? 0;
  into.outputTokens += event.outputTokens ?? 0;
  if (event.costUsd !== undefined) into.costUsd = (into.costUsd ?? 0) + event.costUsd;
  if (event.refused) into.refusals += 1;
  const blocked = new Set(event.guardrails.filter((verdict) => verdict.action === 'block').map((v) => v.category));
  for (const category of blocked) into.guardrailBlocks[category] = (into.guardrailBlocks[category] ?? 0) + 1;
}

/**
 * Summarises events per model version (requests, error rate, latency p50/p95, tokens, cost,
 * refusal rate, guardrail blocks by category), ordered by model name then version.
 */
export function summarizeEvents(events: Iterable<RequestEvent>): ModelVersionSummary[] {
  const byVersion = new Map<string, Accumulator>();
  for (const event of events) {
    const key = `${event.modelName}/${event.modelVersion ?? ''}`;
    let accumulator = byVersion.get(key);
    if (!accumulator) {
      accumulator = {
        modelName: event.modelName,
        modelVersion: event.modelVersion,
        latencies: [],
        errors: 0,
        inputTokens: 0,
        outputTokens: 0,
        costUsd: null,
        refusals: 0,
        guardrailBlocks: {},
      };
      byVersion.set(key, accumulator);
    }
    accumulate(accumulator, event);
  }
  return [...byVersion.values()]
    .sort(
      (a, b) => a.modelName.localeCompare(b.modelName) || (a.modelVersion ?? Infinity) - (b.modelVersion ?? Infinity),
    )
    .map((accumulator) => {
      const sorted = accumulator.latencies.sort((a, b) => a - b);
      const requests = sorted.length;
      return {
        modelName: accumulator.modelName,
        modelVersion: accumulator.modelVersion,
        requests,
        errors: accumulator.errors,
        errorRate: accumulator.errors / requests,
        latencyMs: { p50: quantileOfSorted(sorted, 0.5), p95: quantileOfSorted(sorted, 0.95) },
        inputTokens: accumulator.inputTokens,
        outputTokens: accumulator.outputTokens,
        costUsd: accumulator.costUsd,
        refusals: accumulator.refusals,
        refusalRate: accumulator.refusals / requests,
        guardrailBlocks: accumulator.guardrailBlocks,
      };
    });
}
