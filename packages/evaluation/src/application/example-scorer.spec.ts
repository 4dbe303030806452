import { LlmopsError } from '@llmops/kernel';
import { OfflineLexicalEmbedder } from '@llmops/providers';
import { metricNames } from '../domain/metric-catalog.js';
import type { Metric } from '../domain/metrics/metric.js';
import { ScriptedJudge } from '../testing/scripted-judge.js';
import { scoreExample } from './example-scorer.js';

const embedder = new OfflineLexicalEmbedder();
const all = new Set(metricNames);
const answer = {
  output: 'Refunds take 5 days. Dark mode exists.',
  retrievalContext: ['ctx one', 'ctx two'],
  latencyMs: 120,
  costUsd: null,
  usage: { inputTokens: 10, outputTokens: 4 },
};

function judgeWith(overrides: ConstructorParameters<typeof ScriptedJudge>[0] = {}) {
  return new ScriptedJudge({
    statements: (task) => ({
      statements: task.text
        .split('. ')
        .map((part) => part.trim())
        .filter(Boolean),
    }),
    relevance: (task) => ({
      verdicts: task.statements.map((statement, index) => ({
        statement,
        verdict: index === 0 ? 'yes' : 'no',
        reason: 'scripted',
      })),
    }),
    support: (task) => ({
      verdicts: task.claims.map((statement) => ({ statement, verdict: 'yes', reason: 'scripted' })),
    }),
    usefulness: (task) => ({
      verdicts: task.contexts.map((statement, index) => ({
        statement,
        verdict: index === 1 ? 'yes' : 'no',
        reason: 'scripted',
      })),
    }),
    contradiction: (task) => ({
      verdicts: task.contexts.map((statement) => ({ statement, verdict: 'yes', reason: 'scripted' })),
    }),
    correctness: () => ({ basis: 'tokens', output: [], reference: [] }),
    harm: () => ({ harmful: false, category: null, reason: 'fine' }),
    refusal: () => ({ refused: false, reason: 'answered' }),
    ...overrides,
  });
}

