import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { LlmopsError } from '@llmops/kernel';
import type { EvaluationRunRecord } from '../../domain/evaluation-run.js';
import type { ExampleResult } from '../../domain/example-result.js';
import { flattenSummary } from '../../domain/metric-keys.js';
import { writeExampleIndex } from './sqlite-example-index.js';
import type { ExampleIndexOptions } from './sqlite-example-index.js';
import { abandonedReason, isRunStale } from '../../domain/run-heartbeat.js';
import type { RunArtifact, RunListFilter, RunTracker } from '../../ports.js';

/** Settings of {@link SqliteRunTracker}. */
export interface SqliteRunTrackerOptions {
  /** Folder under which each run's artifacts go, in `<artifactRoot>/<runId>/`, for example `.llmops/artifacts/evaluations`. */
  artifactRoot: string;
  /** Runs of at least this many examples get the full-text index of their examples' text; 10,000 by default. */
  fullTextIndexMinimum?: number;
}

interface RunRow {
  record: string;
}

/**
 * Tracks evaluation runs in SQLite (the embedded default): one row per run holding its record, its
 * flat metrics (`faithfulness/mean`, `latency/p95`…) in `evaluation_metrics` for queries, its
 * per-example results in `evaluation_results`, and its artifacts as files under `artifactRoot`.
 */
export class SqliteRunTracker implements RunTracker {
  readonly kind = 'sqlite';
  private readonly artifactRoot: string;
  private readonly indexOptions: ExampleIndexOptions;

  constructor(
    private readonly database: DatabaseSync,
    options: SqliteRunTrackerOptions,
  ) {
    this.artifactRoot = resolve(options.artifactRoot);
    this.indexOptions =
      options.fullTextIndexMinimum === undefined ? {} : { fullTextIndexMinimum: options.fullTextIndexMinimum };
  }

  async start(run: Omit<EvaluationRunRecord, 'id'>): Promise<string> {
    const id = randomUUID().replace(/-/g, '');
    const record: EvaluationRunRecord = { ...run, id };
    this.database
      .prepare(
        'INSERT INTO evaluation_runs (id, name, status, started_at, finished_at, model_name, model_version, dataset_name, dataset_hash, judge, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        id,
        record.name,
        record.status,
        record.startedAt,
        record.finishedAt ?? null,
        record.target.modelName ?? null,
        record.target.modelVersion ?? null,
        record.dataset.name,
        record.dataset.hash,
        record.judge,
        JSON.stringify(record),
      );
    return id;
  }

  async finish(
    run: EvaluationRunRecord,
    results: readonly ExampleResult[],
    artifacts: readonly RunArtifact[],
  ): Promise<EvaluationRunRecord> {
    await this.get(run.id);
    const folder = join(this.artifactRoot, run.id);
    const locations: Record<string, string> = { ...run.artifacts };
    for (const artifact of artifacts) {
      if (artifact.path.split(/[\\/]/).includes('..'))
        throw new LlmopsError('invalid_input', `artifact path ${artifact.path} leaves the run's folder`);
      const file = join(folder, artifact.path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, artifact.content);
      locations[artifact.path] = file;
    }
    const record: EvaluationRunRecord = { ...run, artifacts: locations };
    const metrics = flattenSummary(record.summary);
    this.database.exec('BEGIN IMMEDIATE');
    try {
      this.database
        .prepare('UPDATE evaluation_runs SET status = ?, finished_at = ?, record = ? WHERE id = ?')
        .run(record.status, record.finishedAt ?? null, JSON.stringify(record), record.id);
      this.database.prepare('DELETE FROM evaluation_metrics WHERE run_id = ?').run(record.id);
      const insertMetric = this.database.prepare(
        'INSERT INTO evaluation_metrics (run_id, key, value) VALUES (?, ?, ?)',
      );
      for (const [key, value] of Object.entries(metrics)) insertMetric.run(record.id, key, value);
      this.database.prepare('DELETE FROM evaluation_results WHERE run_id = ?').run(record.id);
      const insertResult = this.database.prepare(
        'INSERT INTO evaluation_results (run_id, position, example_id, result) VALUES (?, ?, ?, ?)',
      );
      results.forEach((result, position) =>
        insertResult.run(record.id, position, result.exampleId, JSON.stringify(result)),
      );
      writeExampleIndex(this.database, { runId: record.id, results }, this.indexOptions);
      this.database.exec('COMMIT');
    } catch (error) {
      this.database.exec('ROLLBACK');
      throw LlmopsError.fromUnknown(error, 'evaluation store: cannot store the run');
    }
    return record;
  }

