import { isAbsolute, join, resolve } from 'node:path';
import { parseStoreUri, sqliteWriterModeFromEnv } from '@llmops/kernel';
import { createMlflowClientFromEnv } from '@llmops/mlflow-client';
import type { EventStore } from '../ports.js';
import { MlflowEventTagWriter } from './mlflow/mlflow-event-tag-writer.js';
import { MlflowScoreWriter } from './mlflow/mlflow-score-writer.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';

/** Options of {@link openEventStore}. */
export interface OpenEventStoreOptions {
  /** The folder a relative `sqlite:` path (and `.llmops/monitoring.db`) is resolved against. */
  cwd: string;
  /** Where MLflow's own variables (`MLFLOW_TRACKING_TOKEN`, …) are read for an MLflow store; none by default. */
  env?: Record<string, string | undefined>;
  /**
   * For an MLflow store: resolves once the traces recorded so far are in MLflow (serving's trace queue `flush`); the
   * event tag writer awaits it before each batch. None by default (the writer then only retries a missing trace).
   */
  tracesWritten?: () => Promise<void>;
}

/** An opened event store and where it is, for messages. */
export interface OpenedEventStore {
  store: EventStore;
  /** The file the events are in. */
  location: string;
  /**
   * For an MLflow store: appends each event to MLflow as tags of its request's trace (a copy people see in MLflow's
   * UI; `store` stays the one reports read). Give it its own `BatchingEventQueue`.
   */
  mlflowTags?: MlflowEventTagWriter;
  /** For an MLflow store: attaches online evaluation scores to each request's trace as feedback assessments. */
  mlflowScores?: MlflowScoreWriter;
}

/**
 * The SQLite file monitoring keeps its tables in for a store URI: the embedded file itself for `sqlite:<path>`,
 * the local `.llmops/monitoring.db` beside an MLflow store.
 * @throws LlmopsError `invalid_input` for a malformed URI.
 */
export function monitoringDatabasePath(uri: string, options: OpenEventStoreOptions): string {
  const location = parseStoreUri(uri);
  if (location.kind === 'mlflow') return join(resolve(options.cwd), '.llmops', 'monitoring.db');
  return location.path === ':memory:' || isAbsolute(location.path)
    ? location.path
    : resolve(options.cwd, location.path);
}

/**
 * The event store a store URI names: the table `monitoring_events` of the embedded SQLite file for
 * `sqlite:<path>`. For an MLflow tracking URI the events go to the local `.llmops/monitoring.db`
 * (as the judge cache does), the store reports, SLOs and drift query, and are also appended to MLflow as
 * tags of each request's trace (`mlflowTags`), with online scores as feedback assessments (`mlflowScores`). The file is
 * written on the event loop, or on a writer thread when `LLMOPS_SQLITE_WRITER=thread`.
 * @throws LlmopsError `invalid_input` for a malformed URI, MLflow variable or `LLMOPS_SQLITE_WRITER` value,
 * `unavailable` when the file cannot be opened.
 */
export function openEventStore(uri: string, options: OpenEventStoreOptions): OpenedEventStore {
  const location = parseStoreUri(uri);
  const path = monitoringDatabasePath(uri, options);
  const writer = options.env ? sqliteWriterModeFromEnv(options.env) : undefined;
  const store = new SqliteEventStore({ path, ...(writer ? { writer } : {}) });
  if (location.kind !== 'mlflow') return { store, location: path };
  const writerOptions = {
    traces: createMlflowClientFromEnv({ ...options.env, MLFLOW_TRACKING_URI: location.trackingUri }).traces,
    ...(options.tracesWritten ? { tracesWritten: options.tracesWritten } : {}),
  };
  return {
    store,
    location: path,
    mlflowTags: new MlflowEventTagWriter(writerOptions),
    mlflowScores: new MlflowScoreWriter(writerOptions),
  };
}
