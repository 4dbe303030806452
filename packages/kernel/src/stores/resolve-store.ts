import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../config/config-loader.js';
import { LlmopsError } from '../errors/llmops-error.js';
import { defaultStoreUri, parseStoreUri } from './store-uri.js';
import type { StoreLocation } from './store-uri.js';

/** The file that marks a project folder (a workspace) and may name its store. */
export const workspaceFileName = 'llmops.yaml';

/** The folder of the embedded store, which also marks a workspace. */
export const workspaceDataFolder = '.llmops';

/** `llmops.yaml`: the workspace file. Every key is optional; an empty file only marks the folder. */
export const workspaceFileSchema = z.strictObject({
  /** The store of this workspace (`sqlite:<path>`, relative to this file's folder, or an MLflow tracking URI). */
  store: z.string().min(1).optional(),
});
export type WorkspaceFile = z.infer<typeof workspaceFileSchema>;

/** A project folder found by walking up from the working folder. */
export interface Workspace {
  /** The absolute folder holding the marker. */
  root: string;
  /** What marked it: `llmops.yaml`, or an existing `.llmops/` folder. */
  marker: typeof workspaceFileName | typeof workspaceDataFolder;
}

/** Where the store was chosen from, highest precedence first. */
export type StoreSource = 'flag' | 'LLMOPS_STORE' | 'MLFLOW_TRACKING_URI' | 'workspace' | 'default';

/** The store a command works on, and why it is that one. */
export interface ResolvedStore {
  /**
   * The store URI to open from the working folder. A SQLite path of the workspace or the default store is relative
   * to the workspace root; it is written absolute when the working folder is a subfolder of that root.
   */
  uri: string;
  location: StoreLocation;
  source: StoreSource;
  /** One sentence: which store and why (`llmops config`, `doctor`). */
  reason: string;
  /** The workspace found above the working folder, or null. */
  workspace: Workspace | null;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Finds the workspace of `cwd`: the nearest folder, `cwd` itself or above it, holding `llmops.yaml` or a
 * `.llmops/` folder. Running from a subfolder of a project therefore uses the project's store.
 * @returns null when no folder up to the file-system root has either.
 */
export function findWorkspace(cwd: string): Workspace | null {
  for (let folder = resolve(cwd); ; folder = dirname(folder)) {
    if (existsSync(join(folder, workspaceFileName))) return { root: folder, marker: workspaceFileName };
    if (isDirectory(join(folder, workspaceDataFolder))) return { root: folder, marker: workspaceDataFolder };
    if (dirname(folder) === folder) return null;
  }
}

/** A SQLite URI relative to `root`, rewritten for the working folder `cwd` (absolute when they differ). */
function fromRoot(uri: string, root: string, cwd: string): string {
  const location = parseStoreUri(uri);
  if (location.kind !== 'sqlite' || location.path === ':memory:' || isAbsolute(location.path)) return uri;
  if (resolve(root) === resolve(cwd)) return uri;
  return `sqlite:${join(root, location.path)}`;
}

/** Options of {@link resolveStore}. */
export interface ResolveStoreOptions {
  /** `--store`, when given. */
  flag?: string | undefined;
  /** Read for `LLMOPS_STORE` and `MLFLOW_TRACKING_URI`. */
  env: Readonly<Record<string, string | undefined>>;
  /** The working folder. */
  cwd: string;
  /** `--create`: a SQLite store given by `--store` or `LLMOPS_STORE` may be created in a folder that does not exist. */
  create?: boolean;
}

/**
 * Chooses the store, first match wins: `--store`, `LLMOPS_STORE`, `MLFLOW_TRACKING_URI` (an MLflow server), the
 * `store` of the workspace's `llmops.yaml`, then the default `sqlite:.llmops/llmops.db` of the workspace (the
 * working folder when there is none). A SQLite store named by `--store` or `LLMOPS_STORE` whose folder does not
 * exist is refused unless `create` is set, so a typo never starts a new empty store.
 * @throws LlmopsError `invalid_input` for a malformed URI, a malformed `llmops.yaml`, or a missing store folder.
 */
export function resolveStore(options: ResolveStoreOptions): ResolvedStore {
  const { env, cwd } = options;
  const workspace = findWorkspace(cwd);
  const where = workspace ? `workspace ${workspace.root} (found by its ${workspace.marker})` : null;
  const explicit = (uri: string, source: StoreSource, reason: string): ResolvedStore => {
    const location = parseStoreUri(uri);
    if (location.kind === 'sqlite' && location.path !== ':memory:' && !options.create) {
      const folder = dirname(resolve(cwd, location.path));
      if (!existsSync(folder)) {
        throw new LlmopsError(
          'invalid_input',
          `store ${uri} (from ${source === 'flag' ? '--store' : source}): folder ${folder} does not exist; ` +
            'check the path, create the folder, or pass --create to start a new store there',
        );
      }
    }
    return { uri, location, source, reason, workspace };
  };
  const flag = options.flag?.trim();
  if (flag) return explicit(flag, 'flag', 'given by --store');
  const fromEnv = env['LLMOPS_STORE']?.trim();
  if (fromEnv) return explicit(fromEnv, 'LLMOPS_STORE', 'given by the LLMOPS_STORE variable');
  const tracking = env['MLFLOW_TRACKING_URI']?.trim();
  if (tracking) {
    if (!/^https?:\/\//.test(tracking)) {
      throw new LlmopsError(
        'invalid_input',
        `MLFLOW_TRACKING_URI "${tracking}" is not an http(s):// tracking server URL; llmops uses MLflow through its ` +
          'REST API only (set LLMOPS_STORE or --store to choose another store)',
      );
    }
    return explicit(tracking, 'MLFLOW_TRACKING_URI', 'given by the MLFLOW_TRACKING_URI variable (MLflow server)');
  }
  if (workspace?.marker === workspaceFileName) {
    const file = join(workspace.root, workspaceFileName);
    const settings: WorkspaceFile = loadConfig({ files: [file], env, schema: workspaceFileSchema });
    if (settings.store) {
      const uri = fromRoot(settings.store, workspace.root, cwd);
      return { uri, location: parseStoreUri(uri), source: 'workspace', reason: `the store of ${file}`, workspace };
    }
  }
  const uri = fromRoot(defaultStoreUri, workspace?.root ?? cwd, cwd);
  const reason = where
    ? `the default store of the ${where}`
    : `the default store of the working folder (no ${workspaceFileName} or ${workspaceDataFolder}/ here or above)`;
  return { uri, location: parseStoreUri(uri), source: 'default', reason, workspace };
}
