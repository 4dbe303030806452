import { buildDriftReport } from '../drift/drift-report.js';
import { signalOfDriftReport, signalOfSlo } from './alert-signal.js';

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
