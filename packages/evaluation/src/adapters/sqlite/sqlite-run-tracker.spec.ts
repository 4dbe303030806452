import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTrackerConformanceCases } from '../../testing/run-tracker-conformance.js';
import { openEvaluationDatabase } from './evaluation-database.js';
import { SqliteRunTracker } from './sqlite-run-tracker.js';

const folder = mkdtempSync(join(tmpdir(), 'llmops-sqlite-tracker-'));
const database = openEvaluationDatabase(join(folder, 'llmops.db'));
const tracker = new SqliteRunTracker(database, { artifactRoot: join(folder, 'artifacts') });
let counter = 0;

describe('SqliteRunTracker (conformance)', () => {
  for (const testCase of runTrackerConformanceCases(() => tracker, { unique: (base) => `${base}-${(counter += 1)}` })) {
    it(testCase.name, testCase.run);
  }
});

describe('SqliteRunTracker', () => {
  it('writes artifacts under <artifactRoot>/<run>/ and keeps flat metrics queryable', async () => {
    const first = (await tracker.list({ status: 'finished' })).find(
      (run) => run.artifacts['report.html'] !== undefined,
    );
    expect(first).toBeDefined();
    const report = first?.artifacts['report.html'] as string;
    expect(report).toBe(join(folder, 'artifacts', first?.id ?? '', 'report.html'));
    expect(readFileSync(report, 'utf8')).toBe('<html></html>');
    const rows = database
      .prepare(
        "SELECT key, value FROM evaluation_metrics WHERE run_id = ? AND key IN ('faithfulness/mean', 'latency/p95', 'harmful_rate/privacy')",
      )
      .all(first?.id ?? '');
    expect(rows.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses an artifact path that leaves the run folder', async () => {
    const [latest] = await tracker.list({ limit: 1 });
    if (!latest) throw new Error('the conformance cases stored no run');
    const id = await tracker.start({ ...latest, status: 'running' });
    const record = await tracker.get(id);
    await expect(
      tracker.finish(record, [], [{ path: '../escape.txt', content: 'x', contentType: 'text/plain' }]),
    ).rejects.toThrow('artifact path ../escape.txt leaves the run');
    expect(existsSync(join(folder, 'artifacts', 'escape.txt'))).toBe(false);
  });

  it('shares the database file with other connections (WAL)', () => {
    const other = openEvaluationDatabase(join(folder, 'llmops.db'));
    const count = other.prepare('SELECT COUNT(*) AS runs FROM evaluation_runs').get() as { runs: number };
    expect(count.runs).toBeGreaterThan(0);
    expect((other.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe('wal');
    other.close();
  });
});
