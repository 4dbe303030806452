import { requestEvent } from '../../__fixtures__/request-events.js';
import { buildDriftReport } from '../drift/drift-report.js';
import { monitoringConfSchema } from '../slo/slo-definition.js';
import { evaluateSlos } from '../slo/slo-evaluation.js';
import { signalOfDriftReport, signalOfSlo, signalsOfSloReport } from './alert-signal.js';

const steady = Array.from({ length: 200 }, (_, index) => index % 50);
const shifted = steady.map((value) => value + 40);

describe('signals', () => {
  it('maps a drift report onto a breached signal holding the drifted share and the drifted features', () => {
    const report = buildDriftReport([
      { name: 'latency_ms', kind: 'numeric', reference: steady, current: shifted },
      { name: 'output_tokens', kind: 'numeric', reference: steady, current: steady },
    ]);
    const window = { since: 1_000, until: 2_000 };
    const signal = signalOfDriftReport(report, { window, model: 'support-rag' });
    expect(signal).toMatchObject({
      source: 'drift',
      name: 'drift',
      breached: true,
      value: 0.5,
      threshold: 0.5,
      window,
      model: 'support-rag',
      details: { verdict: 'drift', testedFeatures: 2 },
    });
    expect(signal.details['driftedFeatures']).toEqual([
      { name: 'latency_ms', method: 'kolmogorov_smirnov', statistic: expect.any(Number) },
    ]);
  });

  it('never reads a report without enough data as a breach', () => {
    const report = buildDriftReport([{ name: 'latency_ms', kind: 'numeric', reference: [1, 2], current: [9, 9] }]);
    expect(signalOfDriftReport(report)).toMatchObject({
      breached: false,
      value: null,
      details: { verdict: 'insufficient' },
    });
  });

  it('takes any SLO status with a name, a verdict, a value and a threshold', () => {
    const status = { name: 'latency_p95', breached: true, value: 812, threshold: 500, burnRate: 3.1 };
    expect(signalOfSlo(status)).toEqual({
      source: 'slo',
      name: 'latency_p95',
      breached: true,
      value: 812,
      threshold: 500,
      window: null,
      details: {},
    });
  });
});

describe('signals of an SLO report', () => {
  const now = Date.UTC(2026, 10, 29, 12, 0, 0);
  const hour = 3_600_000;
  const conf = monitoringConfSchema.parse({
    windows: ['1h', '24h'],
    slos: [
      { name: 'latency_p95', kind: 'latency', percentile: 95, thresholdMs: 500 },
      { name: 'harmful_output', kind: 'harmful_output' },
      { name: 'online_relevancy', kind: 'online_metric', metric: 'contextual_relevancy', min: 0.9 },
    ],
  });
  // 100 requests in the last hour, 10 of them slow; 200 quick ones the day before.
  const events = [
    ...Array.from({ length: 100 }, (_, index) =>
      requestEvent({ at: now - index * 30_000, latencyMs: index % 10 === 0 ? 900 : 100 }),
    ),
    ...Array.from({ length: 200 }, (_, index) => requestEvent({ at: now - 2 * hour - index * 60_000, latencyMs: 100 })),
  ];

  it('gives one signal per objective, valued by the worst breached window against its allowed share', () => {
    const signals = signalsOfSloReport(evaluateSlos(events, conf, now), { model: 'support-rag' });
    expect(signals.map((signal) => [signal.name, signal.breached])).toEqual([
      ['latency_p95', true],
      ['harmful_output', false],
      ['online_relevancy', false],
    ]);
    expect(signals[0]).toEqual({
      source: 'slo',
      name: 'latency_p95',
      breached: true,
      value: 0.1,
      threshold: 0.05,
      window: { since: now - hour, until: now },
      model: 'support-rag',
      details: {
        objective: 'p95 latency <= 500 ms',
        state: 'breached',
        window: '1h',
        events: 100,
        badEvents: 10,
        burnRate: 2,
        indicator: expect.any(Number),
      },
    });
    // An objective with no breached window carries no value: nothing to alert on.
    expect(signals[1]).toMatchObject({ value: null, threshold: null, window: null, details: { state: 'ok' } });
    expect(signals[2]).toMatchObject({ breached: false, details: { state: 'no_data' } });
  });

  it('prefers a zero-budget breach (no burn rate) over any finite burn rate', () => {
    const harmful = requestEvent({
      at: now - 60_000,
      guardrails: [{ side: 'output', category: 'violence', action: 'block', rule: 'violence' }],
    });
    const [, harm] = signalsOfSloReport(evaluateSlos([...events, harmful], conf, now));
    expect(harm).toMatchObject({
      breached: true,
      value: 1 / 101,
      threshold: 0,
      details: { window: '1h', burnRate: null },
    });
    expect(harm).not.toHaveProperty('model');
  });
});
