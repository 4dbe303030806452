import { LlmopsError } from '@llmops/kernel';
import { summarizeResults } from '../domain/aggregates.js';
import type { EvaluationRunRecord } from '../domain/evaluation-run.js';
import type { ExampleResult } from '../domain/example-result.js';
import { compareRunSet, withScores } from '../domain/run-set-comparison.js';
import type { RunQueries } from '../ports.js';
import { InMemoryRunTracker } from '../testing/in-memory-run-tracker.js';
import { RunSetComparisons } from './run-set-comparisons.js';
import { TrackerRunQueries } from './tracker-run-queries.js';

function results(faithfulness: (index: number) => number): ExampleResult[] {
  return Array.from({ length: 30 }, (_, index) => ({
    exampleId: `e${index}`,
    input: `question ${index}`,
    tags: [],
    output: `answer ${index}`,
    retrievalContext: [],
    latencyMs: 100,
    usage: null,
    costUsd: null,
    metrics: { faithfulness: { score: faithfulness(index), reason: 'scripted' } },
  }));
}

const tracker = new InMemoryRunTracker();
const draft = (name: string): Omit<EvaluationRunRecord, 'id'> => ({
  name,
  status: 'running',
  startedAt: 0,
  target: { kind: 'static', name },
  dataset: { name: 'qa', source: 'qa.jsonl', hash: 'h1', digest: 'h1', examples: 30 },
  judge: 'scripted',
  metrics: ['faithfulness'],
  summary: summarizeResults([]),
  judgeStatistics: { calls: 0, cacheHits: 0, errors: 0 },
  tags: {},
  artifacts: {},
});

async function finishedRun(name: string, scored: ExampleResult[]): Promise<string> {
  const id = await tracker.start(draft(name));
  await tracker.finish({ ...draft(name), id, status: 'finished', summary: summarizeResults(scored) }, scored, []);
  return id;
}

/** The store's queries, counting the score columns read. */
function countingQueries(): { queries: RunQueries; reads: string[] } {
  const inner = new TrackerRunQueries(tracker);
  const reads: string[] = [];
  const queries: RunQueries = {
    listRuns: (search) => inner.listRuns(search),
    examples: (runId, query) => inner.examples(runId, query),
    example: (runId, index) => inner.example(runId, index),
    histograms: (runId, bins) => inner.histograms(runId, bins),
    scores: (runId) => {
      reads.push(runId);
      return inner.scores(runId);
    },
  };
  return { queries, reads };
}

describe('RunSetComparisons', () => {
  it('compares runs from their score columns, as compareRunSet does from their results', async () => {
    const baseline = await finishedRun(
      'baseline',
      results((index) => (index % 3) / 3),
    );
    const candidate = await finishedRun(
      'candidate',
      results((index) => ((index + 1) % 3) / 3),
    );
    const { queries } = countingQueries();
    const compared = await new RunSetComparisons({ tracker, queries }).compare([baseline, candidate]);
    expect(compared.runs.map((run) => run.id)).toEqual([baseline, candidate]);
    const fromResults = compareRunSet(
      await Promise.all(
        [baseline, candidate].map(async (id) =>
          withScores({ record: await tracker.get(id), results: await tracker.results(id) }),
        ),
      ),
    );
    expect(compared.metrics).toEqual(fromResults);
    expect(compared.metrics[0]?.deltas[0]?.paired).toBe(true);
  });

  it('keeps the comparison of finished runs by their ids in order, and compares unfinished runs afresh', async () => {
    const first = await finishedRun(
      'first',
      results((index) => index / 30),
    );
    const second = await finishedRun(
      'second',
      results((index) => 1 - index / 30),
    );
    const running = await tracker.start(draft('running'));
    const { queries, reads } = countingQueries();
    const comparisons = new RunSetComparisons({ tracker, queries }, 1);

    const once = await comparisons.compare([first, second]);
    const again = await comparisons.compare([first, second]);
    expect(again).toEqual(once);
    expect(reads).toEqual([first, second]);

    await comparisons.compare([first, running]);
    await comparisons.compare([first, running]);
    expect(reads).toHaveLength(6);

    // The reverse order is another comparison; with room for one, it pushes the first out.
    await comparisons.compare([second, first]);
    await comparisons.compare([first, second]);
    expect(reads).toEqual([first, second, first, running, first, running, second, first, first, second]);
  });

  it('refuses an unknown run with not_found', async () => {
    const known = await finishedRun(
      'known',
      results(() => 0.5),
    );
    const { queries } = countingQueries();
    const failure: unknown = await new RunSetComparisons({ tracker, queries })
      .compare([known, 'run-9999'])
      .catch((error: unknown) => error);
    expect(LlmopsError.isInstance(failure) && failure.code).toBe('not_found');
  });
});
