import type { EventDriftReport, FeatureDriftResult } from '@llmops/monitoring';
import { formatDriftReport } from './monitoring-output.js';

const report: EventDriftReport = {
  features: [],
  testedFeatures: 0,
  driftedFeatures: 0,
  driftShare: null,
  datasetDriftShare: 0.5,
  verdict: 'insufficient',
  reference: { kind: 'window', from: '2026-11-29T10:00:00.000Z', to: '2026-11-29T11:00:00.000Z', events: 40 },
  current: { from: '2026-11-29T11:00:00.000Z', to: '2026-11-29T12:00:00.000Z', events: 40 },
  model: { name: 'kettle-help' },
  skipped: [],
  unansweredTopics: {
    rule: { minCurrentEvents: 10, minRefusalShare: 0.5, pValueThreshold: 0.05 },
    examinedTopics: 2,
    topics: [
      {
        topic: 'warranty.md',
        currentEvents: 30,
        currentRefused: 30,
        currentShare: 1,
        referenceEvents: 10,
        referenceRefused: 0,
        referenceShare: 0,
        basis: 'topic',
        z: 6.32,
        pValue: 1.3e-10,
      },
    ],
  },
};

describe('the drift output of llmops monitor drift', () => {
  it('lists the unanswered topics under the rule that found them', () => {
    const text = formatDriftReport(report);
    expect(text).toContain('unanswered topics (at least 10 events, refused >= 50%, rise p < 0.05):');
    expect(text).toMatch(/TOPIC\s+EVENTS\s+REFUSED\s+REFERENCE REFUSED\s+P-VALUE/);
    expect(text).toMatch(/warranty\.md\s+30\s+100%\s+0% of 10\s+< 0\.001$/m);
  });

  it('rounds the statistics, p-values and thresholds of the drift table for people (the JSON keeps them whole)', () => {
    const measured = { kind: 'numeric', referenceSize: 40, currentSize: 60, verdict: 'drift' } as const;
    const features: FeatureDriftResult[] = [
      {
        ...measured,
        name: 'question_length',
        method: 'kolmogorov_smirnov',
        statistic: 0.48333333333,
        pValue: 3.5e-5,
        threshold: 0.05,
        thresholdOn: 'p_value',
      },
      {
        ...measured,
        name: 'question',
        kind: 'text',
        method: 'domain_classifier',
        statistic: 0.913456789,
        pValue: null,
        threshold: 0.6123456,
        thresholdOn: 'statistic',
      },
      {
        ...measured,
        name: 'retrieval_score',
        method: 'kolmogorov_smirnov',
        statistic: 0.1,
        pValue: 0.0312345,
        threshold: 0.05,
        thresholdOn: 'p_value',
      },
    ];
    const text = formatDriftReport({ ...report, features, testedFeatures: 3, driftedFeatures: 3, driftShare: 1 });
    expect(text).toMatch(/^question_length +numeric +kolmogorov_smirnov +40 +60 +0\.483 +< 0\.001 +p < 0\.05 +drift$/m);
    expect(text).toMatch(/^question +text +domain_classifier +40 +60 +0\.913 +- +> 0\.612 +drift$/m);
    expect(text).toMatch(/^retrieval_score +numeric +kolmogorov_smirnov +40 +60 +0\.1 +0\.031 +p < 0\.05 +drift$/m);
    expect(text).not.toMatch(/\d\.\d{4}|e-\d/);
  });

  it('says why no topic is unanswered, and says nothing against a dataset reference', () => {
    const quiet = {
      ...report.unansweredTopics!,
      topics: [],
      reason: 'no topic has 10 current events (the least judged)',
    };
    expect(formatDriftReport({ ...report, unansweredTopics: quiet })).toContain(
      'unanswered topics: none (no topic has 10 current events (the least judged);',
    );
    expect(formatDriftReport({ ...report, unansweredTopics: null })).not.toContain('unanswered topics');
  });
});
