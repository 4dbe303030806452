import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { summarizeResults } from '../../domain/aggregates.js';
import type { EvaluationRunRecord } from '../../domain/evaluation-run.js';
import type { ExampleResult } from '../../domain/example-result.js';
import { asciiLowerCase } from '../../domain/run-browsing.js';
import { runQueriesConformanceCases } from '../../testing/run-queries-conformance.js';
import { openEvaluationDatabase } from './evaluation-database.js';
import { SqliteRunQueries } from './sqlite-run-queries.js';
import { SqliteRunTracker } from './sqlite-run-tracker.js';

const folder = mkdtempSync(join(tmpdir(), 'llmops-sqlite-queries-'));
const database = openEvaluationDatabase(join(folder, 'llmops.db'));
const store = {
  tracker: new SqliteRunTracker(database, { artifactRoot: join(folder, 'artifacts') }),
  queries: new SqliteRunQueries(database),
};
let counter = 0;

describe('SqliteRunQueries (conformance)', () => {
  for (const testCase of runQueriesConformanceCases(() => store, { unique: (base) => `${base}-${(counter += 1)}` }))
    it(testCase.name, testCase.run);
});

describe('SqliteRunQueries', () => {
  it('indexes, when the file is opened, the runs stored before the example index existed', async () => {
    const [run] = (await store.queries.listRuns({ limit: 1, offset: 0 })).items;
    if (!run) throw new Error('the conformance cases stored no run');
    database.exec('DELETE FROM evaluation_example_index; DELETE FROM evaluation_example_scores');
    database.exec('DELETE FROM evaluation_example_index_version');
    expect((await store.queries.examples(run.id, { sort: 'index', order: 'asc', limit: 50, offset: 0 })).total).toBe(0);
    openEvaluationDatabase(join(folder, 'llmops.db')).close();
    const page = await store.queries.examples(run.id, { sort: 'faithfulness', order: 'asc', limit: 50, offset: 0 });
    expect(page.items.map((row) => row.index)).toEqual([1, 4, 0, 3, 2]);
  });
});

/** A tracker that gives every run, however small, the full-text index. */
const indexingTracker = new SqliteRunTracker(database, {
  artifactRoot: join(folder, 'artifacts'),
  fullTextIndexMinimum: 1,
});

/** Stores a finished run of these results and answers its id. */
async function storeFinishedRun(results: ExampleResult[], tracker = store.tracker): Promise<string> {
  const draft: Omit<EvaluationRunRecord, 'id'> = {
    name: 'search and histograms',
    status: 'running',
    startedAt: 1_700_000_000_000,
    target: { kind: 'pipeline', name: 'kettle-help/1' },
    dataset: { name: 'qa', source: 'qa.jsonl', hash: 'c'.repeat(64), digest: 'c', examples: results.length },
    judge: 'scripted',
    metrics: ['faithfulness'],
    summary: summarizeResults([]),
    judgeStatistics: { calls: 0, cacheHits: 0, errors: 0 },
    tags: {},
    artifacts: {},
  };
  const id = await tracker.start(draft);
  await tracker.finish({ ...draft, id, status: 'finished', summary: summarizeResults(results) }, results, []);
  return id;
}

function resultOf(index: number, texts: { input: string; output: string }, faithfulness: number): ExampleResult {
  return {
    exampleId: `s${index}`,
    input: texts.input,
    tags: [],
    output: texts.output,
    retrievalContext: [],
    metrics: { faithfulness: { score: faithfulness } },
    latencyMs: 10,
  } as unknown as ExampleResult;
}

