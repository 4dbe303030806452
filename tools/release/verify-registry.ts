/**
 * Publishes every @llmops package to a local Verdaccio registry and proves each installs and works
 * alone: a scratch project per package installs only that package from the registry, runs the first
 * example of its published README on this Node.js (24), and type-checks it with `skipLibCheck: false`.
 *
 * Verdaccio listens on loopback with its storage in a temp folder; @llmops/* are served only from
 * what this run publishes, other packages come through its uplink to the public npm registry.
 * Publishing goes through `nx release publish --registry`, from the folders `stage-packages.ts` wrote.
 *
 * It takes minutes (mostly npm install through the uplink), so `npm test` does not run it; run it before a
 * release. Usage: npm run release:verify (builds, stages, checks), or after a build
 *        npx tsx tools/release/verify-registry.ts [--keep] [--only registry,cli]
 * Exits 1 when a package fails, printing what failed.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { releasedPackages, stagePackages } from './stage-packages.js';

const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** What one package's check found. */
export interface PackageVerdict {
  name: string;
  installed: boolean;
  exampleRan: boolean;
  typechecked: boolean;
  output: string;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function startVerdaccio(directory: string): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const config = join(directory, 'verdaccio.yaml');
  writeFileSync(
    config,
    [
      `storage: ${join(directory, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(directory, 'htpasswd')}`,
      'uplinks:',
      '  npmjs:',
      '    url: https://registry.npmjs.org/',
      '    timeout: 60s',
      'packages:',
      "  '@llmops/*':",
      '    access: $all',
      '    publish: $authenticated',
      "  '**':",
      '    access: $all',
      '    publish: $authenticated',
      '    proxy: npmjs',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  const bin = join(workspaceRoot, 'node_modules/verdaccio/bin/verdaccio');
  const child = spawn(process.execPath, [bin, '--config', config, '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const url = `http://127.0.0.1:${port}/`;
  for (let attempt = 0; attempt < 120; attempt++) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited (${child.exitCode}):\n${log}`);
    try {
      const response = await fetch(`${url}-/ping`);
      if (response.ok) return { url, process: child };
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  child.kill();
  throw new Error(`verdaccio did not answer on ${url} within 30 s:\n${log}`);
}

async function createUser(registryUrl: string): Promise<string> {
  const name = 'llmops-release-check';
  const response = await fetch(`${registryUrl}-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: `pw-${process.pid}-${Date.now()}`, type: 'user', roles: [] }),
  });
  const body = (await response.json()) as { token?: string; error?: string };
  if (!response.ok || !body.token) throw new Error(`verdaccio refused the user (${response.status}): ${body.error}`);
  return body.token;
}

/** The first fenced block of a language in a Markdown file, or undefined. */
export function firstFencedBlock(markdown: string, languages: readonly string[]): string | undefined {
  const pattern = /^```([a-z]*)\n([\s\S]*?)^```/gm;
  for (const match of markdown.matchAll(pattern)) {
    if (languages.includes(match[1]!)) return match[2];
  }
  return undefined;
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }) {
  return execFileSync(command, args, {
    cwd: options.cwd,
    env: options.env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? 300_000,
  });
}

/** `run`, throwing an error that says why publishing failed ({@link publishFailureText}). */
function publish(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
) {
  try {
    return run(command, args, options);
  } catch (error) {
    throw new Error(`nx release publish to Verdaccio failed:\n${publishFailureText(error)}`, { cause: error });
  }
}

function failureText(error: unknown): string {
  const failed = error as { stdout?: string; stderr?: string; message?: string };
  const output = [failed.stdout, failed.stderr].filter(Boolean).join('\n');
  return (output || String(failed.message)).slice(-4000);
}

/**
 * Why `nx release publish` failed, readable: npm's own `npm error` lines of every task (a refused tarball says
 * `413 Payload Too Large` there), then the end of Nx's output (which names the failed tasks). The error itself,
 * printed whole, showed only the first tarball listings and "… 42546 more characters".
 */
export function publishFailureText(error: unknown): string {
  const failed = error as { stdout?: string; stderr?: string; message?: string };
  // Nx colours its output even into a pipe.
  const plain = stripVTControlCharacters([failed.stdout, failed.stderr].filter(Boolean).join('\n'));
  const npmErrors = plain.split('\n').filter((line) => /^\s*npm (error|ERR!)/.test(line));
  const tail = plain.split('\n').slice(-20).join('\n');
  return [...npmErrors, tail || String(failed.message)].join('\n');
}

