import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packedFiles, releasedPackages } from './stage-packages.js';

const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The paths of `paths` (relative to the workspace) that git ignores. */
function ignoredByGit(paths: readonly string[]): string[] {
  if (paths.length === 0) return [];
  try {
    // Exit 1 when none is ignored; stdout lists the ignored ones otherwise.
    const output = execFileSync('git', ['check-ignore', '--no-index', ...paths], {
      cwd: workspaceRoot,
      encoding: 'utf8',
    });
    return output.split('\n').filter((line) => line !== '');
  } catch (error) {
    if ((error as { status?: number }).status === 1) return [];
    throw error;
  }
}

describe('what each published package takes from the workspace', () => {
  it('takes no git-ignored file but its build output (dist/): a release does not depend on the publisher’s machine', () => {
    // The operator's walkthrough found @llmops/serving packing the 95 MB of encoder weights (minilm-l6-int8.bin,
    // use-multilingual-int8.bin) that are git-ignored and built locally: Verdaccio refused the 70 MB tarball, and a
    // clone without them would have published another package under the same version.
    const ignored = releasedPackages(workspaceRoot).flatMap((released) =>
      ignoredByGit(
        packedFiles(join(workspaceRoot, released.directory))
          .filter((file) => !file.startsWith('dist/'))
          .map((file) => join(released.directory, file)),
      ),
    );
    expect(ignored).toEqual([]);
  });
});
