import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, relative, resolve } from 'node:path';
import { LlmopsError } from '../errors/llmops-error.js';

/** What {@link confinedPath} checks. */
export interface ConfinedPathOptions {
  /** The folder relative paths start from. */
  root: string;
  /** The path as given (relative to `root`, or absolute). */
  file: string;
  /** What the file is, for the error message (`dataset`, `gate file`). */
  what: string;
  /** When false, the path is only resolved (the CLI reads what its user names). */
  confine: boolean;
  /** Further folders files may be read from (the deployment's data roots, `LLMOPS_DATA_ROOTS`); absolute paths. */
  dataRoots?: readonly string[];
}

/** The variable listing a deployment's data roots: absolute folders, separated by the platform's path delimiter. */
export const dataRootsVariable = 'LLMOPS_DATA_ROOTS';

/**
 * The data roots a deployment configures in `LLMOPS_DATA_ROOTS` (absolute folders, `:`-separated on POSIX): folders
 * outside the workspace that specs and confs may name files in.
 * @throws LlmopsError `invalid_input` for a relative entry, naming the variable.
 */
export function dataRootsOf(env: Record<string, string | undefined>): string[] {
  const entries = (env[dataRootsVariable] ?? '').split(delimiter).filter((entry) => entry.trim() !== '');
  for (const entry of entries) {
    if (!isAbsolute(entry))
      throw new LlmopsError('invalid_input', `${dataRootsVariable}: "${entry}" is not an absolute folder`);
  }
  return entries;
}

function isInside(root: string, path: string): boolean {
  const fromRoot = relative(root, path);
  return fromRoot === '' || (!fromRoot.startsWith('..') && !isAbsolute(fromRoot));
}

/** True when `path` is a symbolic link (which may lead nowhere yet). */
function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * The real path of `path`, or of its nearest existing ancestor joined with the rest; a dangling link is followed to
 * where it points (a file written through it would land there).
 */
function realPathOf(path: string, depth = 0): string {
  if (existsSync(path)) return realpathSync(path);
  if (isLink(path) && depth < 40) return realPathOf(resolve(dirname(path), readlinkSync(path)), depth + 1);
  const parent = dirname(path);
  if (parent === path) return path;
  return resolve(realPathOf(parent, depth), relative(parent, path));
}

/**
 * Resolves a file named by a user against `root`; when confined, refuses it unless its real path
 * (symbolic links followed, at every level) is inside the real path of `root` or of one of `dataRoots`.
 * The file is never opened: errors name the path, never any content.
 * @throws LlmopsError `forbidden` naming the file and the folder files are read from.
 */
export function confinedPath(options: ConfinedPathOptions): string {
  const path = resolve(options.root, options.file);
  if (!options.confine) return path;
  const real = realPathOf(path);
  const roots = [options.root, ...(options.dataRoots ?? [])];
  if (!roots.some((root) => isInside(realPathOf(resolve(root)), real))) {
    const where = options.dataRoots?.length ? 'the workspace and data roots' : 'the folder files are read from';
    throw new LlmopsError('forbidden', `${options.what} ${options.file} is outside ${where}`);
  }
  return path;
}

/** What {@link confinedOperatorFile} checks. */
export interface ConfinedOperatorFileOptions {
  /** The workspace root (the working folder) relative paths start from. */
  root: string;
  /** The path as the operator or a conf gives it. */
  file: string;
  /** What the file is, for the error message (`conf`, `--context-file`, `guardrails file`). */
  what: string;
  /** The environment `LLMOPS_DATA_ROOTS` is read from. */
  env: Record<string, string | undefined>;
}

/**
 * The path of a file the operator names directly (a conf given to `llmops run` and the files it references, a
 * `--context-file`, a start-up policy file of `llmops serve` or the API), confined like {@link confinedPath} to the
 * workspace root or a data root of `LLMOPS_DATA_ROOTS`. The refusal goes to the operator (stderr, exit 2), not to an
 * API client, so it names the folders that are allowed; it never holds the file's content (the file is not opened).
 * @throws LlmopsError `forbidden` naming the file and the allowed folders; `invalid_input` for a relative data root.
 */
export function confinedOperatorFile(options: ConfinedOperatorFileOptions): string {
  const dataRoots = dataRootsOf(options.env);
  try {
    return confinedPath({ root: options.root, file: options.file, what: options.what, confine: true, dataRoots });
  } catch (error) {
    if (!LlmopsError.isInstance(error) || error.code !== 'forbidden') throw error;
    const allowed = [options.root, ...dataRoots].join(' or ');
    throw new LlmopsError(
      'forbidden',
      `${error.message}; expected a path inside ${allowed} once links are followed (${dataRootsVariable} adds folders)`,
      { cause: error },
    );
  }
}
