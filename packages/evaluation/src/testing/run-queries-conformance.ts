import assert from 'node:assert/strict';
import { LlmopsError } from '@llmops/kernel';
import { summarizeResults } from '../domain/aggregates.js';
import type { EvaluationRunRecord } from '../domain/evaluation-run.js';
import type { ExampleResult } from '../domain/example-result.js';
import { evaluateGates, parseCriterion } from '../domain/gates.js';
import { runScoresOf } from '../domain/run-scores.js';
import type { RunQueries, RunTracker } from '../ports.js';

/** The store under test: its tracker (to store runs) and its queries (to read them back). */
export interface RunQueriesHarness {
  tracker: RunTracker;
  queries: RunQueries;
}

/** One case of the suite: a name and a run that throws when the queries misbehave. */
export interface RunQueriesConformanceCase {
  name: string;
  run: () => Promise<void>;
}

function example(
  id: string,
  answer: { faithfulness: number | null; output: string },
  extra: Partial<ExampleResult> = {},
) {
  const { faithfulness, output } = answer;
  return {
    exampleId: id,
    input: `Question ${id}: can Annual plans be refunded?`,
    tags: [],
    expectedOutput: `Expected ${id}`,
    output,
    retrievalContext: ['Refunds › Annual plans\nAnnual plans are refunded within 14 days.'],
    retrievalSources: [{ source: 'refunds.md', title: 'Refunds', score: 0.82 }],
    latencyMs: 100,
    usage: { inputTokens: 10, outputTokens: 4 },
    costUsd: null,
    metrics: {
      ...(faithfulness === null ? {} : { faithfulness: { score: faithfulness, reason: `scored ${faithfulness}` } }),
      latency: { score: faithfulness === null ? 50 : 100 + faithfulness * 100, reason: 'ms' },
    },
    ...extra,
  } satisfies ExampleResult;
}

/** Five examples: scores 0.9, 0.2, none, 1, 0.4 (positions 0..4); the third failed at the target. */
function examples(): ExampleResult[] {
  return [
    example('e0', { faithfulness: 0.9, output: 'Yes, within 14 days.' }),
    example('e1', { faithfulness: 0.2, output: 'No idea.' }),
    example('e2', { faithfulness: null, output: '' }, { error: 'upstream_error: the model timed out' }),
    example('e3', { faithfulness: 1, output: 'YES: fourteen days.' }, { traceId: 'a'.repeat(32) }),
    example('e4', { faithfulness: 0.4, output: 'Perhaps.' }),
  ];
}

async function storeRun(
  harness: RunQueriesHarness,
  options: { model: string; version: string; dataset: string; startedAt: number; gate?: string; name?: string },
): Promise<string> {
  const results = examples();
  const draft: Omit<EvaluationRunRecord, 'id'> = {
    name: options.name ?? `${options.model}/${options.version} on ${options.dataset}`,
    status: 'running',
    startedAt: options.startedAt,
    target: {
      kind: 'pipeline',
      name: `${options.model}/${options.version}`,
      modelRef: `${options.model}@champion`,
      modelName: options.model,
      modelVersion: options.version,
    },
    dataset: {
      name: options.dataset,
      source: `${options.dataset}.jsonl`,
      hash: 'b'.repeat(64),
      digest: 'b',
      examples: 5,
    },
    judge: 'scripted',
    metrics: ['faithfulness', 'latency'],
    summary: summarizeResults([]),
    judgeStatistics: { calls: 0, cacheHits: 0, errors: 0 },
    tags: {},
    artifacts: {},
  };
  const id = await harness.tracker.start(draft);
  const summary = summarizeResults(results);
  await harness.tracker.finish(
    {
      ...draft,
      id,
      status: 'finished',
      finishedAt: options.startedAt + 1000,
      summary,
      ...(options.gate ? { gates: evaluateGates([parseCriterion(options.gate)], summary) } : {}),
    },
    results,
    [],
  );
  return id;
}

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    assert.ok(LlmopsError.isInstance(error), `expected an LlmopsError, got ${String(error)}`);
    assert.equal(error.code, code);
    return;
  }
  assert.fail(`expected a rejection with code ${code}`);
}

const page = { limit: 50, offset: 0 };

