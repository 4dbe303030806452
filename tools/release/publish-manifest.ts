/**
 * What a workspace package.json becomes in the published tarball. Pure functions, so the rules are
 * tested without building anything (tools/release/publish-manifest.spec.ts).
 *
 * Why strip instead of shipping src/: the `@llmops/source` export condition exists for the workspace
 * (Jest, tsc project references and the CLI resolve sources through it); shipping `src/` would double
 * every tarball for a condition no consumer sets. So the condition goes and `dist/` stays the one entry.
 */

/** A package.json as far as the release reads it. */
export interface WorkspaceManifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  exports?: unknown;
  files?: string[];
  [field: string]: unknown;
}

/** Where the repository lives, from the root package.json's `repository`. */
export interface RepositoryInfo {
  /** `https://github.com/owner/name`, no trailing slash. */
  webUrl: string;
  /** The branch README links point at. */
  branch: string;
}

/** The export condition that points at unshipped sources. */
export const sourceCondition = '@llmops/source';

/**
 * The Node.js every published package requires: `node:sqlite` (the embedded stores) needs 22.13, and the `openai`
 * client and OpenTelemetry packages the libraries depend on need 22. Declared here, in the published manifests only:
 * the workspace's own package.json files carry no `engines`, because `npm ci` checks them against the Node that runs
 * npm (the system's, 20 on the team machines), not the pinned node@24 every script runs on, and warned once per
 * package and link for nothing (wiki/Releasing.md, "Engines").
 */
export const publishedEngines = { node: '>=22.13' } as const;

/** The scope whose packages are released together. */
export const internalScope = '@llmops/';

/** Removes the source condition at every level of an exports map. */
export function stripSourceCondition(exportsField: unknown): unknown {
  if (Array.isArray(exportsField)) return exportsField.map(stripSourceCondition);
  if (exportsField === null || typeof exportsField !== 'object') return exportsField;
  return Object.fromEntries(
    Object.entries(exportsField)
      .filter(([key]) => key !== sourceCondition)
      .map(([key, value]) => [key, stripSourceCondition(value)]),
  );
}

/**
 * Checks that an internal dependency range names a released version: `^0.2.0` or `0.2.0` when the
 * sibling is at 0.2.0. `*`, `workspace:` and `file:` ranges are refused, as is a range that does not
 * start at the sibling's version (nx release version keeps them equal).
 */
export function checkInternalRange(options: {
  dependent: string;
  dependency: string;
  range: string;
  siblingVersion: string;
}): void {
  const { dependent, dependency, range, siblingVersion } = options;
  const match = /^[\^~]?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/.exec(range);
  if (!match || match[1] !== siblingVersion) {
    throw new Error(
      `${dependent}: dependency ${dependency} has range "${range}"; expected "^${siblingVersion}" ` +
        `(the version of ${dependency} in this workspace). Run \`npx nx release version <version>\` to rewrite internal ranges.`,
    );
  }
}

/** Rewrites relative Markdown links to absolute URLs of the repository (a tarball has no `../../wiki`). */
export function absoluteLinks(
  markdown: string,
  options: { packageDirectory: string; repository: RepositoryInfo },
): string {
  const { packageDirectory, repository } = options;
  return markdown.replace(/\]\(([^)\s]+)\)/g, (whole, target: string) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#') || target.startsWith('/')) return whole;
    const [path, anchor] = target.split('#', 2) as [string, string | undefined];
    const segments = packageDirectory.split('/').filter(Boolean);
    for (const part of path.split('/')) {
      if (part === '..') segments.pop();
      else if (part !== '.' && part !== '') segments.push(part);
    }
    const kind = path.endsWith('/') || path === '' ? 'tree' : 'blob';
    const url = `${repository.webUrl}/${kind}/${repository.branch}/${segments.join('/')}${anchor ? `#${anchor}` : ''}`;
    return `](${url})`;
  });
}

/**
 * The manifest that gets published: no `nx` block, no source condition, no dev-only fields, internal
 * ranges checked against the workspace versions, and repository links added.
 * @throws Error when the package is private or an internal range is not a released version.
 */
export function publishManifest(
  manifest: WorkspaceManifest,
  context: { versions: ReadonlyMap<string, string>; repository: RepositoryInfo; packageDirectory: string },
): WorkspaceManifest {
  if (manifest.private) throw new Error(`${manifest.name} is private and is not published`);
  for (const field of ['dependencies', 'peerDependencies'] as const) {
    for (const [dependency, range] of Object.entries(manifest[field] ?? {})) {
      if (!dependency.startsWith(internalScope)) continue;
      const siblingVersion = context.versions.get(dependency);
      if (!siblingVersion) throw new Error(`${manifest.name}: ${dependency} is not a package of this workspace`);
      checkInternalRange({ dependent: manifest.name, dependency, range, siblingVersion });
    }
  }
  const { nx: _nx, devDependencies: _dev, scripts: _scripts, ...kept } = manifest;
  const published: WorkspaceManifest = { ...kept };
  if (manifest.exports !== undefined) published.exports = stripSourceCondition(manifest.exports);
  published.engines = { ...publishedEngines };
  published.repository = {
    type: 'git',
    url: `git+${context.repository.webUrl}.git`,
    directory: context.packageDirectory,
  };
  published.homepage = `${context.repository.webUrl}/tree/${context.repository.branch}/${context.packageDirectory}#readme`;
  published.bugs = { url: `${context.repository.webUrl}/issues` };
  return published;
}

/** Reads the root package.json's `repository` (`git+https://github.com/owner/name.git` or an object). */
export function repositoryInfo(rootManifest: { repository?: string | { url?: string } }): RepositoryInfo {
  const raw = typeof rootManifest.repository === 'string' ? rootManifest.repository : rootManifest.repository?.url;
  if (!raw) throw new Error('the root package.json has no "repository"; README links cannot be made absolute');
  const webUrl = raw
    .replace(/^git\+/, '')
    .replace(/\.git$/, '')
    .replace(/\/$/, '');
  if (!/^https:\/\//.test(webUrl)) throw new Error(`repository "${raw}" is not an https URL`);
  return { webUrl, branch: 'main' };
}
