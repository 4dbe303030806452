import type { RequestEvent } from '../request-event.js';
import { chiSquareSurvival } from './gamma-functions.js';

/** The rule that calls a topic unanswered; every field has a stated default. */
export interface UnansweredTopicsOptions {
  /** A topic is judged only with at least this many current events (10). */
  minCurrentEvents?: number;
  /** ...and only when at least this share of them refused (0.5). */
  minRefusalShare?: number;
  /** ...and only when its refusal share is above the reference's with a one-sided p-value below this (0.05). */
  pValueThreshold?: number;
}

/** {@link UnansweredTopicsOptions} with the defaults filled in: the rule as applied, reported beside its result. */
export type UnansweredTopicsRule = Required<UnansweredTopicsOptions>;

/** One topic's refusals in the current window against the reference, and the test between them. */
export interface TopicRefusals {
  topic: string;
  currentEvents: number;
  currentRefused: number;
  currentShare: number;
  /** The reference the share was compared with: the topic's own events, or every event with a topic (see `basis`). */
  referenceEvents: number;
  referenceRefused: number;
  referenceShare: number;
  /** `topic` when the reference window holds the topic; `window` (all its topics together) when the topic is new. */
  basis: 'topic' | 'window';
  /** The pooled two-proportion z statistic (current minus reference); null when every event or none refused. */
  z: number | null;
  /** One-sided p-value of "the current share is higher"; 1 when z is null. */
  pValue: number;
}

/** The topics whose refusal share rose, and what was examined. */
export interface UnansweredTopicsReport {
  rule: UnansweredTopicsRule;
  /** Topics with at least `minCurrentEvents` current events (the ones judged). */
  examinedTopics: number;
  /** The unanswered topics, most significant first. */
  topics: TopicRefusals[];
  /** Why nothing could be judged, when that is so (no RAG traffic, no reference traffic with a topic). */
  reason?: string;
}

/** Fills in the defaults of {@link UnansweredTopicsOptions}. */
export function resolveUnansweredTopicsRule(options: UnansweredTopicsOptions = {}): UnansweredTopicsRule {
  return {
    minCurrentEvents: options.minCurrentEvents ?? 10,
    minRefusalShare: options.minRefusalShare ?? 0.5,
    pValueThreshold: options.pValueThreshold ?? 0.05,
  };
}

/** Events and refusals of one topic (or of a window). */
export interface RefusalTally {
  events: number;
  refused: number;
}

function tallyByTopic(events: readonly RequestEvent[]): Map<string, RefusalTally> {
  const tallies = new Map<string, RefusalTally>();
  for (const event of events) {
    if (event.topic === undefined) continue;
    const tally = tallies.get(event.topic) ?? { events: 0, refused: 0 };
    tally.events += 1;
    if (event.refused) tally.refused += 1;
    tallies.set(event.topic, tally);
  }
  return tallies;
}

/**
 * The pooled two-proportion z-test of "share 1 is higher than share 0": z and its one-sided p-value (z² is
 * chi-square with one degree of freedom, so the upper normal tail is half its survival). Null z when the pooled
 * share is 0 or 1 (no variance: nothing rose).
 */
export function twoProportionTest(
  current: RefusalTally,
  reference: RefusalTally,
): { z: number | null; pValue: number } {
  const pooled = (current.refused + reference.refused) / (current.events + reference.events);
  if (pooled === 0 || pooled === 1) return { z: null, pValue: 1 };
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / current.events + 1 / reference.events));
  const z = (current.refused / current.events - reference.refused / reference.events) / standardError;
  const tail = chiSquareSurvival(z * z, 1) / 2;
  return { z, pValue: z > 0 ? tail : 1 - tail };
}

/**
 * The topics the current window leaves unanswered more than the reference did. A topic (see `topicOf`) is
 * unanswered when, in the current window, it has at least `minCurrentEvents` events, at least `minRefusalShare` of
 * them refused, and its refusal share is above the reference's by a one-sided pooled two-proportion z-test with
 * p < `pValueThreshold`. The reference is the topic's own events in the reference window, or, for a topic the
 * reference window never saw, every reference event with a topic (how often questions were refused then). Events
 * without a topic (no retrieval: not a RAG model) are not counted.
 */
export function findUnansweredTopics(
  reference: readonly RequestEvent[],
  current: readonly RequestEvent[],
  options: UnansweredTopicsOptions = {},
): UnansweredTopicsReport {
  const rule = resolveUnansweredTopicsRule(options);
  const currentTallies = tallyByTopic(current);
  const referenceTallies = tallyByTopic(reference);
  const examined = [...currentTallies].filter(([, tally]) => tally.events >= rule.minCurrentEvents);
  const report = { rule, examinedTopics: examined.length, topics: [] as TopicRefusals[] };
  if (currentTallies.size === 0) return { ...report, reason: 'no current event has a topic (no rag traffic)' };
  if (examined.length === 0)
    return { ...report, reason: `no topic has ${rule.minCurrentEvents} current events (the least judged)` };
  const window: RefusalTally = { events: 0, refused: 0 };
  for (const tally of referenceTallies.values()) {
    window.events += tally.events;
    window.refused += tally.refused;
  }
  if (window.events === 0) return { ...report, reason: 'no reference event has a topic to compare with' };
  for (const [topic, tally] of examined) {
    const own = referenceTallies.get(topic);
    const basis = own ?? window;
    const { z, pValue } = twoProportionTest(tally, basis);
    const currentShare = tally.refused / tally.events;
    if (currentShare < rule.minRefusalShare || pValue >= rule.pValueThreshold) continue;
    report.topics.push({
      topic,
      currentEvents: tally.events,
      currentRefused: tally.refused,
      currentShare,
      referenceEvents: basis.events,
      referenceRefused: basis.refused,
      referenceShare: basis.refused / basis.events,
      basis: own ? 'topic' : 'window',
      z,
      pValue,
    });
  }
  report.topics.sort((a, b) => a.pValue - b.pValue || a.topic.localeCompare(b.topic));
  return report;
}
