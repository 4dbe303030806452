import type { UnansweredTopicsReport } from '../drift/unanswered-topics.js';
import type { AlertSignal, SignalWindow } from './alert-signal.js';

/** The name of the signal unanswered topics raise, and the `when` of the rules that watch it. */
export const unansweredTopicsSignal = 'unanswered_topics';

/**
 * The signal of a drift report's unanswered topics: breached when at least one topic is unanswered (see
 * `findUnansweredTopics`), valued at how many are. The topics (name, events, refusal shares, p-value) and the rule
 * go in the details; never a question.
 */
export function signalOfUnansweredTopics(
  report: UnansweredTopicsReport,
  options: { window?: SignalWindow | null; model?: string } = {},
): AlertSignal {
  return {
    source: 'topics',
    name: unansweredTopicsSignal,
    breached: report.topics.length > 0,
    value: report.topics.length,
    threshold: null,
    window: options.window ?? null,
    ...(options.model === undefined ? {} : { model: options.model }),
    details: {
      rule: report.rule,
      examinedTopics: report.examinedTopics,
      topics: report.topics.map((topic) => ({
        topic: topic.topic,
        currentEvents: topic.currentEvents,
        currentShare: topic.currentShare,
        referenceShare: topic.referenceShare,
        basis: topic.basis,
        pValue: topic.pValue,
      })),
      ...(report.reason === undefined ? {} : { reason: report.reason }),
    },
  };
}
