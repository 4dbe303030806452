import { parseCriterion, parsePromotionPolicy } from './promotion-policy.js';

describe('parseCriterion', () => {
  it('reads <metric> <operator> <number>', () => {
    expect(parseCriterion('contextual_relevancy.mean >= 0.90')).toEqual({
      metric: 'contextual_relevancy.mean',
      operator: '>=',
      threshold: 0.9,
      text: 'contextual_relevancy.mean >= 0.9',
    });
    expect(parseCriterion('harmful_rate==0')).toMatchObject({ metric: 'harmful_rate', operator: '==', threshold: 0 });
    expect(parseCriterion(' latency.p95 < 5e2 ')).toMatchObject({
      metric: 'latency.p95',
      operator: '<',
      threshold: 500,
    });
  });

  it('shows the expected form for anything else', () => {
    for (const text of ['faithfulness >= high', 'faithfulness => 0.9', '>= 0.9', 'faithfulness.mean', 'a..b >= 1']) {
      expect(() => parseCriterion(text)).toThrow(`criterion "${text}" is not of the form <metric> <operator> <number>`);
    }
  });
});

describe('parsePromotionPolicy', () => {
  it('reads criteria as text or objects and takes a regression rule direction from its criterion', () => {
    const policy = parsePromotionPolicy({
      dataset: 'support-golden',
      criteria: ['contextual_relevancy.mean >= 0.9', { metric: 'latency.p95', operator: '<=', threshold: 500 }],
      notWorseThanChampion: [
        { metric: 'contextual_relevancy.mean', by: 0.02 },
        { metric: 'latency.p95', by: 50 },
        { metric: 'cost.per_answer', by: 0.001, higherIsBetter: false },
      ],
    });
    expect(policy.name).toBe('default');
    expect(policy.datasets).toEqual(['support-golden']);
    expect(policy.criteria.map((criterion) => criterion.text)).toEqual([
      'contextual_relevancy.mean >= 0.9',
      'latency.p95 <= 500',
    ]);
    expect(policy.notWorseThanChampion.map((rule) => rule.higherIsBetter)).toEqual([true, false, false]);
  });

  it('takes a list of datasets, each named once', () => {
    const policy = parsePromotionPolicy({ dataset: ['help-center', 'manual', 'help-center'], criteria: ['x >= 1'] });
    expect(policy.datasets).toEqual(['help-center', 'manual']);
    expect(() => parsePromotionPolicy({ dataset: [], criteria: ['x >= 1'] })).toThrow(
      'dataset: expected at least one dataset name',
    );
  });

  it('names every bad field', () => {
    expect(() => parsePromotionPolicy({ criteria: [] }, 'confs/promotion-policy.yaml')).toThrow(
      'confs/promotion-policy.yaml: dataset: expected a dataset name or a list of dataset names; criteria: a policy needs at least one criterion',
    );
    expect(() =>
      parsePromotionPolicy({ dataset: 'd', criteria: ['x >= 1'], notWorseThanChampion: [{ metric: 'y', by: 1 }] }),
    ).toThrow(
      'notWorseThanChampion[0].higherIsBetter: metric y has no threshold criterion to tell its direction; set higherIsBetter: true or false',
    );
    expect(() => parsePromotionPolicy({ dataset: 'd', criteria: ['x >= 1'], extra: true })).toThrow(
      /Unrecognized key: "extra"/,
    );
    expect(() => parsePromotionPolicy({ dataset: 'd', criteria: ['x ~ 1'] })).toThrow(
      /criteria\[0\]: criterion "x ~ 1" is not of the form/,
    );
  });
});
