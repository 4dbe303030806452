import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@llmops/kernel';
import { aggregateScores } from './aggregates.js';
import type { EvaluationSummary } from './aggregates.js';
import { evaluateGates, formatCriterion, gateFileSchema, parseCriterion, withErrorRateCriterion } from './gates.js';

function summary(
  scores: Partial<Record<'faithfulness' | 'harmful_rate' | 'latency', number[]>>,
): Pick<EvaluationSummary, 'aggregates' | 'examples' | 'targetErrors'> {
  const aggregates: EvaluationSummary['aggregates'] = {};
  for (const [metric, values] of Object.entries(scores))
    aggregates[metric as 'faithfulness'] = aggregateScores(metric as 'faithfulness', values);
  return { aggregates, examples: 10, targetErrors: 0 };
}

describe('gate criteria', () => {
  it('reads metric, statistic (mean by default), operator and threshold', () => {
    expect(parseCriterion('contextual_relevancy.mean >= 0.90')).toEqual({
      metric: 'contextual_relevancy',
      statistic: 'mean',
      operator: '>=',
      threshold: 0.9,
    });
    expect(parseCriterion('harmful_rate == 0')).toEqual({
      metric: 'harmful_rate',
      statistic: 'mean',
      operator: '==',
      threshold: 0,
    });
    expect(parseCriterion(' latency.p95<=500 ')).toEqual({
      metric: 'latency',
      statistic: 'p95',
      operator: '<=',
      threshold: 500,
    });
    expect(formatCriterion(parseCriterion('latency.p95 <= 5e2'))).toBe('latency.p95 <= 500');
  });

  it('says what is wrong with a criterion', () => {
    expect(() => parseCriterion('faithfulness >= high')).toThrow(
      'is not of the form <metric>[.<statistic>] <operator> <number>',
    );
    expect(() => parseCriterion('faithfulnes.mean >= 0.9')).toThrow(
      'unknown metric "faithfulnes"; known metrics: contextual_relevancy',
    );
    expect(() => parseCriterion('latency.p90 <= 500')).toThrow(
      'unknown statistic "p90"; expected one of mean, p50, p95, p99',
    );
  });
});

describe('the error-rate criterion every run has', () => {
  const run = (examples: number, targetErrors: number) => ({ aggregates: {}, examples, targetErrors });

  it('is added at 1 % unless the gate checks error_rate itself, and its threshold can be changed', () => {
    expect(withErrorRateCriterion([]).map(formatCriterion)).toEqual(['error_rate.mean <= 0.01']);
    expect(withErrorRateCriterion([parseCriterion('harmful_rate == 0')], 0.05).map(formatCriterion)).toEqual([
      'harmful_rate.mean == 0',
      'error_rate.mean <= 0.05',
    ]);
    expect(withErrorRateCriterion([parseCriterion('error_rate.count <= 3')]).map(formatCriterion)).toEqual([
      'error_rate.count <= 3',
    ]);
  });

  it('checks the share of examples whose target failed (84 of 101 fails; 1 of 200 passes)', () => {
    const criteria = withErrorRateCriterion([]);
    const failed = evaluateGates(criteria, run(101, 84));
    expect([failed.passed, failed.verdicts[0]?.reason]).toEqual([false, 'error_rate.mean is 0.832; expected <= 0.01']);
    expect(evaluateGates(criteria, run(200, 2)).passed).toBe(true);
    expect(evaluateGates(criteria, run(200, 3)).passed).toBe(false);
    expect(evaluateGates([parseCriterion('error_rate.count == 0')], run(200, 1)).passed).toBe(false);
    // A run that evaluated nothing has no error rate: the criterion fails rather than passing by default.
    expect(evaluateGates(criteria, run(0, 0)).passed).toBe(false);
  });

  it('knows error_rate has only a mean and a count', () => {
    expect(() => parseCriterion('error_rate.p95 <= 0.1')).toThrow(
      'error_rate has the statistics mean (the share of failed examples) and count; got "p95"',
    );
  });
});

