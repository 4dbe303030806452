/**
 * Stages every published package into dist/release/<project>/ the way it goes to the registry: the
 * files `npm pack` would take from the built package, with the publish manifest (publish-manifest.ts)
 * and a README whose links are absolute. `nx release publish` publishes from there (nx.json sets the
 * `nx-release-publish` packageRoot). Build first: `npm run release:stage` does both.
 *
 * Usage: npx tsx tools/release/stage-packages.ts [--out dist/release]
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { absoluteLinks, publishManifest, repositoryInfo } from './publish-manifest.js';
import type { WorkspaceManifest } from './publish-manifest.js';

/** One package of the workspace that is published. */
export interface ReleasedPackage {
  /** The npm name (`@llmops/registry`). */
  name: string;
  /** The Nx project name (`registry`), the folder under the staging directory. */
  project: string;
  version: string;
  /** The package's folder in the workspace. */
  directory: string;
}

const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** The workspace's packages that are not private, in `packages/*` and `apps/*`. */
export function releasedPackages(root = workspaceRoot): ReleasedPackage[] {
  const found: ReleasedPackage[] = [];
  for (const group of ['packages', 'apps']) {
    for (const entry of readdirSync(join(root, group)).sort()) {
      const path = join(root, group, entry, 'package.json');
      if (!existsSync(path)) continue;
      const manifest = readJson<WorkspaceManifest & { nx?: { name?: string } }>(path);
      if (manifest.private) continue;
      found.push({
        name: manifest.name,
        project: manifest.nx?.name ?? entry,
        version: manifest.version,
        directory: join(group, entry),
      });
    }
  }
  return found;
}

/** The files `npm pack` would put in the tarball, relative to the package folder. */
export function packedFiles(packageDirectory: string): string[] {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: packageDirectory,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [report] = JSON.parse(output) as [{ files: { path: string }[] }];
  return report.files.map((file) => file.path);
}

/**
 * Copies the console's bundle (`apps/console/dist`, an app that is not published on its own) into the staged
 * composition package's `assets/console/`, where its `/ui` routes look for it once installed from npm.
 * @throws Error when the console is not built.
 */
function stageConsoleBundle(root: string, compositionTarget: string): void {
  const bundle = join(root, 'apps/console/dist');
  if (!existsSync(join(bundle, 'index.html')))
    throw new Error('the console is not built (apps/console/dist is missing); run `npx nx run console:build`');
  cpSync(bundle, join(compositionTarget, 'assets', 'console'), { recursive: true });
}

/**
 * Stages each released package under `outDirectory/<project>`; returns where each went.
 * @throws Error when a package is not built or an internal range is not a released version.
 */
export function stagePackages(options: { outDirectory: string; root?: string }): Map<string, string> {
  const root = options.root ?? workspaceRoot;
  const packages = releasedPackages(root);
  const versions = new Map(packages.map((item) => [item.name, item.version]));
  const repository = repositoryInfo(readJson(join(root, 'package.json')));
  const staged = new Map<string, string>();
  for (const item of packages) {
    const source = join(root, item.directory);
    if (!existsSync(join(source, 'dist'))) {
      throw new Error(
        `${item.name} is not built (${item.directory}/dist is missing); run \`npx nx run-many -t build\``,
      );
    }
    const target = join(options.outDirectory, item.project);
    rmSync(target, { recursive: true, force: true });
    mkdirSync(target, { recursive: true });
    for (const file of packedFiles(source)) {
      if (file === 'package.json' || file === 'README.md') continue;
      mkdirSync(dirname(join(target, file)), { recursive: true });
      cpSync(join(source, file), join(target, file));
    }
    if (item.name === '@llmops/composition') stageConsoleBundle(root, target);
    const manifest = publishManifest(readJson(join(source, 'package.json')), {
      versions,
      repository,
      packageDirectory: item.directory,
    });
    writeFileSync(join(target, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const readme = readFileSync(join(source, 'README.md'), 'utf8');
    writeFileSync(join(target, 'README.md'), absoluteLinks(readme, { packageDirectory: item.directory, repository }));
    staged.set(item.name, target);
  }
  return staged;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const flag = process.argv.indexOf('--out');
  const outDirectory = resolve(
    flag >= 0 && process.argv[flag + 1] ? process.argv[flag + 1]! : join(workspaceRoot, 'dist/release'),
  );
  const staged = stagePackages({ outDirectory });
  for (const [name, target] of staged) console.log(`${name} -> ${relative(process.cwd(), target)}`);
}
