import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config/config-loader.js';
import { confinedOperatorFile } from '../files/confined-path.js';
import { credentialsFileSchema, ProviderCredentials } from './provider-credentials.js';

/** The credentials file a workspace declares its provider keys in, when it has one. */
export const defaultCredentialsFile = 'confs/credentials.yaml';

/** Options of {@link loadProviderCredentials}. */
export interface LoadProviderCredentialsOptions {
  /** The workspace root; the file is resolved from it and must stay inside it. */
  root: string;
  /** The environment (`LLMOPS_PROVIDER_KEY_*` declarations); only names and hosts are read here, never a key. */
  env: Record<string, string | undefined>;
  /** The credentials file; {@link defaultCredentialsFile} when it exists. */
  file?: string;
}

/**
 * The provider credentials of a workspace: its credentials file (the default one when present), the
 * `LLMOPS_PROVIDER_KEY_*` variables of `env`, and the built-in OpenAI credential.
 * @throws LlmopsError `invalid_input` for a malformed file (file, line and field named) or `_HOSTS` variable;
 * `forbidden` for a file outside the workspace and data roots (symbolic links followed).
 */
export function loadProviderCredentials(options: LoadProviderCredentialsOptions): ProviderCredentials {
  const named =
    options.file ?? (existsSync(resolve(options.root, defaultCredentialsFile)) ? defaultCredentialsFile : undefined);
  if (named === undefined) return ProviderCredentials.from({ env: options.env });
  const path = confinedOperatorFile({ root: options.root, file: named, what: 'credentials file', env: options.env });
  const file = loadConfig({
    files: [named],
    schema: credentialsFileSchema,
    env: {},
    readFile: () => readFileSync(path, 'utf8'),
  });
  return ProviderCredentials.from({ env: options.env, file, fileName: named });
}
