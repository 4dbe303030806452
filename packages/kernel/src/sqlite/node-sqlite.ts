import type * as NodeSqlite from 'node:sqlite';
import { LlmopsError } from '../errors/llmops-error.js';

/** The first Node.js release line where `node:sqlite` works without a flag. */
export const nodeSqliteMinimumVersion = '22.13.0';

let loaded: typeof NodeSqlite | undefined;

/**
 * Loads `node:sqlite` on first use instead of at import time, so a package that also offers an MLflow
 * store can be imported on a Node.js without `node:sqlite` (Node 20, or 22 before 22.13 without
 * `--experimental-sqlite`); only opening a SQLite store needs it.
 * @throws LlmopsError `unavailable` when this Node.js has no `node:sqlite`, naming the version that has it.
 */
export function loadNodeSqlite(): typeof NodeSqlite {
  if (loaded) return loaded;
  const found =
    typeof process.getBuiltinModule === 'function'
      ? (process.getBuiltinModule('node:sqlite') as typeof NodeSqlite | undefined)
      : undefined;
  if (!found?.DatabaseSync) {
    throw new LlmopsError(
      'unavailable',
      `the SQLite store needs node:sqlite, which this Node.js ${process.versions.node} does not provide; ` +
        `use Node.js ${nodeSqliteMinimumVersion} or newer, or an MLflow tracking URI (http://…) as the store`,
    );
  }
  loaded = found;
  return found;
}
