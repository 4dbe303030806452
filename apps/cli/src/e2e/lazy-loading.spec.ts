import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runLlmops } from './run-cli.js';

/**
 * A module hook (Node's `registerHooks`) that prints, when the process exits, the workspace packages
 * (`packages/<name>/`) the process loaded modules from, and the modules it loaded from `node_modules` (package and file).
 * Modules loaded with `require` (a dependency loaded on first use) pass through the same hook.
 */
const recorder = `
import { registerHooks } from 'node:module';
import { writeSync } from 'node:fs';
const loaded = new Set();
const dependencies = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    const dependency = /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+\\/.*)$/.exec(result.url);
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

  /** What a run of the bin loaded: the workspace packages, and the files of its dependencies. */
  function loaded(args: readonly string[]): { packages: string[]; dependencies: string[] } {
    const run = runLlmops(args, { cwd, env: { NODE_OPTIONS: `--import=${pathToFileURL(hook).href}` } });
    expect(run.status).toBe(0);
    const packages = /loaded packages: (.*)\n/.exec(run.stderr)?.[1];
    const dependencies = /loaded dependencies: (.*)\n/.exec(run.stderr)?.[1];
    expect([packages, dependencies]).not.toContain(undefined);
    return {
      packages: JSON.parse(packages as string) as string[],
      dependencies: JSON.parse(dependencies as string) as string[],
    };
  }

  /** The workspace packages a run of the bin loaded. */
  function loadedPackages(args: readonly string[]): string[] {
    return loaded(args).packages;
  }

  it.each([['--version'], ['--help'], ['models', '--help'], ['eval', 'run', '--help'], ['run', '--help']])(
    '`llmops %s` loads no package but the kernel',
    (...args: string[]) => {
      expect(loadedPackages(args).filter((name) => name !== 'kernel')).toEqual([]);
    },
  );

  it('loads the registry and providers when a models subcommand runs, not what only an upstream call needs', () => {
    const { packages, dependencies } = loaded(['models', 'list']);
    expect(packages).toEqual(expect.arrayContaining(['registry', 'providers']));
    // undici, the openai client and the tokenizer load on a first upstream call or token count, never here.
    // The SDK's error classes load (the error mapping checks them), its client does not.
    expect(dependencies).toContainEqual(expect.stringMatching(/^openai\/core\/error\./));
    const upstreamOnly = dependencies.filter((file) =>
      /^(undici|gpt-tokenizer)\/|^openai\/(index|client)\./.test(file),
    );
    expect(upstreamOnly).toEqual([]);
  });

  it('loads no dependency a models subcommand does not use', () => {
    const { dependencies } = loaded(['models', 'list']);
    const packageNames = new Set(dependencies.map((file) => /^(?:@[^/]+\/)?[^/]+/.exec(file)?.[0]));
    expect([...packageNames]).toEqual(expect.arrayContaining(['commander', 'zod']));
    // Loaded on first use only: Redis (a Redis cache or limits), OpenTelemetry (traces exported by OTLP), Fastify (a
    // server); each costs 0.1–0.3 s of CPU at import.
    const unused = [...packageNames].filter((name) =>
      /^(redis|@redis\/.*|@opentelemetry\/(core|resources|otlp-transformer|exporter-trace-otlp-proto)|fastify)$/.test(
        name ?? '',
      ),
    );
    expect(unused).toEqual([]);
  });
});
