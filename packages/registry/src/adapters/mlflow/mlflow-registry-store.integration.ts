import { join } from 'node:path';
import { createMlflowClient } from '@llmops/mlflow-client';
import { runMlflowPython, startMlflowServer } from '@llmops/mlflow-client/testing';
import type { MlflowBackend, MlflowServer } from '@llmops/mlflow-client/testing';
import { createRegistry } from '../../application/registry.js';
import { createRegistryStore } from '../../create-registry-store.js';
import { InMemoryEvaluationEvidence, registryStoreConformanceSuite } from '../../testing/index.js';
import { auditExperimentName } from './mlflow-conventions.js';
import { MlflowRegistryStore } from './mlflow-registry-store.js';

const workspaceRoot = join(__dirname, '..', '..', '..', '..', '..');

/** Runs Python with the MLflow venv against `trackingUri` and parses the JSON it prints last. */
async function python<Result>(trackingUri: string, code: string): Promise<Result> {
  const stdout = await runMlflowPython({ workspaceRoot, code, env: { MLFLOW_TRACKING_URI: trackingUri } });
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] as string) as Result;
}

function unique(base: string): string {
  return `${base}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

describe.each<MlflowBackend>(['sqlite', 'postgresql'])('MlflowRegistryStore on MLflow 3.17 (%s backend)', (backend) => {
  let server: MlflowServer;
  const store = () => new MlflowRegistryStore({ client: createMlflowClient({ trackingUri: server.trackingUri }) });

  beforeAll(async () => {
    server = await startMlflowServer({ workspaceRoot, backend });
  }, 600_000);

  afterAll(async () => {
    await server?.stop();
  });

  describe('conformance', () => {
    for (const conformanceCase of registryStoreConformanceSuite(store)) it(conformanceCase.name, conformanceCase.run);
  });

  it('registers a prompt that Python reads with mlflow.genai.load_prompt("prompts:/NAME@ALIAS")', async () => {
    const registry = createRegistry({
      store: createRegistryStore(server.trackingUri, { env: {} }),
      actor: 'interop',
    });
    const name = unique('support-answer');
    await registry.registerPrompt({ name, template: 'Answer {{question}} from {{context}}.', message: 'first' });
    await registry.registerPrompt({
      name,
      template: [
        { role: 'system', content: 'Answer from {{context}} only.' },
        { role: 'user', content: '{{question}}' },
      ],
      message: 'chat',
      aliases: ['production'],
    });
    const loaded = await python<{ version: number; template: unknown; variables: string[]; message: string }>(
      server.trackingUri,
      [
        'import json, mlflow',
        `prompt = mlflow.genai.load_prompt("prompts:/${name}@production")`,
        'print(json.dumps({"version": int(prompt.version), "template": prompt.template, "variables": sorted(prompt.variables), "message": prompt.commit_message}))',
      ].join('\n'),
    );
    expect(loaded).toEqual({
      version: 2,
      template: [
        { role: 'system', content: 'Answer from {{context}} only.' },
        { role: 'user', content: '{{question}}' },
      ],
      variables: ['context', 'question'],
      message: 'chat',
    });
    const text = await python<{ template: string; formatted: string }>(
      server.trackingUri,
      [
        'import json, mlflow',
        `prompt = mlflow.genai.load_prompt("prompts:/${name}/1")`,
        'print(json.dumps({"template": prompt.template, "formatted": prompt.format(question="Why?", context="docs")}))',
      ].join('\n'),
    );
    expect(text).toEqual({
      template: 'Answer {{question}} from {{context}}.',
      formatted: 'Answer Why? from docs.',
    });
  });

  it('reads a prompt Python registered, and does not register its template again', async () => {
    const name = unique('python-prompt');
    await python(
      server.trackingUri,
      [
        'import json, mlflow',
        `mlflow.genai.register_prompt(name="${name}", template="Summarise {{ text }} briefly.", commit_message="from python")`,
        'print(json.dumps({}))',
      ].join('\n'),
    );
    const registry = createRegistry({ store: store() });
    const read = await registry.resolvePrompt(name);
    expect(read).toMatchObject({
      version: 1,
      template: 'Summarise {{ text }} briefly.',
      variables: ['text'],
      message: 'from python',
    });
    const again = await registry.registerPrompt({ name, template: 'Summarise {{ text }} briefly.' });
    expect([again.created, again.version.version]).toEqual([false, 1]);
  });

  it('tags each model version with its own facts and keeps the model page on the latest registration', async () => {
    const registry = createRegistry({ store: store(), actor: 'alice' });
    const prompt = unique('tagged-answer');
    const model = unique('support-tagged');
    await registry.registerPrompt({ name: prompt, template: 'Question: {{question}}' });
    await registry.registerModel({
      spec: {
        name: model,
        description: 'baseline support bot',
        tags: { variant: 'baseline', team: 'support' },
        provider: 'offline/extractive',
        pipeline: { kind: 'chat', prompt },
      },
    });
    await registry.registerModel({
      spec: {
        name: model,
        description: 'improved support bot',
        tags: { variant: 'improved', owner: 'alice' },
        provider: 'offline/extractive',
        pipeline: { kind: 'rag', prompt, corpus: 'confs/data/kb/' },
      },
    });
    const seen = await python<{
      versions: Array<Record<string, string>>;
      model: { description: string; tags: Record<string, string> };
    }>(
      server.trackingUri,
      [
        'import json',
        'from mlflow import MlflowClient',
        'client = MlflowClient()',
        'def own(tags): return {k: v for k, v in tags.items() if k != "llmops.spec" and k != "llmops.lineage"}',
        `versions = [own(client.get_model_version("${model}", str(v)).tags) for v in (1, 2)]`,
        `registered = client.get_registered_model("${model}")`,
        'print(json.dumps({"versions": versions, "model": {"description": registered.description, "tags": registered.tags}}))',
      ].join('\n'),
    );
    expect(seen.versions[0]).toMatchObject({
      variant: 'baseline',
      team: 'support',
      'llmops.pipeline': 'chat',
      'llmops.provider': 'offline/extractive',
    });
    expect(seen.versions[1]).toMatchObject({
      variant: 'improved',
      owner: 'alice',
      'llmops.pipeline': 'rag',
      'llmops.provider': 'offline/extractive',
    });
    expect(seen.versions[1]).not.toHaveProperty('team');
    expect(seen.model).toEqual({
      description: 'improved support bot',
      tags: { variant: 'improved', owner: 'alice', 'llmops.model': 'true' },
    });
    expect(await registry.getModel(model)).toMatchObject({
      description: 'improved support bot',
      tags: { variant: 'improved', owner: 'alice' },
    });
  });

  it('keeps model specs, aliases and the audit trail where MLflow users find them', async () => {
    const evidence = new InMemoryEvaluationEvidence();
    const registry = createRegistry({ store: store(), evidence, actor: 'alice' });
    const prompt = unique('rag-answer');
    const model = unique('support-rag');
    await registry.registerPrompt({ name: prompt, template: '{{context}}\n\nQuestion: {{question}}' });
    await registry.registerModel({
      spec: {
        name: model,
        description: 'support bot',
        provider: 'offline/extractive',
        pipeline: { kind: 'rag', prompt, corpus: 'confs/data/kb/', retrieval: { k: 5 } },
      },
      source: { file: 'confs/models/support-rag.yaml', text: 'name: support-rag\n' },
    });
    await registry.promote({ name: model, version: 1, force: true, reason: 'first champion' });
    const seen = await python<{
      alias: string;
      spec: { pipeline: { prompt: string; k: number } };
      description: string;
      artifact: string;
      audit: Array<Record<string, string>>;
    }>(
      server.trackingUri,
      [
        'import json, mlflow',
        'from mlflow import MlflowClient',
        'client = MlflowClient()',
        `version = client.get_model_version_by_alias("${model}", "champion")`,
        'path = mlflow.artifacts.download_artifacts(artifact_uri=version.source + "/spec.yaml")',
        `runs = mlflow.search_runs(experiment_names=["${auditExperimentName}"], filter_string="tags.\`llmops.audit.name\` = '${model}'", output_format="list")`,
        'print(json.dumps({',
        '  "alias": version.version,',
        '  "spec": json.loads(version.tags["llmops.spec"]),',
        '  "description": version.description,',
        '  "artifact": open(path).read(),',
        '  "audit": [{k: v for k, v in r.data.tags.items() if k.startswith("llmops.audit.")} for r in runs],',
        '}))',
      ].join('\n'),
    );
    expect(seen.alias).toBe('1');
    expect(seen.spec.pipeline).toMatchObject({ prompt: `${prompt}/1`, retrieval: { k: 5 } });
    expect(seen.description).toContain('pipeline:\n  kind: rag\n');
    expect(seen.artifact).toContain(`prompt: ${prompt}/1`);
    expect(seen.audit).toEqual([
      expect.objectContaining({
        'llmops.audit.alias': 'champion',
        'llmops.audit.from': '-',
        'llmops.audit.to': '1',
        'llmops.audit.action': 'force-promote',
        'llmops.audit.actor': 'alice',
        'llmops.audit.reason': 'first champion',
      }),
    ]);
  });
});
