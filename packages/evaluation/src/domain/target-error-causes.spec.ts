import type { ExampleResult } from './example-result.js';
import { targetErrorCauses } from './target-error-causes.js';

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
