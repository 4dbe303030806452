import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runLlmops } from './run-cli.js';

/**
 * A module hook (Node's `registerHooks`) that prints, when the process exits, the workspace packages
 * (`packages/<name>/`) the process loaded modules from.
 */
const recorder = `
import { registerHooks } from 'node:module';
import { writeSync } from 'node:fs';
const loaded = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    const match = /\\/packages\\/([a-z-]+)\\//.exec(result.url);
    if (match) loaded.add(match[1]);
    return result;
  },
});
process.on('exit', () => writeSync(2, '\\nloaded packages: ' + JSON.stringify([...loaded].sort()) + '\\n'));
`;

describe('llmops loads a command module only when that command runs (built bin)', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'llmops-lazy-'));
  const hook = join(cwd, 'record-packages.mjs');
  writeFileSync(hook, recorder);

  /** The workspace packages a run of the bin loaded. */
  function loadedPackages(args: readonly string[]): string[] {
    const run = runLlmops(args, { cwd, env: { NODE_OPTIONS: `--import=${pathToFileURL(hook).href}` } });
    expect(run.status).toBe(0);
    const line = /loaded packages: (.*)\n/.exec(run.stderr)?.[1];
    expect(line).toBeDefined();
    return JSON.parse(line as string) as string[];
  }

  it.each([['--version'], ['--help'], ['models', '--help'], ['eval', 'run', '--help'], ['run', '--help']])(
    '`llmops %s` loads no package but the kernel',
    (...args: string[]) => {
      expect(loadedPackages(args).filter((name) => name !== 'kernel')).toEqual([]);
    },
  );

  it('loads the registry when a models subcommand runs (the hook sees what is loaded)', () => {
    expect(loadedPackages(['models', 'list'])).toContain('registry');
  });
});