  async get(runId: string): Promise<EvaluationRunRecord> {
    const row = this.database.prepare('SELECT record FROM evaluation_runs WHERE id = ?').get(runId) as
      RunRow | undefined;
    if (!row) throw new LlmopsError('not_found', `evaluation run ${runId} not found in the SQLite store`);
    return JSON.parse(row.record) as EvaluationRunRecord;
  }

  async results(runId: string): Promise<ExampleResult[]> {
    await this.get(runId);
    const rows = this.database
      .prepare('SELECT result FROM evaluation_results WHERE run_id = ? ORDER BY position')
      .all(runId) as Array<{ result: string }>;
    return rows.map((row) => JSON.parse(row.result) as ExampleResult);
  }

  async heartbeat(runId: string, at: number): Promise<void> {
    this.database
      .prepare(
        "UPDATE evaluation_runs SET record = json_set(record, '$.heartbeatAt', ?) WHERE id = ? AND status = 'running'",
      )
      .run(at, runId);
  }

  async abandonStaleRuns(now: number): Promise<string[]> {
    const abandoned: string[] = [];
    // One write transaction: a run finishing at the same moment is either seen finished or overwritten by its finish.
    this.database.exec('BEGIN IMMEDIATE');
    try {
      const rows = this.database
        .prepare("SELECT record FROM evaluation_runs WHERE status = 'running'")
        .all() as unknown as RunRow[];
      const update = this.database.prepare(
        "UPDATE evaluation_runs SET status = 'abandoned', finished_at = ?, record = ? WHERE id = ? AND status = 'running'",
      );
      for (const row of rows) {
        const run = JSON.parse(row.record) as EvaluationRunRecord;
        if (!isRunStale(run, now)) continue;
        const finishedAt = run.heartbeatAt ?? run.startedAt;
        const record: EvaluationRunRecord = { ...run, status: 'abandoned', finishedAt, error: abandonedReason(run) };
        update.run(finishedAt, JSON.stringify(record), run.id);
        abandoned.push(run.id);
      }
      this.database.exec('COMMIT');
    } catch (error) {
      this.database.exec('ROLLBACK');
      throw LlmopsError.fromUnknown(error, 'evaluation store: cannot mark abandoned runs');
    }
    return abandoned;
  }

  async list(filter: RunListFilter = {}): Promise<EvaluationRunRecord[]> {
    const conditions: string[] = [];
    const values: Array<string | number> = [];
    if (filter.modelName !== undefined) {
      conditions.push('model_name = ?');
      values.push(filter.modelName);
    }
    if (filter.modelVersion !== undefined) {
      conditions.push('model_version = ?');
      values.push(filter.modelVersion);
    }
    if (filter.status !== undefined) {
      conditions.push('status = ?');
      values.push(filter.status);
    }
    values.push(filter.limit ?? 50);
    const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
    const rows = this.database
      .prepare(`SELECT record FROM evaluation_runs ${where} ORDER BY started_at DESC, rowid DESC LIMIT ?`)
      .all(...values) as unknown as RunRow[];
    return rows.map((row) => JSON.parse(row.record) as EvaluationRunRecord);
  }
}
