import type { ExampleResult } from './example-result.js';
import { judgeErrorCauses, judgedScoreCounts, targetErrorCauses } from './target-error-causes.js';

function result(exampleId: string, error?: string): ExampleResult {
  return {
    exampleId,
    input: 'q?',
    tags: [],
    output: '',
    retrievalContext: [],
    latencyMs: null,
    usage: null,
    costUsd: null,
    metrics: {},
    ...(error === undefined ? {} : { error }),
  };
}

const rateLimited = 'rate_limited: endpoint (model m): rate limited (429): key limit 60/min';
const timedOut = 'timeout: endpoint (model m): no response within 30000 ms (timeoutMs)';

describe('targetErrorCauses', () => {
  it('groups the failed examples by error, most frequent first, each with its count and first example', () => {
    const results = [
      result('ok-1'),
      result('slow-1', timedOut),
      result('support-017', rateLimited),
      result('support-018', rateLimited),
      result('ok-2'),
      result('support-020', rateLimited),
    ];
    expect(targetErrorCauses(results)).toEqual([
      { error: rateLimited, count: 3, firstExampleId: 'support-017' },
      { error: timedOut, count: 1, firstExampleId: 'slow-1' },
    ]);
  });

  it('keeps the order of first failure between causes of equal count, and is empty without target errors', () => {
    expect(targetErrorCauses([result('a', timedOut), result('b', rateLimited)]).map((cause) => cause.error)).toEqual([
      timedOut,
      rateLimited,
    ]);
    expect(targetErrorCauses([result('ok')])).toEqual([]);
  });
});

describe('judgeErrorCauses', () => {
  it('groups the scores a judge could not give by error, counting each metric of each example', () => {
    const down = 'judge openai/j: the upstream failed (500): overloaded';
    const invalid = 'judge openai/j gave invalid output for a harm task 3 time(s); last: not JSON: "{"';
    const judged = (exampleId: string, metrics: ExampleResult['metrics']): ExampleResult => ({
      ...result(exampleId),
      metrics,
    });
    const results = [
      judged('a', {
        faithfulness: { score: 1, reason: 'ok' },
        harmful_rate: { score: null, reason: '', error: invalid },
      }),
      judged('b', {
        faithfulness: { score: null, reason: '', error: down },
        answer_relevancy: { score: null, reason: '', error: down },
      }),
      result('c', rateLimited),
    ];
    expect(judgeErrorCauses(results)).toEqual([
      { error: down, count: 2, firstExampleId: 'b' },
      { error: invalid, count: 1, firstExampleId: 'a' },
    ]);
    expect(judgeErrorCauses([result('ok')])).toEqual([]);
  });
});

describe('judgedScoreCounts', () => {
  it('counts the scores a judge produced or failed, not the unjudged metrics', () => {
    const scored = (metrics: ExampleResult['metrics']): ExampleResult => ({ ...result('x'), metrics });
    const failed = { score: null, reason: 'the judge could not score this example', judge: 'j', error: 'HTTP 500' };
    const results = [
      scored({ faithfulness: failed, latency: { score: 12, reason: 'ms' } }),
      scored({ faithfulness: { score: 1, reason: 'ok', judge: 'j' }, answer_relevancy: failed }),
    ];
    expect(judgedScoreCounts(results)).toEqual({ judged: 3, failed: 2 });
    expect(judgedScoreCounts([scored({ latency: { score: 3, reason: 'ms' } })])).toEqual({ judged: 0, failed: 0 });
  });
});