describe('SqliteRunQueries: search by the trigram index, stored histograms', () => {
  const texts = [
    { input: 'How do I DESCALE the kettle?', output: 'Use citric acid, then rinse.' },
    { input: 'Is limescale covered by the warranty?', output: 'No: "limescale damage" is excluded.' },
    { input: 'Café hours?', output: 'The café opens at 8.' },
    { input: 'Refund plan', output: 'Refunds take 14 days (see the plan).' },
    { input: 'Kelvin: 300 K', output: 'ok' },
  ];

  const queries = [
    'descale',
    'LIMESCALE',
    '"limescale damage"',
    'café',
    'CAFÉ',
    'é',
    'ok',
    'k',
    'refund',
    '14 d',
    'nothing here',
    ': 3',
  ];
  const searchable = texts.map((text) => asciiLowerCase([text.input, text.output, ''].join('\n')));
  const expectSameAsSubstringSearch = async (id: string, rows: readonly string[]) => {
    for (const text of queries) {
      const expected = rows.flatMap((search, index) => (search.includes(asciiLowerCase(text)) ? [index] : []));
      const found = await store.queries.examples(id, { sort: 'index', order: 'asc', limit: 50, offset: 0, text });
      expect({ text, indexes: found.items.map((row) => row.index), total: found.total }).toEqual({
        text,
        indexes: expected,
        total: expected.length,
      });
    }
  };
  const searchedRuns = () =>
    (database.prepare('SELECT run_id FROM evaluation_example_search_runs').all() as Array<{ run_id: string }>).map(
      (row) => row.run_id,
    );

  it('finds the same examples with the trigram index as by reading every text: long and short, quoted and accented', async () => {
    const indexed = await storeFinishedRun(
      texts.map((text, index) => resultOf(index, text, index / 4)),
      indexingTracker,
    );
    // A second indexed run with the same texts must not leak into the first one's results.
    await storeFinishedRun(
      texts.map((text, index) => resultOf(index, text, 1 - index / 4)),
      indexingTracker,
    );
    const scanned = await storeFinishedRun(texts.map((text, index) => resultOf(index, text, index / 4)));
    expect(searchedRuns()).toContain(indexed);
    expect(searchedRuns()).not.toContain(scanned);
    await expectSameAsSubstringSearch(indexed, searchable);
    await expectSameAsSubstringSearch(scanned, searchable);
    // Storing the run again replaces its rows in the full-text index too: the examples it lost are no longer found.
    const record = await store.tracker.get(indexed);
    await indexingTracker.finish(
      record,
      texts.slice(0, 2).map((text, index) => resultOf(index, text, 0.5)),
      [],
    );
    await expectSameAsSubstringSearch(indexed, searchable.slice(0, 2));
    // FTS5's own check that the index holds exactly the rows' text (it throws on a row deleted without its old text).
    expect(() =>
      database.exec(`INSERT INTO evaluation_example_search (evaluation_example_search) VALUES ('integrity-check')`),
    ).not.toThrow();
  });

  it('keeps a finished run’s histograms once computed, and forgets them when the run’s results are stored again', async () => {
    const results = texts.map((text, index) => resultOf(index, text, index / 4));
    const id = await storeFinishedRun(results);
    const stored = () =>
      database.prepare('SELECT bins FROM evaluation_run_histograms WHERE run_id = ? ORDER BY bins').all(id) as Array<{
        bins: number;
      }>;
    expect(stored()).toEqual([]);
    const first = await store.queries.histograms(id, 4);
    expect(first.faithfulness).toEqual({ edges: [0, 0.25, 0.5, 0.75, 1], counts: [1, 1, 1, 2] });
    expect(stored().map((row) => row.bins)).toEqual([4]);
    expect(await store.queries.histograms(id, 4)).toEqual(first);
    // What is served is what was stored: a changed row shows the reads come from the table.
    database
      .prepare('UPDATE evaluation_run_histograms SET histograms = ? WHERE run_id = ?')
      .run(JSON.stringify({ faithfulness: { edges: [0, 1], counts: [5] } }), id);
    expect((await store.queries.histograms(id, 4)).faithfulness).toEqual({ edges: [0, 1], counts: [5] });
    const record = await store.tracker.get(id);
    await store.tracker.finish(record, results.slice(0, 2), []);
    expect(stored()).toEqual([]);
    expect((await store.queries.histograms(id, 4)).faithfulness).toEqual({
      edges: [0, 0.25, 0.5, 0.75, 1],
      counts: [1, 1, 0, 0],
    });
  });

  it('answers histograms while another process holds the write lock, keeping them only once the file is free', async () => {
    const id = await storeFinishedRun(texts.map((text, index) => resultOf(index, text, index / 4)));
    const { timeout } = database.prepare('PRAGMA busy_timeout').get() as { timeout: number };
    const other = new DatabaseSync(join(folder, 'llmops.db'));
    other.exec('BEGIN IMMEDIATE');
    try {
      expect((await store.queries.histograms(id, 2)).faithfulness).toEqual({ edges: [0, 0.5, 1], counts: [2, 3] });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const kept = () => database.prepare('SELECT bins FROM evaluation_run_histograms WHERE run_id = ?').all(id);
    expect(kept()).toEqual([]);
    expect(database.prepare('PRAGMA busy_timeout').get()).toEqual({ timeout });
    await store.queries.histograms(id, 2);
    expect(kept().map((row) => (row as { bins: number }).bins)).toEqual([2]);
  });
});
