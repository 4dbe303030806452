import type { SuiteContext } from './suite-context.js';
import { collect, failure } from './suite-context.js';

/** Registered models, model versions and aliases against a real server. */
export function registrySuite(context: () => SuiteContext): void {
  describe('registered models and versions', () => {
    it('creates, gets, updates, tags, searches and deletes a registered model', async () => {
      const { client, unique } = context();
      const name = unique('llmops-model');
      const created = await client.registry.createRegisteredModel({
        name,
        description: 'first',
        tags: { team: 'search' },
      });
      expect(created).toMatchObject({
        name,
        description: 'first',
        tags: { team: 'search' },
        aliases: {},
        latestVersions: [],
        isPrompt: false,
      });
      await client.registry.updateRegisteredModel({ name, description: 'second' });
      await client.registry.setRegisteredModelTag({ name, key: 'owner', value: 'ada' });
      await client.registry.deleteRegisteredModelTag({ name, key: 'team' });
      expect(await client.registry.getRegisteredModel(name)).toMatchObject({
        description: 'second',
        tags: { owner: 'ada' },
      });
      const found = await collect(client.registry.searchRegisteredModels({ filter: `name = '${name}'` }));
      expect(found.map((model) => model.name)).toEqual([name]);
      expect((await failure(client.registry.createRegisteredModel({ name }))).code).toBe('conflict');
      await client.registry.deleteRegisteredModel(name);
      expect((await failure(client.registry.getRegisteredModel(name))).code).toBe('not_found');
    });

    it('registers versions from a run, tags them, finds their download URI and searches them', async () => {
      const { client, unique } = context();
      const experimentId = await client.experiments.create({ name: unique('llmops-models') });
      const { info } = await client.runs.create({ experimentId });
      const name = unique('llmops-model');
      await client.registry.createRegisteredModel({ name });
      const first = await client.registry.createModelVersion({
        name,
        source: `runs:/${info.runId}/model`,
        runId: info.runId,
        description: 'v1',
        tags: { stage: 'candidate' },
      });
      expect(first).toMatchObject({
        name,
        version: 1,
        source: `runs:/${info.runId}/model`,
        runId: info.runId,
        description: 'v1',
        status: 'READY',
        tags: { stage: 'candidate' },
      });
      const second = await client.registry.createModelVersion({
        name,
        source: `${info.artifactUri}/model`,
        runId: info.runId,
      });
      expect(second.version).toBe(2);
      await client.registry.setModelVersionTag({ name, version: 2, key: 'quality', value: 'gold' });
      expect((await client.registry.getModelVersion({ name, version: 2 })).tags).toEqual({ quality: 'gold' });
      await client.registry.deleteModelVersionTag({ name, version: 2, key: 'quality' });
      expect((await client.registry.getModelVersion({ name, version: 2 })).tags).toEqual({});
      expect(await client.registry.getModelVersionDownloadUri({ name, version: 2 })).toBe(`${info.artifactUri}/model`);
      const versions = await collect(
        client.registry.searchModelVersions({
          filter: `name = '${name}'`,
          orderBy: ['version_number ASC'],
          pageSize: 1,
        }),
      );
      expect(versions.map((version) => version.version)).toEqual([1, 2]);
      expect((await failure(client.registry.getModelVersion({ name, version: 9 }))).code).toBe('not_found');
    });

    it('sets, resolves, moves and deletes aliases; a missing alias is not_found', async () => {
      const { client, unique } = context();
      const experimentId = await client.experiments.create({ name: unique('llmops-models') });
      const { info } = await client.runs.create({ experimentId });
      const name = unique('llmops-model');
      await client.registry.createRegisteredModel({ name });
      await client.registry.createModelVersion({ name, source: `runs:/${info.runId}/model`, runId: info.runId });
      await client.registry.createModelVersion({ name, source: `runs:/${info.runId}/model`, runId: info.runId });
      await client.registry.setAlias({ name, alias: 'champion', version: 1 });
      expect(await client.registry.getModelVersionByAlias({ name, alias: 'champion' })).toMatchObject({
        version: 1,
        aliases: ['champion'],
      });
      await client.registry.setAlias({ name, alias: 'champion', version: 2 });
      expect((await client.registry.getModelVersionByAlias({ name, alias: 'champion' })).version).toBe(2);
      expect((await client.registry.getRegisteredModel(name)).aliases).toEqual({ champion: 2 });
      expect((await client.registry.getModelVersionByAlias({ name, alias: 'latest' })).version).toBe(2);
      await client.registry.deleteAlias({ name, alias: 'champion' });
      const missing = await failure(client.registry.getModelVersionByAlias({ name, alias: 'champion' }));
      expect(missing.code).toBe('not_found');
      expect(missing.message).toBe(`alias "champion" is not set on "${name}"`);
      expect(
        (await failure(client.registry.getModelVersionByAlias({ name: unique('nobody'), alias: 'champion' }))).code,
      ).toBe('not_found');
      expect((await failure(client.registry.setAlias({ name, alias: 'canary', version: 7 }))).code).toBe('not_found');
    });
  });
}
