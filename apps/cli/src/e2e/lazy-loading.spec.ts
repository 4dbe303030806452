import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runLlmops } from './run-cli.js';

/**
 * A module hook (Node's `registerHooks`) that prints, when the process exits, the workspace packages
 * (`packages/<name>/`) and the dependencies (`node_modules/<name>/`) the process loaded modules from. Modules loaded
 * with `require` (a dependency loaded on first use) pass through the same hook.
 */
const recorder = `
import { registerHooks } from 'node:module';
import { writeSync } from 'node:fs';
const loaded = new Set();
const dependencies = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    const dependency = /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(result.url);
    const match = /\\/packages\\/([a-z-]+)\\//.exec(result.url);
    if (dependency) dependencies.add(dependency[1]);
    else if (match) loaded.add(match[1]);
    return result;
  },
});
process.on('exit', () => {
  writeSync(2, '\\nloaded packages: ' + JSON.stringify([...loaded].sort()) + '\\n');
  writeSync(2, 'loaded dependencies: ' + JSON.stringify([...dependencies].sort()) + '\\n');
});
`;

describe('llmops loads a command module only when that command runs (built bin)', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'llmops-lazy-'));
  const hook = join(cwd, 'record-packages.mjs');
  writeFileSync(hook, recorder);

  /** The workspace packages and the dependencies a run of the bin loaded. */
  function loaded(args: readonly string[]): { packages: string[]; dependencies: string[] } {
    const run = runLlmops(args, { cwd, env: { NODE_OPTIONS: `--import=${pathToFileURL(hook).href}` } });
    expect(run.status).toBe(0);
    const packages = /loaded packages: (.*)\n/.exec(run.stderr)?.[1];
    const dependencies = /loaded dependencies: (.*)\n/.exec(run.stderr)?.[1];
    expect([packages, dependencies]).toEqual([expect.any(String), expect.any(String)]);
    return { packages: JSON.parse(packages as string), dependencies: JSON.parse(dependencies as string) };
  }
  const loadedPackages = (args: readonly string[]) => loaded(args).packages;

  it.each([['--version'], ['--help'], ['models', '--help'], ['eval', 'run', '--help'], ['run', '--help']])(
    '`llmops %s` loads no package but the kernel',
    (...args: string[]) => {
      expect(loadedPackages(args).filter((name) => name !== 'kernel')).toEqual([]);
    },
  );

  it('loads the registry when a models subcommand runs, but no dependency the command does not use', () => {
    const modelsList = loaded(['models', 'list']);
    // The hook sees what is loaded: the registry, and the SQLite store's packages behind it.
    expect(modelsList.packages).toContain('registry');
    expect(modelsList.dependencies).toEqual(expect.arrayContaining(['commander', 'zod']));
    // Loaded on first use only: Redis (a Redis cache or limits), OpenTelemetry (traces exported by OTLP), Fastify (a
    // server), the tokenizer (counting tokens); each costs 0.1–0.3 s of CPU at import.
    const unused = modelsList.dependencies.filter((name) =>
      /^(redis|@redis\/.*|@opentelemetry\/(core|resources|otlp-transformer|exporter-trace-otlp-proto)|fastify|gpt-tokenizer)$/.test(
        name,
      ),
    );
    expect(unused).toEqual([]);
  });
});
