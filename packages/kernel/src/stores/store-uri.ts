import { LlmopsError } from '../errors/llmops-error.js';

/** Where llmops keeps registry and tracking data: an embedded SQLite file or an MLflow server. */
export type StoreLocation = { kind: 'sqlite'; path: string } | { kind: 'mlflow'; trackingUri: string };

/** The embedded default store. */
export const defaultStoreUri = 'sqlite:.llmops/llmops.db';

/**
 * Parses a store URI: `sqlite:<path>` (`sqlite::memory:` for a throw-away store) or an MLflow
 * tracking URI `http(s)://host[:port][/path]`.
 * @throws LlmopsError `invalid_input` saying what forms are expected.
 */
export function parseStoreUri(uri: string): StoreLocation {
  if (uri.startsWith('sqlite:')) {
    const path = uri.slice('sqlite:'.length);
    if (path.length === 0)
      throw new LlmopsError('invalid_input', `store "${uri}" has no file path; expected sqlite:<path>`);
    return { kind: 'sqlite', path };
  }
  if (/^https?:\/\//.test(uri)) {
    try {
      const url = new URL(uri);
      return { kind: 'mlflow', trackingUri: url.toString().replace(/\/$/, '') };
    } catch (cause) {
      throw new LlmopsError('invalid_input', `store "${uri}" is not a valid URL`, { cause });
    }
  }
  throw new LlmopsError(
    'invalid_input',
    `store "${uri}" is neither sqlite:<path> nor an http(s):// MLflow tracking URI`,
  );
}