describe('scoreExample', () => {
  it('computes every applicable metric through the judge tasks', async () => {
    const judge = judgeWith();
    const result = await scoreExample({
      example: {
        id: 'a',
        input: 'How long do refunds take?',
        expected_output: 'Refunds take 5 days.',
        reference_contexts: ['ctx two'],
      },
      answer,
      judge,
      embedder,
      metrics: all,
    });
    expect(Object.keys(result.metrics)).toEqual([
      'contextual_relevancy',
      'faithfulness',
      'hallucination',
      'answer_relevancy',
      'context_precision',
      'context_recall',
      'hit_rate_at_1',
      'hit_rate_at_5',
      'recall_at_k',
      'mrr',
      'ndcg_at_k',
      'answer_correctness',
      'answer_rate',
      'harmful_rate',
      'exact_match',
      'similarity',
      'latency',
      'input_tokens',
      'output_tokens',
    ]);
    expect(result.metrics.contextual_relevancy).toEqual({
      score: 0.5,
      reason: expect.stringMatching(/^1 of 2 statements of the retrieval context are relevant/),
      judge: 'scripted',
    });
    expect(result.metrics.answer_relevancy?.score).toBe(0.5);
    expect(result.metrics.context_precision).toMatchObject({ score: 0.5, reason: 'useful contexts at rank 2 of 2' });
    expect(result.metrics.exact_match?.score).toBe(0);
    expect(result.metrics.similarity?.score).toBeGreaterThan(0.5);
    expect(result.metrics.refusal_correctness).toBeUndefined();
  });

  it('records a judge failure as an error on that metric, never as a score', async () => {
    const judge = judgeWith({
      support: () => {
        throw new LlmopsError('upstream_error', 'judge gave invalid output 3 times');
      },
    });
    const result = await scoreExample({
      example: { id: 'a', input: 'How long do refunds take?' },
      answer,
      judge,
      embedder,
      metrics: all,
    });
    expect(result.metrics.faithfulness).toEqual({
      score: null,
      reason: 'the judge could not score this example',
      judge: 'scripted',
      error: 'judge gave invalid output 3 times',
    });
    expect(result.metrics.answer_relevancy?.score).toBe(0.5);
  });

  it('treats a wrong number of verdicts as a judge error', async () => {
    const judge = judgeWith({ relevance: () => ({ verdicts: [] }) });
    const result = await scoreExample({
      example: { id: 'a', input: 'q?' },
      answer,
      judge,
      embedder,
      metrics: new Set(['answer_relevancy']),
    });
    expect(result.metrics.answer_relevancy).toMatchObject({
      score: null,
      error: 'the judge gave 0 verdicts for 2 statements; expected one each',
    });
  });

  it('scores refusals on unanswerable and adversarial examples, and leaves relevancy out for them', async () => {
    const judge = judgeWith({ refusal: () => ({ refused: true, reason: 'says it does not know' }) });
    const result = await scoreExample({
      example: { id: 'u', input: 'Who is the CEO?', tags: ['unanswerable'] },
      answer: { ...answer, output: "I don't know." },
      judge,
      embedder,
      metrics: all,
    });
    expect(result.metrics.refusal_correctness).toEqual({
      score: 1,
      reason: 'refused as expected: says it does not know',
      judge: 'scripted',
    });
    expect(result.metrics.contextual_relevancy).toBeUndefined();
    expect(result.metrics.answer_relevancy).toBeUndefined();
  });

  it('records no claims and no retrieved statements as undefined scores (null, without an error)', async () => {
    const judge = judgeWith({ statements: () => ({ statements: [] }) });
    const result = await scoreExample({ example: { id: 'a', input: 'q?' }, answer, judge, embedder, metrics: all });
    expect(result.metrics.faithfulness).toEqual({
      score: null,
      reason: 'undefined: the output makes no claims',
      judge: 'scripted',
    });
    expect(result.metrics.contextual_relevancy).toMatchObject({
      score: null,
      reason: 'undefined: the retrieval context has no statements',
    });
  });

  it('scores chosen metrics in strict mode: 1 only when the metric reaches 1, else 0', async () => {
    const judge = judgeWith();
    const result = await scoreExample({
      example: { id: 'a', input: 'q?', reference_contexts: ['ctx two'] },
      answer,
      judge,
      embedder,
      metrics: new Set(['contextual_relevancy', 'hit_rate_at_5'] as const),
      strictMetrics: new Set(['contextual_relevancy', 'hit_rate_at_5'] as const),
    });
    expect(result.metrics.contextual_relevancy?.score).toBe(0);
    expect(result.metrics.contextual_relevancy?.reason).toMatch(/^strict mode, 0.5 not reached: /);
    expect(result.metrics.hit_rate_at_5?.score).toBe(1);
  });

  it('scores a lower-is-better metric in strict mode: 0 only when it reaches 0, else 1 (hallucination)', async () => {
    const contradictingFirst = judgeWith({
      contradiction: (task) => ({
        verdicts: task.contexts.map((statement, index) => ({
          statement,
          verdict: index === 0 ? 'no' : 'yes',
          reason: 'scripted',
        })),
      }),
    });
    const score = async (referenceContexts: string[]) =>
      (
        await scoreExample({
          example: { id: 'a', input: 'q?', reference_contexts: referenceContexts },
          answer,
          judge: contradictingFirst,
          embedder,
          metrics: new Set(['hallucination'] as const),
          strictMetrics: new Set(['hallucination'] as const),
        })
      ).metrics.hallucination;
    expect(await score(['ctx one', 'ctx two', 'ctx three', 'ctx four'])).toMatchObject({
      score: 1,
      reason: expect.stringMatching(/^strict mode, 0.25 not reached: the output contradicts 1 of 4 reference contexts/),
      judge: 'scripted',
    });
    const agreeing = await scoreExample({
      example: { id: 'a', input: 'q?', reference_contexts: ['ctx one'] },
      answer,
      judge: judgeWith(),
      embedder,
      metrics: new Set(['hallucination'] as const),
      strictMetrics: new Set(['hallucination'] as const),
    });
    expect(agreeing.metrics.hallucination?.score).toBe(0);
  });

  it('records the harm category of a harmful output', async () => {
    const judge = judgeWith({ harm: () => ({ harmful: true, category: 'privacy', reason: 'leaks a card number' }) });
    const result = await scoreExample({
      example: { id: 'a', input: 'q?' },
      answer,
      judge,
      embedder,
      metrics: new Set(['harmful_rate']),
    });
    expect(result.harmCategory).toBe('privacy');
    expect(result.metrics.harmful_rate).toMatchObject({ score: 1, reason: 'harmful (privacy): leaks a card number' });
  });

  it('scores a metric defined outside the catalog when given in the metric list (the seam a new metric plugs into)', async () => {
    const wordCount: Metric<'word_count'> = {
      descriptor: {
        name: 'word_count',
        description: 'words of the output',
        unit: 'score',
        higherIsBetter: false,
        judged: false,
      },
      appliesTo: (context) => context.answer.output !== '',
      score: async (context) => ({ score: context.answer.output.split(/\s+/).length, reason: 'counted' }),
    };
    const result = await scoreExample({
      example: { id: 'a', input: 'q?' },
      answer,
      judge: judgeWith(),
      embedder,
      catalog: [wordCount],
    });
    expect(result.metrics).toEqual({ word_count: { score: 7, reason: 'counted' } });
    const unanswered = await scoreExample({
      example: { id: 'b', input: 'q?' },
      answer: { ...answer, output: '' },
      judge: judgeWith(),
      embedder,
      catalog: [wordCount],
    });
    expect(unanswered.metrics).toEqual({});
  });

  it('asks the judge once when two metrics ask it the same task for one example', async () => {
    const judge = judgeWith();
    const asksHarm = (name: string): Metric => ({
      descriptor: { name, description: name, unit: 'rate', higherIsBetter: false, judged: true },
      appliesTo: () => true,
      score: async (context) => {
        const verdict = await context.judge({ kind: 'harm', input: 'q?', output: context.answer.output });
        return { score: verdict.harmful ? 1 : 0, reason: verdict.reason };
      },
    });
    const result = await scoreExample({
      example: { id: 'a', input: 'q?' },
      answer,
      judge,
      embedder,
      catalog: [asksHarm('first'), asksHarm('second')],
    });
    expect(Object.keys(result.metrics)).toEqual(['first', 'second']);
    expect(judge.calls.filter((task) => task.kind === 'harm')).toHaveLength(1);
  });
});
