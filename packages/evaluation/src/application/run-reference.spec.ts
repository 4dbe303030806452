import { LlmopsError } from '@llmops/kernel';
import { summarizeResults } from '../domain/aggregates.js';
import type { EvaluationRunRecord } from '../domain/evaluation-run.js';
import { InMemoryRunTracker } from '../testing/in-memory-run-tracker.js';
import { resolveRunReference } from './run-reference.js';

function run(startedAt: number, datasetName = 'refunds'): Omit<EvaluationRunRecord, 'id'> {
  return {
    name: `run at ${startedAt}`,
    status: 'finished',
    startedAt,
    target: { kind: 'static', name: 'support-bot/1' },
    dataset: {
      name: datasetName,
      source: `${datasetName}.jsonl`,
      hash: datasetName === 'refunds' ? 'a'.repeat(64) : 'b'.repeat(64),
      digest: datasetName === 'refunds' ? 'aaaaaaaaaaaa' : 'bbbbbbbbbbbb',
      examples: 1,
    },
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

  it("names previous the newest earlier run of the newest run's dataset, skipping runs of other datasets", async () => {
    const tracker = new InMemoryRunTracker();
    await tracker.start(run(1_000));
    const manualFirst = await tracker.start(run(2_000, 'manual-qa'));
    const refundsAgain = await tracker.start(run(3_000));
    await tracker.start(run(4_000, 'manual-qa'));
    expect(await resolveRunReference(tracker, 'previous')).toBe(manualFirst);
    const newest = await tracker.start(run(5_000));
    expect(await resolveRunReference(tracker, 'latest')).toBe(newest);
    expect(await resolveRunReference(tracker, 'previous')).toBe(refundsAgain);
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
    expect(await refusal(resolveRunReference(tracker, 'previous'))).toMatch(
      /names the run before the newest on its dataset, but the store has none/,
    );
    await tracker.start(run(1_000));
    await tracker.start(run(2_000, 'manual-qa'));
    expect(await refusal(resolveRunReference(tracker, 'previous'))).toMatch(
      /the run before the newest \(.+\) on its dataset manual-qa, but the store has no earlier run of that dataset;/,
    );
  });
});
