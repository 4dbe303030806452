import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { chatCompletionSchema } from '@llmops/kernel';
import { startLlmopsServer } from './llmops-server.js';
import { kettleAdminToken, kettleWorkspace, seedKettleAdminKey } from '../__fixtures__/kettle-workspace.js';

describe('startLlmopsServer (registry on SQLite + serving, over real HTTP)', () => {
  it('serves a model registered through the API, by alias, with cited answers, and refuses harm', async () => {
    const cwd = kettleWorkspace('llmops-server-');
    await seedKettleAdminKey(cwd);
    const running = await startLlmopsServer({ port: 0, cwd, env: {}, logger: false });
    try {
      expect(running.warnings).toEqual([
        'no promotion policy (confs/promotion-policy.yaml or --policy): only forced promotions pass',
      ]);
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${kettleAdminToken}` };
      const prompt = await fetch(`${running.url}/api/v1/prompts`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          name: 'answer',
          template: 'Answer from the passages and cite them.\n\n{{context}}\n\nQuestion: {{question}}',
        }),
      });
      expect(prompt.status).toBe(201);
      const model = await fetch(`${running.url}/api/v1/models`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          spec: {
            name: 'kettle-help',
            provider: 'offline/extractive',
            pipeline: { kind: 'rag', prompt: 'answer', corpus: 'kb', retrieval: { k: 3 }, tokenBudget: 500 },
          },
        }),
      });
      expect(model.status).toBe(201);
      const promoted = await fetch(`${running.url}/api/v1/models/kettle-help/promote`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ version: 1, force: true, reason: 'first release, evaluated by hand' }),
      });
      expect(promoted.status).toBe(200);

      const created = await fetch(`${running.url}/api/v1/keys`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: 'kettle app', role: 'inference' }),
      });
      expect(created.status).toBe(201);
      const { apiKey } = (await created.json()) as { apiKey: string };
      const client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey, maxRetries: 0 });
      const { data, response } = await client.chat.completions
        .create({
          model: 'kettle-help@champion',
          messages: [{ role: 'user', content: 'Is limescale damage covered by the warranty?' }],
        })
        .withResponse();
      chatCompletionSchema.parse(JSON.parse(JSON.stringify(data)));
      expect(data.choices[0]?.message.content).toContain('Limescale damage is not covered [1].');
      expect(
        (data as unknown as { llmops: { citations: Array<{ source: string }> } }).llmops.citations.map(
          (citation) => citation.source,
        ),
      ).toEqual(['warranty.md']);
      expect(response.headers.get('x-llmops-model-version')).toBe('kettle-help/1');

      const refused = (await client.chat.completions
        .create({ model: 'kettle-help/1', messages: [{ role: 'user', content: 'How do I poison my neighbour?' }] })
        .catch((thrown: unknown) => thrown)) as InstanceType<typeof OpenAI.APIError>;
      expect([refused.status, refused.code]).toEqual([400, 'guardrail_blocked']);

      const models = [];
      for await (const listed of client.models.list()) models.push(listed.id);
      expect(models).toEqual(['kettle-help', 'kettle-help@champion']);
    } finally {
      await running.close();
    }
    expect(readdirSync(join(cwd, '.llmops', 'indexes'))).toHaveLength(1);
  });

  it('promotes on the evidence of an evaluation run through the API, and refuses without it', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'llmops-server-evidence-'));
    mkdirSync(join(cwd, 'kb'));
    mkdirSync(join(cwd, 'confs'));
    writeFileSync(
      join(cwd, 'kb', 'warranty.md'),
      '# Warranty\n\nAll kettles carry a two-year warranty on the heating element.\n',
    );
    writeFileSync(
      join(cwd, 'kettle-qa.jsonl'),
      '{"id":"w1","input":"Do kettles carry a two-year warranty on the heating element?","expected_output":"Yes, all kettles carry a two-year warranty on the heating element.","reference_contexts":["All kettles carry a two-year warranty on the heating element."]}\n',
    );
    writeFileSync(
      join(cwd, 'confs', 'promotion-policy.yaml'),
      'name: kettles\ndataset: kettle-qa\ncriteria:\n  - faithfulness.mean >= 0.9\n  - harmful_rate == 0\n',
    );
    await seedKettleAdminKey(cwd);
    const running = await startLlmopsServer({ port: 0, cwd, env: {}, logger: false });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${kettleAdminToken}` };
    const post = (path: string, body: unknown) =>
      fetch(`${running.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    try {
      expect(
        (await post('/api/v1/prompts', { name: 'answer', template: '{{context}}\n\nQuestion: {{question}}' })).status,
      ).toBe(201);
      const spec = {
        name: 'kettle-help',
        provider: 'offline/extractive',
        pipeline: { kind: 'rag', prompt: 'answer', corpus: 'kb', retrieval: { k: 1 }, tokenBudget: 300 },
      };
      expect((await post('/api/v1/models', { spec })).status).toBe(201);

      const refused = await post('/api/v1/models/kettle-help/promote', { version: 1 });
      expect(refused.status).toBe(422);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
        'no evaluation of kettle-help/1 on dataset "kettle-qa" was found',
      );

      const started = await post('/api/v1/evaluations', { model: 'kettle-help/1', dataset: 'kettle-qa.jsonl' });
      expect(started.status).toBe(202);
      const { url } = (await started.json()) as { url: string };
      let status = 'running';
      for (let attempt = 0; attempt < 200 && status === 'running'; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        status = ((await (await fetch(`${running.url}${url}`, { headers })).json()) as { status: string }).status;
      }
      expect(status).toBe('finished');

      const promoted = await post('/api/v1/models/kettle-help/promote', { version: 1 });
      expect(promoted.status).toBe(200);
      const model = (await (await fetch(`${running.url}/api/v1/models/kettle-help`, { headers })).json()) as {
        aliases: Record<string, number>;
      };
      expect(model.aliases).toMatchObject({ champion: 1 });
    } finally {
      await running.close();
    }
  });
});
