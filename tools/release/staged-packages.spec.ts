import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { releasedPackages, stagePackages } from './stage-packages.js';

/**
 * The fast half of the release check: stages the built packages exactly as `nx release publish` ships them,
 * into a consumer's node_modules, and checks what a user of the registry would get. The slow half, which
 * publishes to Verdaccio and installs each package alone, is verify-registry.ts (`npm run release:verify`, not in CI).
 */
const workspaceRoot = resolve(__dirname, '../..');
// Inside the workspace, so the staged packages find their third-party dependencies in its node_modules.
const consumer = join(workspaceRoot, 'test-output', `release-consumer-${process.pid}`);
const scope = join(consumer, 'node_modules', '@llmops');
const packages = releasedPackages(workspaceRoot);

interface StagedManifest {
  name: string;
  main?: string;
  types?: string;
  bin?: Record<string, string>;
  exports?: Record<string, string | Record<string, string>>;
  dependencies?: Record<string, string>;
  engines?: { node?: string };
}

function manifestOf(name: string): StagedManifest {
  return JSON.parse(readFileSync(join(scope, name.replace('@llmops/', ''), 'package.json'), 'utf8')) as StagedManifest;
}

/** Every import path a consumer can use: `@llmops/x` and its subpaths (`@llmops/x/testing`). */
function entryPoints(): string[] {
  return packages.flatMap((item) =>
    Object.keys(manifestOf(item.name).exports ?? {})
      .filter((subpath) => subpath !== './package.json')
      .map((subpath) => (subpath === '.' ? item.name : `${item.name}/${subpath.slice(2)}`)),
  );
}

beforeAll(() => {
  mkdirSync(scope, { recursive: true });
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  stagePackages({ outDirectory: scope, root: workspaceRoot });
  // npm nests a package's own versions of shared dependencies (yaml 2 beside a hoisted yaml 1): link them so
  // the staged copy resolves what the workspace copy does. A clean install is verify-registry's job.
  for (const item of packages) {
    const nested = join(workspaceRoot, item.directory, 'node_modules');
    if (existsSync(nested)) symlinkSync(nested, join(scope, item.project, 'node_modules'));
  }
});

afterAll(() => rmSync(consumer, { recursive: true, force: true }));