/** Installs one package alone, runs its README example and type-checks it. */
function verifyPackage(options: {
  name: string;
  version: string;
  directory: string;
  env: NodeJS.ProcessEnv;
}): PackageVerdict {
  const { name, version, directory, env } = options;
  const verdict: PackageVerdict = { name, installed: false, exampleRan: false, typechecked: false, output: '' };
  mkdirSync(directory, { recursive: true });
  writeFileSync(
    join(directory, 'package.json'),
    JSON.stringify({ name: 'scratch', private: true, type: 'module' }, null, 2),
  );
  try {
    run('npm', ['install', '--no-audit', '--no-fund', '--save-exact', `${name}@${version}`], { cwd: directory, env });
    verdict.installed = true;
  } catch (error) {
    verdict.output = `npm install ${name}@${version} failed:\n${failureText(error)}`;
    return verdict;
  }
  const readme = readFileSync(join(directory, 'node_modules', name, 'README.md'), 'utf8');
  const typescript = firstFencedBlock(readme, ['ts', 'typescript']);
  const shell = firstFencedBlock(readme, ['sh', 'bash']);
  try {
    if (typescript !== undefined) {
      writeFileSync(join(directory, 'example.ts'), typescript);
      verdict.output = run(process.execPath, ['example.ts'], { cwd: directory, env, timeoutMs: 120_000 });
      verdict.exampleRan = true;
      writeFileSync(
        join(directory, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            module: 'nodenext',
            target: 'es2023',
            lib: ['es2023'],
            strict: true,
            noEmit: true,
            skipLibCheck: false,
            allowImportingTsExtensions: true,
            types: ['node'],
            typeRoots: [join(workspaceRoot, 'node_modules/@types')],
          },
          files: ['example.ts'],
        }),
      );
      run(process.execPath, [join(workspaceRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
        cwd: directory,
        env,
      });
      verdict.typechecked = true;
    } else if (shell !== undefined) {
      const binDirectory = join(directory, 'node_modules/.bin');
      verdict.output = run('bash', ['-euo', 'pipefail', '-c', shell], {
        cwd: directory,
        env: { ...env, PATH: `${binDirectory}:${dirname(process.execPath)}:${env['PATH']}` },
        timeoutMs: 120_000,
      });
      verdict.exampleRan = true;
      // A command-line package's types are checked by importing its entry under skipLibCheck: false.
      writeFileSync(
        join(directory, 'example.ts'),
        `import * as entry from '${name}';\nconsole.log(Object.keys(entry).length);\n`,
      );
      writeFileSync(
        join(directory, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            module: 'nodenext',
            target: 'es2023',
            strict: true,
            noEmit: true,
            skipLibCheck: false,
            types: ['node'],
            typeRoots: [join(workspaceRoot, 'node_modules/@types')],
          },
          files: ['example.ts'],
        }),
      );
      run(process.execPath, [join(workspaceRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
        cwd: directory,
        env,
      });
      verdict.typechecked = true;
    } else {
      verdict.output = `${name}'s README has no \`\`\`ts or \`\`\`sh example`;
    }
  } catch (error) {
    verdict.output += `\n${failureText(error)}`;
  }
  return verdict;
}

/** Runs the whole check; returns one verdict per package. */
export async function verifyRegistry(
  options: { keep?: boolean; only?: readonly string[] } = {},
): Promise<PackageVerdict[]> {
  const [major] = process.versions.node.split('.').map(Number);
  if (major! < 24)
    throw new Error(`run this on the pinned Node.js 24 (npm run release:verify); this is ${process.versions.node}`);
  const directory = mkdtempSync(join(tmpdir(), 'llmops-verdaccio-'));
  const verdaccio = await startVerdaccio(directory);
  try {
    const token = await createUser(verdaccio.url);
    const npmrc = join(directory, 'npmrc');
    const host = verdaccio.url.replace(/^http:/, '');
    writeFileSync(npmrc, `registry=${verdaccio.url}\n${host}:_authToken=${token}\n`);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      npm_config_userconfig: npmrc,
      npm_config_registry: verdaccio.url,
      npm_config_update_notifier: 'false',
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
    };
    stagePackages({ outDirectory: join(workspaceRoot, 'dist/release') });
    publish(
      process.execPath,
      [
        join(workspaceRoot, 'node_modules/nx/dist/bin/nx.js'),
        'release',
        'publish',
        '--registry',
        verdaccio.url,
        '--first-release',
        '--outputStyle=static',
      ],
      {
        cwd: workspaceRoot,
        env,
        timeoutMs: 600_000,
      },
    );
    const packages = releasedPackages().filter((item) => !options.only || options.only.includes(item.project));
    const verdicts: PackageVerdict[] = [];
    for (const item of packages) {
      const verdict = verifyPackage({
        name: item.name,
        version: item.version,
        directory: join(directory, 'scratch', item.project),
        env,
      });
      verdicts.push(verdict);
      const mark = (ok: boolean) => (ok ? 'yes' : 'NO');
      console.log(
        `${item.name.padEnd(24)} installed ${mark(verdict.installed)}  example ${mark(verdict.exampleRan)}  types ${mark(verdict.typechecked)}`,
      );
      if (!(verdict.installed && verdict.exampleRan && verdict.typechecked)) console.log(verdict.output);
    }
    return verdicts;
  } finally {
    verdaccio.process.kill();
    if (!options.keep) rmSync(directory, { recursive: true, force: true });
    else console.log(`kept ${directory}`);
  }
}

async function main(): Promise<void> {
  const only = process.argv.indexOf('--only');
  const verdicts = await verifyRegistry({
    keep: process.argv.includes('--keep'),
    only: only >= 0 ? process.argv[only + 1]?.split(',') : undefined,
  });
  const failed = verdicts.filter((item) => !(item.installed && item.exampleRan && item.typechecked));
  console.log(
    `${verdicts.length - failed.length} of ${verdicts.length} packages install, run their README example and type-check alone`,
  );
  process.exitCode = failed.length === 0 ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