/** A copy made in this realm: node:sqlite returns arrays of another realm (Jest's sandbox). */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * The behaviour every {@link RunQueries} must have, whether the store answers in SQL or in memory: runs filtered by
 * model (name, version or reference), dataset, verdict, status and name text, newest first, paged with their total; a
 * run's examples sorted by index or by a metric (examples without its score last), filtered on failure and text, paged
 * with their total; one example by index; histograms whose counts add up to the scored examples.
 */
export function runQueriesConformanceCases(
  harness: () => Promise<RunQueriesHarness> | RunQueriesHarness,
  options: { unique: (base: string) => string },
): RunQueriesConformanceCase[] {
  return [
    {
      name: 'lists runs filtered by model, dataset, verdict, status and name, newest first, with the total',
      run: async () => {
        const store = await harness();
        const model = options.unique('queries-list');
        const old = await storeRun(store, {
          model,
          version: '1',
          dataset: 'qa',
          startedAt: 1_700_000_000_000,
          gate: 'faithfulness.mean >= 0.9',
        });
        const recent = await storeRun(store, {
          model,
          version: '2',
          dataset: 'qa',
          startedAt: 1_700_000_100_000,
          gate: 'faithfulness.mean >= 0.5',
          name: 'Nightly CANDIDATE',
        });
        const other = await storeRun(store, { model, version: '2', dataset: 'manual', startedAt: 1_700_000_050_000 });
        const ids = async (search: Parameters<RunQueries['listRuns']>[0]) => {
          const found = await store.queries.listRuns(search);
          return plain({ ids: found.items.map((run) => run.id), total: found.total });
        };
        assert.deepEqual(await ids({ model, ...page }), { ids: [recent, other, old], total: 3 });
        assert.deepEqual(await ids({ model: `${model}/2`, ...page }), { ids: [recent, other], total: 2 });
        assert.deepEqual((await ids({ model: `${model}@champion`, ...page })).total, 3);
        assert.deepEqual(await ids({ model, dataset: 'manual', ...page }), { ids: [other], total: 1 });
        assert.deepEqual(await ids({ model, verdict: 'passed', ...page }), { ids: [recent], total: 1 });
        assert.deepEqual(await ids({ model, verdict: 'failed', ...page }), { ids: [old], total: 1 });
        assert.deepEqual(await ids({ model, verdict: 'none', ...page }), { ids: [other], total: 1 });
        assert.deepEqual(await ids({ model, status: 'running', ...page }), { ids: [], total: 0 });
        assert.deepEqual(await ids({ model, text: 'candidate', ...page }), { ids: [recent], total: 1 });
        assert.deepEqual(await ids({ model, limit: 1, offset: 1 }), { ids: [other], total: 3 });
      },
    },
    {
      name: "sorts a run's examples by index or by a metric, scoreless examples last, with the total",
      run: async () => {
        const store = await harness();
        const id = await storeRun(store, {
          model: options.unique('queries-sort'),
          version: '1',
          dataset: 'qa',
          startedAt: 1_700_000_000_000,
        });
        const order = async (query: Partial<Parameters<RunQueries['examples']>[1]>) => {
          const found = await store.queries.examples(id, { sort: 'index', order: 'asc', ...page, ...query });
          return plain({ indexes: found.items.map((row) => row.index), total: found.total });
        };
        assert.deepEqual(await order({}), { indexes: [0, 1, 2, 3, 4], total: 5 });
        assert.deepEqual(await order({ order: 'desc' }), { indexes: [4, 3, 2, 1, 0], total: 5 });
        assert.deepEqual(await order({ limit: 2, offset: 3 }), { indexes: [3, 4], total: 5 });
        assert.deepEqual(await order({ order: 'desc', limit: 2, offset: 4 }), { indexes: [0], total: 5 });
        assert.deepEqual(await order({ offset: 9 }), { indexes: [], total: 5 });
        assert.deepEqual(await order({ sort: 'faithfulness' }), { indexes: [1, 4, 0, 3, 2], total: 5 });
        assert.deepEqual(await order({ sort: 'faithfulness', order: 'desc' }), { indexes: [3, 0, 4, 1, 2], total: 5 });
        assert.deepEqual(await order({ sort: 'faithfulness', limit: 2, offset: 1 }), { indexes: [4, 0], total: 5 });
        assert.deepEqual(await order({ sort: 'answer_relevancy' }), { indexes: [0, 1, 2, 3, 4], total: 5 });
      },
    },
    {
      name: "filters a run's examples on failure and on text in the input, output or expected output",
      run: async () => {
        const store = await harness();
        const id = await storeRun(store, {
          model: options.unique('queries-filter'),
          version: '1',
          dataset: 'qa',
          startedAt: 1_700_000_000_000,
        });
        const found = async (query: Partial<Parameters<RunQueries['examples']>[1]>) => {
          const result = await store.queries.examples(id, { sort: 'index', order: 'asc', ...page, ...query });
          return plain({ indexes: result.items.map((row) => row.index), total: result.total });
        };
        // e1 (0.2), e2 (target error) and e4 (0.4) are below the per-example threshold of 0.5.
        assert.deepEqual(await found({ failed: true }), { indexes: [1, 2, 4], total: 3 });
        assert.deepEqual(await found({ failed: false }), { indexes: [0, 3], total: 2 });
        assert.deepEqual(await found({ text: 'yes' }), { indexes: [0, 3], total: 2 });
        assert.deepEqual(await found({ text: 'EXPECTED E4' }), { indexes: [4], total: 1 });
        assert.deepEqual(await found({ text: 'question e1:' }), { indexes: [1], total: 1 });
        assert.deepEqual(await found({ text: 'yes', failed: true }), { indexes: [], total: 0 });
        const [row] = (await store.queries.examples(id, { sort: 'index', order: 'asc', limit: 1, offset: 2 })).items;
        assert.equal(row?.result.error, 'upstream_error: the model timed out');
        assert.equal(row?.passed, false);
      },
    },
    {
      name: 'reads one example by index, and refuses an unknown index or run (not_found)',
      run: async () => {
        const store = await harness();
        const id = await storeRun(store, {
          model: options.unique('queries-one'),
          version: '1',
          dataset: 'qa',
          startedAt: 1_700_000_000_000,
        });
        const third = await store.queries.example(id, 3);
        assert.equal(third.index, 3);
        assert.equal(third.passed, true);
        assert.equal(third.result.exampleId, 'e3');
        assert.equal(third.result.traceId, 'a'.repeat(32));
        assert.equal(third.result.retrievalSources?.[0]?.title, 'Refunds');
        await rejectsWithCode(store.queries.example(id, 5), 'not_found');
        await rejectsWithCode(store.queries.example('0123456789abcdef0123456789abcdef', 0), 'not_found');
        await rejectsWithCode(
          store.queries.examples('0123456789abcdef0123456789abcdef', { sort: 'index', order: 'asc', ...page }),
          'not_found',
        );
        await rejectsWithCode(store.queries.histograms('0123456789abcdef0123456789abcdef', 10), 'not_found');
      },
    },
    {
      name: 'bins the scores of every metric: [0, 1] for scores, [min, max] otherwise',
      run: async () => {
        const store = await harness();
        const id = await storeRun(store, {
          model: options.unique('queries-histograms'),
          version: '1',
          dataset: 'qa',
          startedAt: 1_700_000_000_000,
        });
        const histograms = plain(await store.queries.histograms(id, 5));
        assert.deepEqual(histograms.faithfulness, { edges: [0, 0.2, 0.4, 0.6, 0.8, 1], counts: [0, 1, 1, 0, 2] });
        // Latency: 190, 120, 50, 200, 140 ms over [50, 200] in 5 bins of 30 ms.
        assert.deepEqual(histograms.latency, { edges: [50, 80, 110, 140, 170, 200], counts: [1, 0, 1, 1, 2] });
      },
    },
    {
      name: "gives a run's scores in columns, as runScoresOf reads its results, and refuses an unknown run",
      run: async () => {
        const store = await harness();
        const id = await storeRun(store, {
          model: options.unique('queries-scores'),
          version: '1',
          dataset: 'qa',
          startedAt: 1_700_000_000_000,
        });
        const scores = await store.queries.scores(id);
        assert.deepEqual([...scores.exampleIds], ['e0', 'e1', 'e2', 'e3', 'e4']);
        assert.deepEqual(Object.keys(scores.scores).sort(), ['faithfulness', 'latency']);
        // The third example has no faithfulness score: NaN at its position.
        assert.deepEqual(Array.from(scores.scores.faithfulness ?? []), [0.9, 0.2, Number.NaN, 1, 0.4]);
        const expected = runScoresOf(examples());
        assert.deepEqual(Array.from(scores.scores.latency ?? []), Array.from(expected.scores.latency ?? []));
        await rejectsWithCode(store.queries.scores('0123456789abcdef0123456789abcdef'), 'not_found');
      },
    },
  ];
}