describe('the packages as published', () => {
  it('are every package of packages/ and the CLI, not the private API app', () => {
    expect(packages.map((item) => item.name).sort()).toEqual([
      '@llmops/cli',
      '@llmops/composition',
      '@llmops/evaluation',
      '@llmops/kernel',
      '@llmops/mlflow-client',
      '@llmops/monitoring',
      '@llmops/providers',
      '@llmops/registry',
      '@llmops/serving',
    ]);
  });

  it('carry the console in the composition package, where its /ui routes look once installed', () => {
    const bundle = join(scope, 'composition', 'assets', 'console');
    const page = readFileSync(join(bundle, 'index.html'), 'utf8');
    const script = /src="\/ui\/assets\/(main-[A-Z0-9]+\.js)"/.exec(page)?.[1] ?? 'no script named';
    expect(existsSync(join(bundle, 'assets', script))).toBe(true);
  });

  it('ship manifests without the nx block or the source condition, with the files they name', () => {
    for (const item of packages) {
      const text = readFileSync(join(scope, item.project, 'package.json'), 'utf8');
      expect(text).not.toContain('"nx"');
      expect(text).not.toContain('@llmops/source');
      const manifest = manifestOf(item.name);
      expect(manifest.engines?.node).toBe('>=22.13');
      const named = [manifest.main, manifest.types, ...Object.values(manifest.bin ?? {})];
      for (const target of Object.values(manifest.exports ?? {}))
        named.push(...(typeof target === 'string' ? [target] : Object.values(target)));
      for (const file of named.filter((path): path is string => path !== undefined))
        expect([item.name, file, existsSync(join(scope, item.project, file))]).toEqual([item.name, file, true]);
      for (const [dependency, range] of Object.entries(manifest.dependencies ?? {}))
        if (dependency.startsWith('@llmops/')) expect(range).toBe(`^${item.version}`);
    }
  });

  it('ship READMEs whose links all work outside the repository, each with an example', () => {
    for (const item of packages) {
      const readme = readFileSync(join(scope, item.project, 'README.md'), 'utf8');
      expect([item.name, readme.match(/\]\((?!https?:|#)[^)]*\)/g)]).toEqual([item.name, null]);
      expect([item.name, /^```(ts|sh)$/m.test(readme)]).toEqual([item.name, true]);
    }
  });

  it('ship the CLI as `llmops` with its launcher', () => {
    const cli = manifestOf('@llmops/cli');
    expect(cli.bin).toEqual({ llmops: './bin/llmops.js' });
    const version = execFileSync(process.execPath, [join(scope, 'cli', 'bin', 'llmops.js'), '--version'], {
      cwd: consumer,
      encoding: 'utf8',
    });
    expect(version.trim()).toBe(packages.find((item) => item.name === '@llmops/cli')?.version);
  });

  it('have declarations that type-check with skipLibCheck: false', () => {
    const imports = entryPoints().map((entry, index) => `import * as entry${index} from '${entry}';`);
    const uses = entryPoints().map((_, index) => `entry${index}`);
    writeFileSync(join(consumer, 'index.ts'), `${imports.join('\n')}\nconsole.log([${uses.join(', ')}].length);\n`);
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          target: 'es2023',
          lib: ['es2023'],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [join(workspaceRoot, 'node_modules/@types')],
        },
        files: ['index.ts'],
      }),
    );
    let output = '';
    try {
      execFileSync(process.execPath, [join(workspaceRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
        cwd: consumer,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout);
    }
    expect(output).toBe('');
  });
});

describe('node:sqlite', () => {
  const probe = (entries: string[], openSqlite: boolean) =>
    [
      `for (const entry of ${JSON.stringify(entries)}) await import(entry);`,
      openSqlite ? `(await import('@llmops/kernel')).openSqliteFile({ path: ':memory:' }).close();` : '',
      `console.log(JSON.stringify(process.moduleLoadList.filter((name) => name.includes('sqlite'))));`,
    ].join('\n');
  const run = (node: string, script: string, flags: string[] = []) =>
    execFileSync(node, [...flags, '--input-type=module', '-e', script], { cwd: consumer, encoding: 'utf8' }).trim();
  const libraries = () => entryPoints().filter((entry) => !entry.startsWith('@llmops/cli'));

  it('is not loaded by importing any package, only by opening a SQLite store', () => {
    expect(JSON.parse(run(process.execPath, probe(libraries(), false)))).toEqual([]);
    expect(JSON.parse(run(process.execPath, probe(['@llmops/kernel'], true)))).toContain('NativeModule sqlite');
  });

  // A Node.js without node:sqlite: the machine's system Node.js when it is older than 22.13 (20 here), else this
  // Node 24 with node:sqlite switched off. The registry still imports and opens an MLflow store there; a SQLite
  // store fails with an error that names the Node.js version it needs.
  const oldNode = ['/usr/bin/node', '/usr/local/bin/node'].find((path) => {
    if (!existsSync(path)) return false;
    const [major, minor] = execFileSync(path, ['-p', 'process.versions.node'], { encoding: 'utf8' })
      .split('.')
      .map(Number);
    return major! < 22 || (major === 22 && minor! < 13);
  });
  it(`lets the MLflow store be used on a Node.js without it (${oldNode ?? 'node --no-experimental-sqlite'})`, () => {
    const script = [
      `const { createRegistryStore } = await import('@llmops/registry');`,
      `const mlflow = createRegistryStore('http://127.0.0.1:5000');`,
      `let failure = '';`,
      `try { createRegistryStore('sqlite:.llmops/llmops.db'); } catch (error) { failure = error.code + ': ' + error.message; }`,
      `console.log(JSON.stringify({ mlflow: typeof mlflow, failure }));`,
    ].join('\n');
    const output = oldNode ? run(oldNode, script) : run(process.execPath, script, ['--no-experimental-sqlite']);
    const result = JSON.parse(output) as { mlflow: string; failure: string };
    expect(result.mlflow).toBe('object');
    expect(result.failure).toMatch(/^unavailable: .*needs node:sqlite.*Node\.js 22\.13\.0 or newer/);
  });
});
