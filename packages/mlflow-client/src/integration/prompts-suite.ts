import type { SuiteContext } from './suite-context.js';
import { collect, failure } from './suite-context.js';

/** Prompts in the Prompt Registry convention against a real server. */
export function promptsSuite(context: () => SuiteContext): void {
  describe('prompts', () => {
    it('registers text and chat versions and loads them by version, alias and latest', async () => {
      const { client, unique } = context();
      const name = unique('llmops-prompt');
      const first = await client.prompts.register({
        name,
        template: 'Answer {{question}} briefly.',
        commitMessage: 'first',
        tags: { team: 'support' },
      });
      expect(first).toMatchObject({
        name,
        version: 1,
        type: 'text',
        template: 'Answer {{question}} briefly.',
        variables: ['question'],
        commitMessage: 'first',
        tags: { team: 'support' },
      });
      const second = await client.prompts.register({
        name,
        template: [
          { role: 'system', content: 'You answer from {{context}}.' },
          { role: 'user', content: '{{question}}' },
        ],
        modelConfig: { model_name: 'gpt-4o-mini', temperature: 0.1 },
        responseFormat: { type: 'object', properties: { answer: { type: 'string' } } },
      });
      expect(second).toMatchObject({
        version: 2,
        type: 'chat',
        variables: ['context', 'question'],
        modelConfig: { model_name: 'gpt-4o-mini', temperature: 0.1 },
      });
      await client.prompts.setAlias({ name, alias: 'production', version: 1 });
      expect((await client.prompts.load(`${name}@production`)).template).toBe('Answer {{question}} briefly.');
      expect((await client.prompts.load(`prompts:/${name}/2`)).responseFormat).toEqual({
        type: 'object',
        properties: { answer: { type: 'string' } },
      });
      expect((await client.prompts.load(name)).version).toBe(2);
      expect((await client.prompts.load(`${name}@latest`)).version).toBe(2);
      expect((await client.prompts.listVersions(name)).map((version) => version.version)).toEqual([2, 1]);
      const prompt = await client.prompts.get(name);
      expect(prompt).toMatchObject({
        name,
        description: 'first',
        tags: { team: 'support' },
        aliases: { production: 1 },
      });
      const stored = await client.registry.getModelVersion({ name, version: 1 });
      expect(stored.source).toBe('dummy-source');
      expect(stored.tags).toEqual({
        team: 'support',
        'mlflow.prompt.is_prompt': 'true',
        _mlflow_prompt_type: 'text',
        'mlflow.prompt.text': 'Answer {{question}} briefly.',
      });
      await client.prompts.deleteAlias({ name, alias: 'production' });
      expect((await failure(client.prompts.load(`${name}@production`))).code).toBe('not_found');
    });

    it('keeps prompts out of model listings and models out of prompt listings', async () => {
      const { client, unique } = context();
      const prefix = unique('llmops-mixed');
      const promptName = `${prefix}-prompt`;
      const modelName = `${prefix}-model`;
      await client.prompts.register({ name: promptName, template: 'Hi {{name}}' });
      await client.registry.createRegisteredModel({ name: modelName });
      const filter = `name LIKE '${prefix}%'`;
      expect((await collect(client.registry.searchRegisteredModels({ filter }))).map((model) => model.name)).toEqual([
        modelName,
      ]);
      expect((await collect(client.prompts.search({ filter }))).map((prompt) => prompt.name)).toEqual([promptName]);
      expect((await client.registry.searchModelVersionsPage({ filter: `name = '${promptName}'` })).items).toEqual([]);
      expect((await client.registry.getRegisteredModel(promptName)).isPrompt).toBe(true);
    });

    it('refuses a prompt named like a model, and reads no prompt from a model', async () => {
      const { client, unique } = context();
      const name = unique('llmops-model');
      await client.registry.createRegisteredModel({ name });
      const conflict = await failure(client.prompts.register({ name, template: 'Hi' }));
      expect(conflict.code).toBe('conflict');
      expect(conflict.message).toMatch(/is a registered model, not a prompt/);
      expect((await failure(client.prompts.get(name))).code).toBe('not_found');
      expect((await failure(client.prompts.get(unique('no-prompt')))).code).toBe('not_found');
    });

    it("answers MLflow's own refusal of a prompt source with invalid_input", async () => {
      const { client, unique } = context();
      const name = unique('llmops-prompt');
      await client.prompts.register({ name, template: 'Hi' });
      const refused = await failure(
        client.registry.createModelVersion({
          name,
          source: 's3://bucket/prompt.txt',
          tags: { 'mlflow.prompt.is_prompt': 'true', 'mlflow.prompt.text': 'x' },
        }),
      );
      expect(refused.code).toBe('invalid_input');
      expect(refused.message).toMatch(/Prompt sources must use an MLflow placeholder/);
    });

    it('deletes a prompt', async () => {
      const { client, unique } = context();
      const name = unique('llmops-prompt');
      await client.prompts.register({ name, template: 'Bye {{name}}' });
      await client.prompts.setTag({ name, key: 'owner', value: 'ada' });
      expect((await client.prompts.get(name)).tags).toEqual({ owner: 'ada' });
      await client.prompts.delete(name);
      expect((await failure(client.prompts.load(name))).code).toBe('not_found');
    });
  });
}
