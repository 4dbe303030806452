import { describe, expect, it } from '@jest/globals';
import {
  absoluteLinks,
  checkInternalRange,
  publishManifest,
  repositoryInfo,
  stripSourceCondition,
} from './publish-manifest.js';

const repository = { webUrl: 'https://github.com/llmops/llmops', branch: 'main' };

describe('the published manifest', () => {
  const workspaceManifest = {
    name: '@llmops/registry',
    version: '0.3.0',
    type: 'module',
    exports: {
      './package.json': './package.json',
      '.': { '@llmops/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' },
      './testing': { '@llmops/source': './src/testing/index.ts', types: './dist/testing/index.d.ts' },
    },
    dependencies: { '@llmops/kernel': '^0.3.0', zod: '^4.6.7' },
    devDependencies: { '@llmops/mlflow-client': '^0.3.0' },
    nx: { name: 'registry', tags: ['type:context'] },
  };
  const versions = new Map([
    ['@llmops/kernel', '0.3.0'],
    ['@llmops/registry', '0.3.0'],
  ]);

  it('drops the nx block, dev dependencies and every source condition, and links the repository', () => {
    const published = publishManifest(workspaceManifest, {
      versions,
      repository,
      packageDirectory: 'packages/registry',
    });
    expect(published['nx']).toBeUndefined();
    expect(published.devDependencies).toBeUndefined();
    expect(JSON.stringify(published.exports)).not.toContain('@llmops/source');
    expect(published.exports).toEqual({
      './package.json': './package.json',
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      './testing': { types: './dist/testing/index.d.ts' },
    });
    expect(published.dependencies).toEqual({ '@llmops/kernel': '^0.3.0', zod: '^4.6.7' });
    expect(published['repository']).toEqual({
      type: 'git',
      url: 'git+https://github.com/llmops/llmops.git',
      directory: 'packages/registry',
    });
  });

  it('declares the Node.js requirement the workspace manifests leave out', () => {
    expect('engines' in workspaceManifest).toBe(false);
    const published = publishManifest(workspaceManifest, {
      versions,
      repository,
      packageDirectory: 'packages/registry',
    });
    expect(published['engines']).toEqual({ node: '>=22.13' });
  });

  it('refuses internal ranges that are not the released version', () => {
    for (const range of ['*', 'workspace:*', 'file:../kernel', '^0.2.0', 'latest']) {
      expect(() =>
        publishManifest(
          { ...workspaceManifest, dependencies: { '@llmops/kernel': range } },
          { versions, repository, packageDirectory: 'packages/registry' },
        ),
      ).toThrow(/dependency @llmops\/kernel has range .* expected "\^0\.3\.0"/);
    }
    expect(() =>
      checkInternalRange({ dependent: 'a', dependency: '@llmops/kernel', range: '0.3.0', siblingVersion: '0.3.0' }),
    ).not.toThrow();
  });

  it('refuses private packages and dependencies on packages outside the workspace scope list', () => {
    expect(() =>
      publishManifest({ ...workspaceManifest, private: true }, { versions, repository, packageDirectory: 'apps/api' }),
    ).toThrow(/private/);
    expect(() =>
      publishManifest(
        { ...workspaceManifest, dependencies: { '@llmops/nowhere': '^0.3.0' } },
        { versions, repository, packageDirectory: 'packages/registry' },
      ),
    ).toThrow(/@llmops\/nowhere is not a package of this workspace/);
  });

  it('keeps conditions that are not the source one, at any depth', () => {
    expect(stripSourceCondition({ '.': { node: { '@llmops/source': 'x', import: 'y' } } })).toEqual({
      '.': { node: { import: 'y' } },
    });
  });
});

describe('README links', () => {
  it('become absolute URLs of the repository, anchors kept; absolute and in-page links are left alone', () => {
    const markdown = [
      'See [wiki/Registry.md](../../wiki/Registry.md#promotion) and [the kernel](../kernel/).',
      'Also [this file](./src/index.ts), [npm](https://www.npmjs.com/) and [below](#api).',
    ].join('\n');
    expect(absoluteLinks(markdown, { packageDirectory: 'packages/registry', repository })).toBe(
      [
        'See [wiki/Registry.md](https://github.com/llmops/llmops/blob/main/wiki/Registry.md#promotion) and [the kernel](https://github.com/llmops/llmops/tree/main/packages/kernel).',
        'Also [this file](https://github.com/llmops/llmops/blob/main/packages/registry/src/index.ts), [npm](https://www.npmjs.com/) and [below](#api).',
      ].join('\n'),
    );
  });

  it('needs an https repository in the root package.json', () => {
    expect(repositoryInfo({ repository: { url: 'git+https://github.com/llmops/llmops.git' } })).toEqual(repository);
    expect(() => repositoryInfo({})).toThrow(/no "repository"/);
    expect(() => repositoryInfo({ repository: 'git@github.com:llmops/llmops.git' })).toThrow(/not an https URL/);
  });
});
