import { evaluatePromotion, promotionRefusedError } from './promotion-decision.js';
import { parsePromotionPolicy } from './promotion-policy.js';

const policy = parsePromotionPolicy({
  name: 'strict',
  dataset: 'golden',
  criteria: [
    'contextual_relevancy.mean >= 0.90',
    'faithfulness.mean >= 0.90',
    'harmful_rate == 0',
    'latency.p95 <= 500',
  ],
  notWorseThanChampion: [
    { metric: 'contextual_relevancy.mean', by: 0.02 },
    { metric: 'latency.p95', by: 50 },
  ],
});
const good = { 'contextual_relevancy.mean': 0.93, 'faithfulness.mean': 0.91, harmful_rate: 0, 'latency.p95': 310 };
const run = (runId: string, metrics: Record<string, number>, dataset = 'golden') => ({
  runId,
  dataset,
  metrics,
  completedAt: 1,
});

describe('evaluatePromotion', () => {
  it('allows a candidate meeting every threshold when there is no champion', () => {
    const decision = evaluatePromotion({ policy, candidate: { ref: 'bot/2', evaluations: [run('r2', good)] } });
    expect(decision.allowed).toBe(true);
    expect(decision.candidate).toEqual({ ref: 'bot/2', runIds: { golden: 'r2' } });
    expect(decision.champion).toBeNull();
    expect(decision.outcomes.map((outcome) => [outcome.criterion, outcome.passed, outcome.reason])).toEqual([
      ['contextual_relevancy.mean >= 0.9', true, '0.93 passes'],
      ['faithfulness.mean >= 0.9', true, '0.91 passes'],
      ['harmful_rate == 0', true, '0 passes'],
      ['latency.p95 <= 500', true, '310 passes'],
      [
        'contextual_relevancy.mean not worse than the champion by more than 0.02',
        true,
        'no current champion to compare with',
      ],
      ['latency.p95 not worse than the champion by more than 50', true, 'no current champion to compare with'],
    ]);
  });

  it('passes a value exactly at its threshold despite floating point noise', () => {
    const justBelow = 0.7 + 0.2;
    expect(justBelow).toBeLessThan(0.9);
    const decision = evaluatePromotion({
      policy,
      candidate: { ref: 'bot/2', evaluations: [run('r', { ...good, 'faithfulness.mean': justBelow })] },
    });
    expect(decision.outcomes[1]).toMatchObject({ value: justBelow, passed: true });
  });

  it('fails every criterion, and lists the missing evidence, when there is none', () => {
    const decision = evaluatePromotion({
      policy,
      candidate: { ref: 'bot/2', evaluations: [] },
      champion: { ref: 'bot/1', evaluations: [] },
    });
    expect(decision.allowed).toBe(false);
    expect(decision.outcomes.every((outcome) => !outcome.passed && outcome.value === null)).toBe(true);
    expect(decision.missingEvidence).toEqual([
      'no evaluation of bot/2 on dataset "golden" was found',
      'no evaluation of the current champion bot/1 on dataset "golden" was found',
    ]);
  });

  it('fails a criterion whose metric the run did not record', () => {
    const withoutHarm = Object.fromEntries(Object.entries(good).filter(([metric]) => metric !== 'harmful_rate'));
    const decision = evaluatePromotion({ policy, candidate: { ref: 'bot/2', evaluations: [run('r7', withoutHarm)] } });
    expect(decision.outcomes[2]).toMatchObject({
      passed: false,
      value: null,
      reason: 'no evidence: run r7 of bot/2 has no metric harmful_rate',
    });
    expect(decision.missingEvidence).toEqual(['run r7 of bot/2 has no metric harmful_rate']);
  });

  it('compares with the champion in the direction of each metric', () => {
    const decision = evaluatePromotion({
      policy,
      candidate: {
        ref: 'bot/3',
        evaluations: [run('r3', { ...good, 'contextual_relevancy.mean': 0.945, 'latency.p95': 420 })],
      },
      champion: {
        ref: 'bot/2',
        evaluations: [run('r2', { ...good, 'contextual_relevancy.mean': 0.96, 'latency.p95': 360 })],
      },
    });
    expect(decision.allowed).toBe(false);
    expect(decision.champion).toEqual({ ref: 'bot/2', runIds: { golden: 'r2' } });
    const [relevancy, latency] = decision.outcomes.slice(4);
    expect(relevancy).toMatchObject({ operator: '>=', passed: true });
    expect(relevancy?.threshold).toBeCloseTo(0.94, 10);
    expect(latency).toMatchObject({
      operator: '<=',
      threshold: 410,
      value: 420,
      passed: false,
      reason: '420 is above 410 (champion bot/2: 360, allowed worsening 50)',
    });
  });
});

