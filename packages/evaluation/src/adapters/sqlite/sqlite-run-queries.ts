import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { LlmopsError } from '@llmops/kernel';
import type { EvaluationRunRecord } from '../../domain/evaluation-run.js';
import type { ExampleResult } from '../../domain/example-result.js';
import { isMetricName, metricNames } from '../../domain/metric-catalog.js';
import type { MetricName } from '../../domain/metric-catalog.js';
import { asciiLowerCase, histogramEdges } from '../../domain/run-browsing.js';
import type { ExampleQuery, IndexedExample, MetricHistogram, Page, RunSearch } from '../../domain/run-browsing.js';
import { emptyScoreColumn } from '../../domain/run-scores.js';
import type { RunScores } from '../../domain/run-scores.js';
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

/** The trigram tokenizer's unit: the full-text index finds only texts of at least this many characters. */
const trigramLength = 3;

/** A text as one FTS5 phrase (a string in double quotes, its quotes doubled): matched as a substring by the trigram index. */
function ftsPhrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/**
 * A run's histograms from the score index: MIN and MAX are one step each in it; each bin is a range count in it (no
 * sort, no grouping).
 */
function computeHistograms(
  database: DatabaseSync,
  runId: string,
  bins: number,
): Partial<Record<MetricName, MetricHistogram>> {
  const scores = 'FROM evaluation_example_scores WHERE run_id = ? AND metric = ? AND score IS NOT NULL';
  const lowest = database.prepare(`SELECT MIN(score) AS value ${scores}`);
  const highest = database.prepare(`SELECT MAX(score) AS value ${scores}`);
  const below = database.prepare(`SELECT COUNT(*) AS count ${scores} AND score < ?`);
  const between = database.prepare(`SELECT COUNT(*) AS count ${scores} AND score >= ? AND score < ?`);
  const above = database.prepare(`SELECT COUNT(*) AS count ${scores} AND score >= ?`);
  const all = database.prepare(`SELECT COUNT(*) AS count ${scores}`);
  const histograms: Partial<Record<MetricName, MetricHistogram>> = {};
  for (const metric of metricNames) {
    const min = (lowest.get(runId, metric) as { value: number | null }).value;
    const max = (highest.get(runId, metric) as { value: number | null }).value;
    if (min === null || max === null) continue;
    const edges = histogramEdges(metric, { min, max }, bins);
    const counts = Array.from({ length: bins }, (_, bin) => {
      const lower = edges[bin] as number;
      const upper = edges[bin + 1] as number;
      const row =
        bins === 1
          ? all.get(runId, metric)
          : bin === 0
            ? below.get(runId, metric, upper)
            : bin === bins - 1
              ? above.get(runId, metric, lower)
              : between.get(runId, metric, lower, upper);
      return (row as { count: number }).count;
    });
    histograms[metric] = { edges, counts };
  }
  return histograms;
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

  /**
   * The positions of a page sorted by a metric without filters, walked in the score index (ascending, or the
   * descending one) so that a page of a large run reads `offset + limit` index entries instead of sorting the run:
   * examples with a score first, then the others in the dataset's order.
   */
  private positionsByScore(runId: string, query: ExampleQuery & { sort: MetricName }): number[] {
    const direction = query.order === 'desc' ? 'DESC' : 'ASC';
    const positions = (
      this.database
        .prepare(
          `SELECT position FROM evaluation_example_scores WHERE run_id = ? AND metric = ? AND score IS NOT NULL ORDER BY score ${direction}, position LIMIT ? OFFSET ?`,
        )
        .all(runId, query.sort, query.limit, query.offset) as Array<{ position: number }>
    ).map((row) => row.position);
    const remaining = query.limit - positions.length;
    if (remaining === 0) return positions;
    // The scored examples ran out on this page (or before it): count them only then, to know where the rest starts.
    const scored =
      positions.length > 0
        ? query.offset + positions.length
        : (
            this.database
              .prepare(
                'SELECT COUNT(*) AS scored FROM evaluation_example_scores WHERE run_id = ? AND metric = ? AND score IS NOT NULL',
              )
              .get(runId, query.sort) as { scored: number }
          ).scored;
    if (remaining > 0) {
      const rows = this.database
        .prepare(
          'SELECT i.position AS position FROM evaluation_example_index i WHERE i.run_id = ? AND NOT EXISTS (SELECT 1 FROM evaluation_example_scores s WHERE s.run_id = i.run_id AND s.metric = ? AND s.position = i.position AND s.score IS NOT NULL) ORDER BY i.position LIMIT ? OFFSET ?',
        )
        .all(runId, query.sort, remaining, Math.max(0, query.offset - scored)) as Array<{ position: number }>;
      positions.push(...rows.map((row) => row.position));
    }
    return positions;
  }

  async examples(runId: string, query: ExampleQuery): Promise<Page<IndexedExample>> {
    this.requireRun(runId);
    if (query.text === undefined && query.failed === undefined) {
      if (query.sort !== 'index')
        return this.page(runId, this.positionsByScore(runId, { ...query, sort: query.sort }), {});
      // Unfiltered, in the dataset's order: a run's positions are 0..n-1, so the page is a range of them.
      const { count } = this.database
        .prepare('SELECT COUNT(*) AS count FROM evaluation_example_index WHERE run_id = ?')
        .get(runId) as { count: number };
      const first = Math.min(count, query.offset);
      const positions = Array.from({ length: Math.max(0, Math.min(query.limit, count - first)) }, (_, step) =>
        query.order === 'desc' ? count - 1 - first - step : first + step,
      );
      return this.page(runId, positions, {});
    }
    const parts = ['i.run_id = ?'];
    const values: SQLInputValue[] = [runId];
    if (query.text !== undefined) {
      const text = asciiLowerCase(query.text);
      const ids = [...text].length >= trigramLength ? this.searchedIdRange(runId) : undefined;
      if (ids) {
        // The trigram index finds the rows holding the text (case-sensitive, over text already lower-cased: the
        // same rows as `instr`), within the run's ids; read once, then the page and the count use the ids found.
        const found = this.database
          .prepare(
            'SELECT rowid AS id FROM evaluation_example_search WHERE evaluation_example_search MATCH ? AND rowid BETWEEN ? AND ?',
          )
          .all(ftsPhrase(text), ids.first, ids.last) as Array<{ id: number }>;
        parts.push('i.id IN (SELECT value FROM json_each(?))');
        values.push(JSON.stringify(found.map((row) => row.id)));
      } else {
        // A run without the full-text index (under 10,000 examples), or a text shorter than a trigram: every example's
        // text is read.
        parts.push('instr(i.search, ?) > 0');
        values.push(text);
      }
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
        `SELECT i.position AS position FROM evaluation_example_index i ${join} WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`,
      )
      .all(...joinValues, ...values, query.limit, query.offset) as Array<{ position: number }>;
    return this.page(
      runId,
      page.map((row) => row.position),
      { where, values },
    );
  }

  /** The lowest and highest id of a run's example rows when the run has the full-text index, else `undefined`. */
  private searchedIdRange(runId: string): { first: number; last: number } | undefined {
    if (!this.database.prepare('SELECT 1 FROM evaluation_example_search_runs WHERE run_id = ?').get(runId))
      return undefined;
    const row = this.database
      .prepare('SELECT MIN(id) AS first, MAX(id) AS last FROM evaluation_example_index WHERE run_id = ?')
      .get(runId) as { first: number | null; last: number | null };
    return row.first === null || row.last === null ? undefined : { first: row.first, last: row.last };
  }

  /** The results and verdicts at the positions of a page, in that order, and how many examples match the filters. */
  private page(
    runId: string,
    positions: readonly number[],
    filter: { where?: string; values?: SQLInputValue[] },
  ): Page<IndexedExample> {
    const { total } = this.database
      .prepare(`SELECT COUNT(*) AS total FROM evaluation_example_index i WHERE ${filter.where ?? 'i.run_id = ?'}`)
      .get(...(filter.values ?? [runId])) as { total: number };
    const results = this.resultsAt(runId, positions);
    const verdicts = this.verdictsAt(runId, positions);
    return {
      items: positions.map((position) => ({
        index: position,
        result: results.get(position) as ExampleResult,
        passed: verdicts.get(position) ?? null,
      })),
      total,
    };
  }

  private verdictsAt(runId: string, positions: readonly number[]): Map<number, boolean | null> {
    if (positions.length === 0) return new Map();
    const rows = this.database
      .prepare(
        `SELECT position, passed FROM evaluation_example_index WHERE run_id = ? AND position IN (${positions.map(() => '?').join(', ')})`,
      )
      .all(runId, ...positions) as Array<{ position: number; passed: number | null }>;
    return new Map(rows.map((row) => [row.position, row.passed === null ? null : row.passed === 1]));
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

  /**
   * A run's histograms: stored in `evaluation_run_histograms` once computed (a run's scores never change once its
   * results are stored; storing them again forgets the histograms), computed from the score index on the first read.
   */
  async histograms(runId: string, bins: number): Promise<Partial<Record<MetricName, MetricHistogram>>> {
    this.requireRun(runId);
    const stored = this.database
      .prepare('SELECT histograms FROM evaluation_run_histograms WHERE run_id = ? AND bins = ?')
      .get(runId, bins) as { histograms: string } | undefined;
    if (stored) return JSON.parse(stored.histograms) as Partial<Record<MetricName, MetricHistogram>>;
    const histograms = computeHistograms(this.database, runId, bins);
    // A run without results yet (still running) has nothing to keep. A read does not wait for another writer's lock
    // (busy timeout 0 for this write): when the file is busy, nothing is kept and the next read computes again.
    if (Object.keys(histograms).length > 0) {
      const { timeout } = this.database.prepare('PRAGMA busy_timeout').get() as { timeout: number };
      try {
        this.database.exec('PRAGMA busy_timeout = 0');
        this.database
          .prepare('INSERT OR REPLACE INTO evaluation_run_histograms (run_id, bins, histograms) VALUES (?, ?, ?)')
          .run(runId, bins, JSON.stringify(histograms));
      } catch {
        // Computed again on the next read.
      } finally {
        this.database.exec(`PRAGMA busy_timeout = ${Number(timeout)}`);
      }
    }
    return histograms;
  }

  /** From the example ids of the results table and the score index: no result's JSON is read or parsed. */
  async scores(runId: string): Promise<RunScores> {
    this.requireRun(runId);
    const exampleIds = (
      this.database
        .prepare('SELECT example_id FROM evaluation_results WHERE run_id = ? ORDER BY position')
        .all(runId) as Array<{ example_id: string }>
    ).map((row) => row.example_id);
    const scores: RunScores['scores'] = {};
    const rows = this.database
      .prepare('SELECT metric, position, score FROM evaluation_example_scores WHERE run_id = ? AND score IS NOT NULL')
      .all(runId) as Array<{ metric: string; position: number; score: number }>;
    for (const { metric, position, score } of rows) {
      if (!isMetricName(metric) || position >= exampleIds.length) continue;
      (scores[metric] ??= emptyScoreColumn(exampleIds.length))[position] = score;
    }
    return { exampleIds, scores };
  }
}
