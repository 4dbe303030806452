import { LlmopsError } from '@llmops/kernel';
import { summarizeResults } from '../domain/aggregates.js';
import type { EvaluationRunRecord } from '../domain/evaluation-run.js';
import { InMemoryRunTracker } from '../testing/in-memory-run-tracker.js';
import { resolveRunReference } from './run-reference.js';

function run(startedAt: number): Omit<EvaluationRunRecord, 'id'> {
  return {
    name: `run at ${startedAt}`,
    status: 'finished',
    startedAt,
    target: { kind: 'static', name: 'support-bot/1' },
    dataset: { name: 'refunds', source: 'refunds.jsonl', hash: 'a'.repeat(64), digest: 'aaaaaaaaaaaa', examples: 1 },
    judge: 'offline-heuristic',
    metrics: ['faithfulness'],
    summary: summarizeResults([]),
    judgeStatistics: { calls: 0, cacheHits: 0, errors: 0 },
    tags: {},
    artifacts: {},
  };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(LlmopsError.isInstance(error) && error.code).toBe('not_found');
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('resolveRunReference', () => {
  it('names the newest run latest and the one before it previous, as eval list orders them', async () => {
    const tracker = new InMemoryRunTracker();
    const older = await tracker.start(run(1_000));
    const newer = await tracker.start(run(2_000));
    expect(await resolveRunReference(tracker, 'latest')).toBe(newer);
    expect(await resolveRunReference(tracker, 'previous')).toBe(older);
  });

  it('passes any other text through as a run id, even one an object prototype holds', async () => {
    const tracker = new InMemoryRunTracker();
    for (const id of ['0123456789abcdef', 'toString', '__proto__', 'constructor', 'Latest'])
      expect(await resolveRunReference(tracker, id)).toBe(id);
  });

  it('says how many runs the store has when the word names one it lacks', async () => {
    const tracker = new InMemoryRunTracker();
    expect(await refusal(resolveRunReference(tracker, 'latest'))).toMatch(
      /names the newest evaluation run, but the store has none/,
    );
    await tracker.start(run(1_000));
    expect(await refusal(resolveRunReference(tracker, 'previous'))).toMatch(/second newest .* has only one/);
  });
});
