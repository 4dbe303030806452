import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LlmopsError } from '@llmops/kernel';

/** One file of the console's bundle, read into memory. */
export interface ConsoleFile {
  body: Buffer;
  contentType: string;
}

/** The built console: its page, and its content-hashed assets by file name. */
export interface ConsoleBundle {
  index: ConsoleFile;
  assets: ReadonlyMap<string, ConsoleFile>;
}

// This module is three levels under the package root, from `src/http/console/` under Jest and `dist/http/console/`
// when built. A published package carries the bundle in its `assets/console/` (copied when staging a release); in
// the monorepo it is the console app's build output, `apps/console/dist/` (`nx run console:build`).
const packagedBundle = fileURLToPath(new URL('../../../assets/console/', import.meta.url));
const workspaceBundle = fileURLToPath(new URL('../../../../../apps/console/dist/', import.meta.url));

/** Where the console's bundle is: the packaged one first, then the monorepo's build output; `undefined` if unbuilt. */
export function findConsoleBundle(
  candidates: readonly string[] = [packagedBundle, workspaceBundle],
): string | undefined {
  return candidates.find((folder) => existsSync(join(folder, 'index.html')));
}

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

function contentTypeOf(name: string): string | undefined {
  const extension = /\.[a-z0-9]+$/i.exec(name)?.[0]?.toLowerCase() ?? '';
  return contentTypes[extension];
}

/**
 * Reads the console's bundle (`index.html` and every file of `assets/`) into memory, once: a request can only ask for
 * a file that was listed here, so no path from a URL ever reaches the file system.
 * @throws LlmopsError `unavailable` when the console is not built (naming the command that builds it).
 */
export async function loadConsoleBundle(folder: string | undefined = findConsoleBundle()): Promise<ConsoleBundle> {
  if (folder === undefined || !existsSync(join(folder, 'index.html')))
    throw new LlmopsError(
      'unavailable',
      `the console is not built${folder === undefined ? '' : ` (no index.html in ${folder})`}: run \`npx nx run console:build\` (a published @llmops/composition carries it in assets/console/)`,
    );
  try {
    const index = await readFile(join(folder, 'index.html'));
    const names = await readdir(join(folder, 'assets'));
    const assets = new Map<string, ConsoleFile>();
    for (const name of names) {
      const contentType = contentTypeOf(name);
      if (contentType) assets.set(name, { body: await readFile(join(folder, 'assets', name)), contentType });
    }
    return { index: { body: index, contentType: 'text/html; charset=utf-8' }, assets };
  } catch (error) {
    throw new LlmopsError('unavailable', `the console's bundle in ${folder} could not be read`, { cause: error });
  }
}
