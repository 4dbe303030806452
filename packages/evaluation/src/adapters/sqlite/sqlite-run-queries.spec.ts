import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
