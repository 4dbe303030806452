import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { LlmopsError } from '@llmops/kernel';
import type { EvaluationRunRecord } from '../../domain/evaluation-run.js';
import type { ExampleResult } from '../../domain/example-result.js';
import { isMetricName } from '../../domain/metric-catalog.js';
import type { MetricName } from '../../domain/metric-catalog.js';
import { asciiLowerCase, histogramEdges } from '../../domain/run-browsing.js';
import type { ExampleQuery, IndexedExample, MetricHistogram, Page, RunSearch } from '../../domain/run-browsing.js';
import type { RunQueries } from '../../ports.js';

/** A `WHERE` clause and its values. */
interface Condition {
  sql: string;
  values: SQLInputValue[];
}

function runConditions(search: RunSearch): Condition {
  const parts: string[] = [];
  const values: SQLInputValue[] = [];
  if (search.model !== undefined) {
    parts.push(
      "(model_name = ? OR model_name || '/' || model_version = ? OR json_extract(record, '$.target.modelRef') = ?)",
    );
    values.push(search.model, search.model, search.model);
  }
  if (search.dataset !== undefined) {
    parts.push('dataset_name = ?');
    values.push(search.dataset);
  }
  if (search.status !== undefined) {
    parts.push('status = ?');
    values.push(search.status);
  }
  if (search.verdict !== undefined) {
    const passed = "json_extract(record, '$.gates.passed')";
    parts.push(search.verdict === 'none' ? `${passed} IS NULL` : `${passed} = ${search.verdict === 'passed' ? 1 : 0}`);
  }
  if (search.text !== undefined) {
    parts.push('instr(lower(name), ?) > 0');
    values.push(asciiLowerCase(search.text));
  }
  return { sql: parts.length === 0 ? '' : `WHERE ${parts.join(' AND ')}`, values };
}

/**
 * The console's queries in SQL on the embedded store (the tables of `SqliteRunTracker` and its example index): a page of
 * examples is sorted, filtered and counted by SQLite, and only that page's results are read and parsed.
 */
export class SqliteRunQueries implements RunQueries {
  constructor(private readonly database: DatabaseSync) {}

  private requireRun(runId: string): void {
    if (!this.database.prepare('SELECT 1 FROM evaluation_runs WHERE id = ?').get(runId))
      throw new LlmopsError('not_found', `evaluation run ${runId} not found in the SQLite store`);
  }

  async listRuns(search: RunSearch): Promise<Page<EvaluationRunRecord>> {
    const where = runConditions(search);
    const rows = this.database
      .prepare(`SELECT record FROM evaluation_runs ${where.sql} ORDER BY started_at DESC, rowid DESC LIMIT ? OFFSET ?`)
      .all(...where.values, search.limit, search.offset) as Array<{ record: string }>;
    const { total } = this.database
      .prepare(`SELECT COUNT(*) AS total FROM evaluation_runs ${where.sql}`)
      .get(...where.values) as { total: number };
    return { items: rows.map((row) => JSON.parse(row.record) as EvaluationRunRecord), total };
  }

  async examples(runId: string, query: ExampleQuery): Promise<Page<IndexedExample>> {
    this.requireRun(runId);
    const parts = ['i.run_id = ?'];
    const values: SQLInputValue[] = [runId];
    if (query.text !== undefined) {
      parts.push('instr(i.search, ?) > 0');
      values.push(asciiLowerCase(query.text));
    }
    if (query.failed !== undefined) parts.push(query.failed ? 'i.passed = 0' : 'i.passed IS NOT 0');
    const direction = query.order === 'desc' ? 'DESC' : 'ASC';
    const byMetric = query.sort !== 'index';
    const join = byMetric
      ? 'LEFT JOIN evaluation_example_scores s ON s.run_id = i.run_id AND s.metric = ? AND s.position = i.position'
      : '';
    const joinValues: SQLInputValue[] = byMetric ? [query.sort] : [];
    const order = byMetric ? `s.score IS NULL, s.score ${direction}, i.position` : `i.position ${direction}`;
    const where = parts.join(' AND ');
    const page = this.database
      .prepare(
        `SELECT i.position AS position, i.passed AS passed FROM evaluation_example_index i ${join} WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`,
      )
      .all(...joinValues, ...values, query.limit, query.offset) as Array<{ position: number; passed: number | null }>;
    const { total } = this.database
      .prepare(`SELECT COUNT(*) AS total FROM evaluation_example_index i WHERE ${where}`)
      .get(...values) as { total: number };
    const results = this.resultsAt(
      runId,
      page.map((row) => row.position),
    );
    return {
      items: page.map((row) => ({
        index: row.position,
        result: results.get(row.position) as ExampleResult,
        passed: row.passed === null ? null : row.passed === 1,
      })),
      total,
    };
  }

  private resultsAt(runId: string, positions: readonly number[]): Map<number, ExampleResult> {
    if (positions.length === 0) return new Map();
    const rows = this.database
      .prepare(
        `SELECT position, result FROM evaluation_results WHERE run_id = ? AND position IN (${positions.map(() => '?').join(', ')})`,
      )
      .all(runId, ...positions) as Array<{ position: number; result: string }>;
    return new Map(rows.map((row) => [row.position, JSON.parse(row.result) as ExampleResult]));
  }

  async example(runId: string, index: number): Promise<IndexedExample> {
    this.requireRun(runId);
    const row = this.database
      .prepare('SELECT passed FROM evaluation_example_index WHERE run_id = ? AND position = ?')
      .get(runId, index) as { passed: number | null } | undefined;
    const result = this.resultsAt(runId, [index]).get(index);
    if (!row || !result) throw new LlmopsError('not_found', `evaluation run ${runId} has no example at index ${index}`);
    return { index, result, passed: row.passed === null ? null : row.passed === 1 };
  }

  async histograms(runId: string, bins: number): Promise<Partial<Record<MetricName, MetricHistogram>>> {
    this.requireRun(runId);
    const ranges = this.database
      .prepare(
        'SELECT metric, MIN(score) AS low, MAX(score) AS high FROM evaluation_example_scores WHERE run_id = ? AND score IS NOT NULL GROUP BY metric',
      )
      .all(runId) as Array<{ metric: string; low: number; high: number }>;
    const countBins = this.database.prepare(
      'SELECT MIN(?, MAX(0, CAST((score - ?) / ? AS INTEGER))) AS bin, COUNT(*) AS count FROM evaluation_example_scores WHERE run_id = ? AND metric = ? AND score IS NOT NULL GROUP BY bin',
    );
    const histograms: Partial<Record<MetricName, MetricHistogram>> = {};
    for (const range of ranges) {
      if (!isMetricName(range.metric)) continue;
      const edges = histogramEdges(range.metric, { min: range.low, max: range.high }, bins);
      const low = edges[0] as number;
      const width = ((edges[bins] as number) - low) / bins;
      const counts = new Array<number>(bins).fill(0);
      const rows = countBins.all(bins - 1, low, width, runId, range.metric) as Array<{ bin: number; count: number }>;
      for (const row of rows) counts[row.bin] = row.count;
      histograms[range.metric] = { edges, counts };
    }
    return histograms;
  }
}
