import { isAbsolute, resolve } from 'node:path';
import { parseStoreUri } from '@llmops/kernel';
import { createMlflowClientFromEnv } from '@llmops/mlflow-client';
import type { MlflowClientSettings } from '@llmops/mlflow-client';
import { MlflowRegistryStore } from './adapters/mlflow/mlflow-registry-store.js';
import { SqliteRegistryStore } from './adapters/sqlite/sqlite-registry-store.js';
import type { RegistryStore } from './ports.js';

/** Options of {@link createRegistryStore}. */
export interface CreateRegistryStoreOptions {
  /** The folder a relative `sqlite:` path is resolved against; the process's working folder by default. */
  cwd?: string;
  /**
   * Where MLflow's own variables are read from for an MLflow store (`MLFLOW_TRACKING_TOKEN`, or
   * `MLFLOW_TRACKING_USERNAME` + `MLFLOW_TRACKING_PASSWORD`, `MLFLOW_HTTP_REQUEST_TIMEOUT`,
   * `MLFLOW_HTTP_REQUEST_MAX_RETRIES`); `process.env` by default. The tracking URI is the store URI.
   */
  env?: Record<string, string | undefined>;
  /** Overrides of the MLflow client's settings (for example `fetch` or `timeoutMs`). */
  mlflow?: Partial<MlflowClientSettings>;
}

/**
 * Opens the registry store a store URI names: `sqlite:<path>` (the embedded default) or an MLflow
 * tracking URI `http(s)://…` (nothing is requested until the first call).
 * @throws LlmopsError `invalid_input` for a malformed URI or MLflow variable, `unavailable` when a
 * SQLite store cannot be opened.
 */
export function createRegistryStore(uri: string, options: CreateRegistryStoreOptions = {}): RegistryStore {
  const location = parseStoreUri(uri);
  if (location.kind === 'sqlite') {
    const path =
      location.path === ':memory:' || isAbsolute(location.path)
        ? location.path
        : resolve(options.cwd ?? process.cwd(), location.path);
    return new SqliteRegistryStore({ path, uri });
  }
  const env = { ...(options.env ?? process.env), MLFLOW_TRACKING_URI: location.trackingUri };
  return new MlflowRegistryStore({ client: createMlflowClientFromEnv(env, options.mlflow) });
}
