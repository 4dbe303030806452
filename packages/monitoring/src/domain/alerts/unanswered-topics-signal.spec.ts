import { requestEvent } from '../../__fixtures__/request-events.js';
import { findUnansweredTopics } from '../drift/unanswered-topics.js';
import { alertsConfigSchema, dedupeKeyOf, ruleMatches } from './alerts-config.js';
import { signalOfDriftReport } from './alert-signal.js';
import { signalOfUnansweredTopics } from './unanswered-topics-signal.js';

const events = (topic: string, count: number, refused: number) =>
  Array.from({ length: count }, (_, index) => requestEvent({ requestId: `${index}`, topic, refused: index < refused }));

describe('signalOfUnansweredTopics', () => {
  const window = { since: 1_000, until: 2_000 };

  it('breaches when a topic is unanswered, valued at how many; only an unanswered_topics rule selects it', () => {
    const report = findUnansweredTopics(events('warranty.md', 40, 4), events('warranty.md', 12, 9));
    const signal = signalOfUnansweredTopics(report, { window, model: 'support-rag' });
    expect(signal).toMatchObject({
      source: 'topics',
      name: 'unanswered_topics',
      breached: true,
      value: 1,
      window,
      model: 'support-rag',
      details: {
        examinedTopics: 1,
        topics: [{ topic: 'warranty.md', currentEvents: 12, currentShare: 0.75, referenceShare: 0.1, basis: 'topic' }],
      },
    });
    expect(ruleMatches({ when: 'unanswered_topics' }, signal)).toBe(true);
    // A rule on drift (the shipped drift-rollback) must not roll back on unanswered topics.
    expect(ruleMatches({ when: 'drift' }, signal)).toBe(false);
    expect(ruleMatches({ when: 'corpus_changed' }, signal)).toBe(false);
    expect(dedupeKeyOf({ name: 'topics-rebuild' }, signal)).toBe('topics-rebuild|topics:unanswered_topics@support-rag');
    const drift = signalOfDriftReport({
      features: [],
      testedFeatures: 1,
      driftedFeatures: 1,
      driftShare: 1,
      datasetDriftShare: 0.5,
      verdict: 'drift',
    });
    expect(ruleMatches({ when: 'unanswered_topics' }, drift)).toBe(false);
  });

  it('does not breach when no topic is unanswered, and carries the reason when nothing was judged', () => {
    const quiet = signalOfUnansweredTopics(findUnansweredTopics(events('a.md', 30, 3), events('a.md', 10, 1)));
    expect(quiet).toMatchObject({ breached: false, value: 0, window: null });
    const none = signalOfUnansweredTopics(findUnansweredTopics([], []));
    expect(none.details['reason']).toMatch(/no current event has a topic/);
  });

  it('is a when of the alerts section, with the rebuild action', () => {
    const rule = { name: 'topics-rebuild', when: 'unanswered_topics', actions: ['rebuild'], dryRun: true };
    expect(alertsConfigSchema.safeParse({ reevaluation: { dataset: 'qa.jsonl' }, rules: [rule] }).success).toBe(true);
    const misspelt = alertsConfigSchema.safeParse({ rules: [{ name: 'a', when: 'unanswered_topic' }] });
    expect(misspelt.error?.issues[0]?.message).toContain('"unanswered_topics"');
  });
});
