import { isAbsolute, resolve } from 'node:path';
import { parseStoreUri, sqliteWriterModeFromEnv } from '@llmops/kernel';
import { createMlflowClientFromEnv } from '@llmops/mlflow-client';
import type { TraceReader, TraceSink } from '../ports.js';
import { MlflowTraceReader } from './mlflow/mlflow-trace-reader.js';
import { MlflowTraceSink } from './mlflow/mlflow-trace-sink.js';
import { SqliteTraceStore } from './sqlite/sqlite-trace-store.js';

/** Options of {@link openTraceStore}. */
export interface OpenTraceStoreOptions {
  /** The folder a relative `sqlite:` path is resolved against. */
  cwd: string;
  /** Where MLflow's own variables (`MLFLOW_TRACKING_TOKEN`, …) are read for an MLflow store. */
  env: Record<string, string | undefined>;
  /** The MLflow experiment traces go to; `llmops-serving` by default. */
  experimentName?: string;
}

/** Where a store keeps served traces: a sink to write them, and a reader to list them back. */
export interface OpenedTraceStore {
  sink: TraceSink;
  /** The store's reader: the embedded store's `traces` table, or MLflow's trace search in the sink's experiment. */
  reader: TraceReader;
  /** Where the traces are, for messages (`.llmops/llmops.db`, `MLflow experiment llmops-serving at …`). */
  location: string;
  /**
   * Traces per write that suit the store: few for the embedded SQLite file, whose writes are synchronous and hold the
   * event loop (a write of 100 random-id traces paused every request in flight for about 2 ms, the gateway's p99),
   * the batching queue's default for MLflow's HTTP endpoint.
   */
  batchSize?: number;
  close(): void;
}

/**
 * The trace store a store URI names: the `traces` table of the embedded SQLite file for
 * `sqlite:<path>`, MLflow's OTLP endpoint (experiment `llmops-serving`) for an MLflow tracking URI, each with its reader.
 * The SQLite store writes on the event loop, or on a writer thread when `LLMOPS_SQLITE_WRITER=thread`.
 * @throws LlmopsError `invalid_input` for a malformed URI or `LLMOPS_SQLITE_WRITER` value, `unavailable` when the SQLite
 * file cannot be opened.
 */
export function openTraceStore(uri: string, options: OpenTraceStoreOptions): OpenedTraceStore {
  const location = parseStoreUri(uri);
  if (location.kind === 'sqlite') {
    const path =
      location.path === ':memory:' || isAbsolute(location.path) ? location.path : resolve(options.cwd, location.path);
    const writer = sqliteWriterModeFromEnv(options.env);
    const store = new SqliteTraceStore({ path, ...(writer ? { writer } : {}) });
    return { sink: store, reader: store, location: location.path, batchSize: 20, close: () => store.close() };
  }
  const client = createMlflowClientFromEnv({ ...options.env, MLFLOW_TRACKING_URI: location.trackingUri });
  const sink = new MlflowTraceSink({
    client,
    ...(options.experimentName ? { experimentName: options.experimentName } : {}),
  });
  return {
    sink,
    reader: new MlflowTraceReader({ client, experiment: () => sink.experiment() }),
    // The origin only: a tracking URI may carry credentials, which never go into messages.
    location: `MLflow experiment ${sink.experimentName} at ${new URL(location.trackingUri).origin}`,
    close: () => undefined,
  };
}
