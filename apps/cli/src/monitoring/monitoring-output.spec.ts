import type { EventDriftReport, FeatureDriftResult, SloStatusReport } from '@llmops/monitoring';
import { formatDriftReport, formatSloReport } from './monitoring-output.js';

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

describe('the objectives table of llmops monitor slo (and the quickstart)', () => {
  const window = { window: '1h', windowMs: 3_600_000, events: 1332, state: 'breached' } as const;
  const report: SloStatusReport = {
    at: '2026-11-29T12:00:00.000Z',
    model: { name: 'support-rag', version: 2 },
    breached: ['latency_p95', 'error_rate'],
    slos: [
      {
        name: 'latency_p95',
        kind: 'latency',
        objective: 'p95 latency <= 500 ms',
        badEvent: 'a request slower than 500 ms',
        state: 'breached',
        windows: [
          {
            ...window,
            badEvents: 91,
            badRatio: 0.06831831831,
            allowedBadRatio: 0.05,
            burnRate: 1.36636636636,
            value: 553.4567,
          },
        ],
      },
      {
        name: 'error_rate',
        kind: 'error_rate',
        objective: 'error rate <= 1%',
        badEvent: 'a failed request',
        state: 'breached',
        windows: [
          {
            ...window,
            badEvents: 31,
            badRatio: 0.02327327327,
            allowedBadRatio: 0.01,
            burnRate: 2.327327327,
            value: 0.02327327327,
          },
        ],
      },
      {
        name: 'online_contextual_relevancy',
        kind: 'online_metric',
        objective: 'mean online contextual_relevancy >= 0.5',
        badEvent: 'a score below 0.5',
        state: 'ok',
        windows: [
          {
            ...window,
            state: 'ok',
            badEvents: 40,
            badRatio: 0.23666661676243445,
            allowedBadRatio: 0.5,
            burnRate: 0.4733332335,
            value: 0.7633333832375655,
          },
        ],
      },
    ],
  };

  it('rounds ratios, burn rates and scores to three significant digits and latencies to whole milliseconds', () => {
    const text = formatSloReport(report);
    expect(text).toMatch(/^latency_p95 +p95 latency <= 500 ms +1h +1332 +91 +6\.83% +5% +1\.37 +553 ms +breached$/m);
    expect(text).toMatch(/^error_rate +error rate <= 1% +1h +1332 +31 +2\.33% +1% +2\.33 +2\.33% +breached$/m);
    expect(text).toMatch(/^online_contextual_relevancy +.* +1h +1332 +40 +23\.7% +50% +0\.473 +0\.763 +ok$/m);
    expect(text).not.toMatch(/\d\.\d{4}|e-\d/);
  });
});
