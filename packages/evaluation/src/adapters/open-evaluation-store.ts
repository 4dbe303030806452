import { join, resolve } from 'node:path';
import { parseStoreUri } from '@llmops/kernel';
import { createMlflowClientFromEnv } from '@llmops/mlflow-client';
import type { MlflowClientSettings } from '@llmops/mlflow-client';
import { AbandonedRunSweep } from '../application/abandoned-run-sweep.js';
import { TrackerRunQueries } from '../application/tracker-run-queries.js';
import type { JudgeCache, RunQueries, RunTracker } from '../ports.js';
import { MlflowRunTracker } from './mlflow/mlflow-run-tracker.js';
import { openEvaluationDatabase } from './sqlite/evaluation-database.js';
import { SqliteJudgeCache } from './sqlite/sqlite-judge-cache.js';
import { SqliteRunQueries } from './sqlite/sqlite-run-queries.js';
import { SqliteRunTracker } from './sqlite/sqlite-run-tracker.js';

/** Options of {@link openEvaluationStore}. */
export interface OpenEvaluationStoreOptions {
  /** `sqlite:<path>` or an MLflow tracking URI (`http(s)://…`). */
  storeUri: string;
  /** Relative SQLite paths and the local folder `.llmops/` are resolved from here. */
  cwd: string;
  /** MLflow credentials (`MLFLOW_TRACKING_USERNAME`/`PASSWORD` or `TOKEN`) are read from here. */
  env?: Record<string, string | undefined>;
  /** Overrides of the MLflow client (fetch, timeouts) for tests. */
  mlflow?: Partial<MlflowClientSettings>;
  /** The MLflow experiment of evaluation runs; `llmops-evaluations` by default. */
  experimentName?: string;
  /** Told the ids of runs found abandoned (their process died) and marked so on the store's first use. */
  onAbandoned?: (runIds: readonly string[]) => void;
}

function sweeping(tracker: RunTracker, options: OpenEvaluationStoreOptions): RunTracker {
  return new AbandonedRunSweep(tracker, options.onAbandoned ? { onAbandoned: options.onAbandoned } : {});
}

/** The run tracker and judge cache of a store, and how to close them. */
export interface EvaluationStore {
  tracker: RunTracker;
  /** The console's queries: in SQL on SQLite, in memory over the tracker on MLflow. */
  queries: RunQueries;
  cache: JudgeCache;
  /** Where local artifacts (and the SQLite store) live. */
  location: string;
  close(): void;
}

/**
 * Opens the evaluation store a store URI names. Its tracker marks `abandoned`, on its first use, the runs
 * still `running` whose heartbeat is stale (their process was killed): see {@link AbandonedRunSweep}. `sqlite:<path>`: runs, results and the judge cache in
 * that file, artifacts in `<folder of the file>/artifacts/evaluations/<run>/`. An MLflow URI: runs
 * and artifacts on the MLflow server, the judge cache in the local `.llmops/judge-cache.db`.
 * @throws LlmopsError `invalid_input` for a bad URI, `unavailable` when the SQLite file cannot be opened.
 */
export function openEvaluationStore(options: OpenEvaluationStoreOptions): EvaluationStore {
  const location = parseStoreUri(options.storeUri);
  if (location.kind === 'sqlite') {
    const path = location.path === ':memory:' ? ':memory:' : resolve(options.cwd, location.path);
    const database = openEvaluationDatabase(path);
    const folder = path === ':memory:' ? join(resolve(options.cwd), '.llmops') : resolve(path, '..');
    return {
      tracker: sweeping(
        new SqliteRunTracker(database, { artifactRoot: join(folder, 'artifacts', 'evaluations') }),
        options,
      ),
      queries: new SqliteRunQueries(database),
      cache: new SqliteJudgeCache(database),
      location: path,
      close: () => database.close(),
    };
  }
  const client = createMlflowClientFromEnv(
    { ...options.env, MLFLOW_TRACKING_URI: location.trackingUri },
    options.mlflow ?? {},
  );
  const cacheDatabase = openEvaluationDatabase(join(resolve(options.cwd), '.llmops', 'judge-cache.db'));
  const tracker = sweeping(
    new MlflowRunTracker(client, options.experimentName ? { experimentName: options.experimentName } : {}),
    options,
  );
  return {
    tracker,
    queries: new TrackerRunQueries(tracker),
    cache: new SqliteJudgeCache(cacheDatabase),
    location: location.trackingUri,
    close: () => cacheDatabase.close(),
  };
}
