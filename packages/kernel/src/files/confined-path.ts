import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
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
}

function isInside(root: string, path: string): boolean {
  const fromRoot = relative(root, path);
  return fromRoot === '' || (!fromRoot.startsWith('..') && !isAbsolute(fromRoot));
}

/** The real path of `path`, or of its nearest existing ancestor joined with the rest. */
function realPathOf(path: string): string {
  if (existsSync(path)) return realpathSync(path);
  const parent = dirname(path);
  if (parent === path) return path;
  return resolve(realPathOf(parent), relative(parent, path));
}

/**
 * Resolves a file named by a user against `root`; when confined, refuses it unless its real path
 * (symbolic links followed) is inside the real path of `root`.
 * @throws LlmopsError `forbidden` naming the file and the folder files are read from.
 */
export function confinedPath(options: ConfinedPathOptions): string {
  const path = resolve(options.root, options.file);
  if (!options.confine) return path;
  const realRoot = realPathOf(resolve(options.root));
  if (!isInside(realRoot, realPathOf(path))) {
    throw new LlmopsError('forbidden', `${options.what} ${options.file} is outside the folder files are read from`);
  }
  return path;
}