describe('evaluatePromotion with several datasets', () => {
  const both = parsePromotionPolicy({
    dataset: ['help-center', 'manual'],
    criteria: ['hit_rate_at_1.mean >= 0.7'],
    notWorseThanChampion: [{ metric: 'hit_rate_at_1.mean', by: 0.02 }],
  });

  it('needs every criterion to hold on each dataset, and says on which one it failed', () => {
    const decision = evaluatePromotion({
      policy: both,
      candidate: {
        ref: 'bot/2',
        evaluations: [
          run('h2', { 'hit_rate_at_1.mean': 0.98 }, 'help-center'),
          run('m2', { 'hit_rate_at_1.mean': 0.6 }, 'manual'),
        ],
      },
    });
    expect(decision.allowed).toBe(false);
    expect(decision.datasets).toEqual(['help-center', 'manual']);
    expect(decision.candidate.runIds).toEqual({ 'help-center': 'h2', manual: 'm2' });
    expect(decision.outcomes.map((outcome) => [outcome.criterion, outcome.dataset, outcome.passed])).toEqual([
      ['on help-center: hit_rate_at_1.mean >= 0.7', 'help-center', true],
      ['on help-center: hit_rate_at_1.mean not worse than the champion by more than 0.02', 'help-center', true],
      ['on manual: hit_rate_at_1.mean >= 0.7', 'manual', false],
      ['on manual: hit_rate_at_1.mean not worse than the champion by more than 0.02', 'manual', true],
    ]);
  });

  it('refuses a candidate evaluated on one dataset only, naming the other', () => {
    const decision = evaluatePromotion({
      policy: both,
      candidate: { ref: 'bot/2', evaluations: [run('h2', { 'hit_rate_at_1.mean': 0.98 }, 'help-center')] },
      champion: { ref: 'bot/1', evaluations: [run('h1', { 'hit_rate_at_1.mean': 0.9 }, 'help-center')] },
    });
    expect(decision.allowed).toBe(false);
    expect(decision.candidate.runIds).toEqual({ 'help-center': 'h2', manual: null });
    expect(decision.missingEvidence).toEqual([
      'no evaluation of bot/2 on dataset "manual" was found',
      'no evaluation of the current champion bot/1 on dataset "manual" was found',
    ]);
    expect(promotionRefusedError(decision, 'champion').message).toContain(
      'evaluate bot/2 on datasets "help-center" and "manual" first, or promote with --force --reason TEXT',
    );
  });
});

describe('promotionRefusedError', () => {
  it('does not ask to evaluate a candidate "first" when it has a run that lacks a metric', () => {
    const decision = evaluatePromotion({
      policy,
      candidate: { ref: 'bot/2', evaluations: [run('r2', { 'latency.p95': 300 })] },
    });
    const message = promotionRefusedError(decision, 'champion').message;
    expect(message).toContain('  - run r2 of bot/2 has no metric faithfulness.mean');
    expect(message).not.toContain('first');
    expect(message).toMatch(
      /\nevaluate again what is listed above \(a run lacks a metric it did not compute, or one its judge failed on every example\), or promote with --force --reason TEXT$/,
    );
  });

  it('is gate_failed listing each failed criterion with value and threshold, and carries the decision', () => {
    const decision = evaluatePromotion({
      policy,
      candidate: { ref: 'bot/2', evaluations: [run('r2', { ...good, 'faithfulness.mean': 0.85, 'latency.p95': 640 })] },
    });
    const error = promotionRefusedError(decision, 'champion');
    expect(error.code).toBe('gate_failed');
    expect(error.message).toBe(
      [
        'promotion of bot/2 to "champion" refused by policy "strict": 2 of 6 criteria failed',
        '  - faithfulness.mean >= 0.9: 0.85 is below the threshold 0.9',
        '  - latency.p95 <= 500: 640 is above the threshold 500',
      ].join('\n'),
    );
    expect(error.details).toBe(decision);
  });
});