describe('gate arithmetic', () => {
  it('passes a mean equal to the threshold even when floating point puts it a hair below', () => {
    const ninths = Array.from({ length: 10 }, (_, index) => (index < 9 ? 1 : 0));
    const values = summary({ faithfulness: ninths.map((value) => value * 0.1 * 9 + (1 - value) * 0.9) });
    expect(values.aggregates.faithfulness?.mean).not.toBe(0.9);
    expect(evaluateGates([parseCriterion('faithfulness.mean >= 0.9')], values).passed).toBe(true);
  });

  it('fails a mean just below the threshold and reports value, threshold and reason', () => {
    const report = evaluateGates([parseCriterion('faithfulness.mean >= 0.9')], summary({ faithfulness: [1, 1, 0.69] }));
    expect(report.passed).toBe(false);
    expect(report.verdicts[0]).toMatchObject({
      criterion: 'faithfulness.mean >= 0.9',
      passed: false,
      threshold: 0.9,
      operator: '>=',
    });
    expect(report.verdicts[0]?.value).toBeCloseTo(0.8967, 4);
    expect(report.verdicts[0]?.reason).toBe('faithfulness.mean is 0.897; expected >= 0.9');
  });

  it('checks harmful_rate == 0 and latency.p95 <= 500 per criterion', () => {
    const report = evaluateGates(
      [parseCriterion('harmful_rate == 0'), parseCriterion('latency.p95 <= 500'), parseCriterion('latency.p50 < 100')],
      summary({ harmful_rate: [0, 0, 1, 0], latency: [100, 200, 300, 400, 1000] }),
    );
    expect(
      report.verdicts.map((verdict) => [verdict.criterion, Number(verdict.value?.toFixed(6)), verdict.passed]),
    ).toEqual([
      ['harmful_rate.mean == 0', 0.25, false],
      ['latency.p95 <= 500', 880, false],
      ['latency.p50 < 100', 300, false],
    ]);
    const clean = evaluateGates(
      [parseCriterion('harmful_rate == 0'), parseCriterion('latency.p95 <= 500')],
      summary({ harmful_rate: [0, 0], latency: [100, 500] }),
    );
    expect(clean).toEqual({
      passed: true,
      verdicts: [
        expect.objectContaining({ passed: true, value: 0 }),
        expect.objectContaining({ passed: true, value: 480 }),
      ],
    });
  });

  it('fails a criterion whose metric the run did not compute', () => {
    const report = evaluateGates([parseCriterion('context_recall.mean >= 0.5')], summary({ faithfulness: [1] }));
    expect(report.verdicts[0]).toMatchObject({
      passed: false,
      value: null,
      reason: 'context_recall was not computed in this run (no example it applies to, or every one failed)',
    });
  });

  it('handles strict and inequality operators at the boundary', () => {
    const exactly = summary({ faithfulness: [0.5] });
    const verdict = (text: string) => evaluateGates([parseCriterion(text)], exactly).passed;
    expect([
      verdict('faithfulness > 0.5'),
      verdict('faithfulness < 0.5'),
      verdict('faithfulness != 0.5'),
      verdict('faithfulness <= 0.5'),
    ]).toEqual([false, false, false, true]);
  });
});

describe('gate files', () => {
  const folder = mkdtempSync(join(tmpdir(), 'llmops-gates-'));
  const file = (name: string, text: string) => {
    const path = join(folder, name);
    writeFileSync(path, text);
    return path;
  };

  it('accepts criteria as text or as mappings', () => {
    const path = file(
      'gates.yaml',
      'gates:\n  - faithfulness.mean >= 0.9\n  - metric: latency\n    statistic: p95\n    operator: "<="\n    threshold: 500\n',
    );
    expect(loadConfig({ files: [path], schema: gateFileSchema }).gates).toEqual([
      { metric: 'faithfulness', statistic: 'mean', operator: '>=', threshold: 0.9 },
      { metric: 'latency', statistic: 'p95', operator: '<=', threshold: 500 },
    ]);
  });

  it('names the file and line of a bad criterion', () => {
    const path = file('bad.yaml', 'gates:\n  - faithfulness.mean >= 0.9\n  - latency.p95 <= fast\n');
    expect(() => loadConfig({ files: [path], schema: gateFileSchema })).toThrow(
      /bad\.yaml:3: gates\[1\]: gate criterion "latency\.p95 <= fast" is not of the form/,
    );
  });
});
