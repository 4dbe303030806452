import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import OpenAI from 'openai';
import { errorResponseSchema, parseModelVersionSpec } from '@llmops/kernel';
import { contentHash, SqliteRegistryStore } from '@llmops/registry';
import { kettleAdminHeaders, servedKettleHelp } from '../__fixtures__/kettle-workspace.js';
import type { RunningLlmopsServer } from './llmops-server.js';

const outsideSecret = 'OUTSIDE-SECRET-CONTENT the warranty is void on Tuesdays';
const workspaceSecret = 'inside-secret-line:s3cr3t-value-not-json';

describe('files a spec, dataset or corpus names stay inside the workspace (real paths, links followed)', () => {
  let running: RunningLlmopsServer;
  let cwd: string;
  let outside: string;

  beforeAll(async () => {
    outside = mkdtempSync(join(tmpdir(), 'llmops-outside-'));
    writeFileSync(join(outside, 'secret.md'), `# Secret\n\n${outsideSecret}\n`);
    ({ cwd, running } = await servedKettleHelp({
      prefix: 'llmops-confinement-',
      files: { 'confs/data/eval/broken.jsonl': `${workspaceSecret}\n` },
    }));
    symlinkSync('/etc/passwd', join(cwd, 'confs', 'data', 'eval', 'link.jsonl'));
    symlinkSync(join(outside, 'secret.md'), join(cwd, 'confs', 'data', 'eval', 'secret.jsonl'));
    symlinkSync(outside, join(cwd, 'kb-link'));
    mkdirSync(join(cwd, 'kb-mixed'));
    writeFileSync(join(cwd, 'kb-mixed', 'inside.md'), '# Inside\n\nKettles boil water.\n');
    symlinkSync(join(outside, 'secret.md'), join(cwd, 'kb-mixed', 'leak.md'));
  });
  afterAll(async () => {
    await running.close();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${running.url}${path}`, {
      method: 'POST',
      headers: { ...kettleAdminHeaders, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const ragSpec = (name: string, corpus: string) => ({
    name,
    provider: 'offline/extractive',
    pipeline: { kind: 'rag', prompt: 'answer', corpus, retrieval: { k: 3 }, tokenBudget: 500 },
  });

  it.each([`../${'outside'}/`, 'kb-link', 'kb-link/secret.md'])(
    'refuses to register a RAG spec with corpus %s (400 naming pipeline.corpus)',
    async (corpus) => {
      const location = corpus.startsWith('../') ? `../${basename(outside)}/` : corpus;
      const response = await post('/api/v1/models', { spec: ragSpec('escaper', location) });
      const text = await response.text();
      expect(response.status).toBe(400);
      expect(errorResponseSchema.parse(JSON.parse(text)).error.message).toBe(
        `model spec: pipeline.corpus: corpus ${location} is outside the folder files are read from`,
      );
      expect(text).not.toContain('OUTSIDE-SECRET');
    },
  );

  it('refuses at serving a spec written into the store directly with corpus ../outside/, serving none of it', async () => {
    const spec = parseModelVersionSpec(ragSpec('smuggled-rag', `../${basename(outside)}/`), 'test spec');
    const store = new SqliteRegistryStore({ path: join(cwd, '.llmops', 'llmops.db') });
    try {
      await store.createModelVersion({
        name: 'smuggled-rag',
        spec,
        contentHash: contentHash(spec),
        lineage: {},
        author: 'attacker',
        createdAt: Date.now(),
      });
    } finally {
      await store.close();
    }
    const client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: 'sk-anonymous', maxRetries: 0 });
    const error = await client.chat.completions
      .create({ model: 'smuggled-rag/1', messages: [{ role: 'user', content: 'When is the warranty void?' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(403);
    expect((error as Error).message).toContain(`corpus ../${basename(outside)}/ is outside`);
    expect((error as Error).message).not.toContain('OUTSIDE-SECRET');
  });

  it('skips links inside a corpus folder: their targets are never indexed or served', async () => {
    expect((await post('/api/v1/models', { spec: ragSpec('mixed', 'kb-mixed') })).status).toBe(201);
    const client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: 'sk-anonymous', maxRetries: 0 });
    const answer = await client.chat.completions.create({
      model: 'mixed/1',
      messages: [{ role: 'user', content: 'When is the warranty void on Tuesdays?' }],
    });
    expect(JSON.stringify(answer)).not.toContain('OUTSIDE-SECRET');
  });

  it.each([
    ['confs/data/eval/link.jsonl', 'root:'],
    ['confs/data/eval/secret.jsonl', 'OUTSIDE-SECRET'],
    ['../etc/passwd', 'root:'],
  ])('refuses the dataset %s with 403 naming the path, quoting none of the file', async (dataset, content) => {
    const response = await post('/api/v1/evaluations', { model: 'kettle-help@champion', dataset });
    const text = await response.text();
    expect(response.status).toBe(403);
    expect(errorResponseSchema.parse(JSON.parse(text)).error.message).toBe(
      `dataset ${dataset} is outside the folder files are read from`,
    );
    expect(text).not.toContain(content);
  });

  it('reports a dataset inside the workspace that is not JSON by file and line, without quoting the line', async () => {
    const response = await post('/api/v1/evaluations', {
      model: 'kettle-help@champion',
      dataset: 'confs/data/eval/broken.jsonl',
    });
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(errorResponseSchema.parse(JSON.parse(text)).error.message).toMatch(
      /^confs\/data\/eval\/broken\.jsonl:1: not valid JSON/,
    );
    expect(text).not.toContain('s3cr3t');
    expect(text).not.toContain('inside-secret');
  });
});

describe("the API's drift reference honours the deployment's data roots (LLMOPS_DATA_ROOTS)", () => {
  let running: RunningLlmopsServer;
  let dataRoot: string;
  let outside: string;

  beforeAll(async () => {
    dataRoot = mkdtempSync(join(tmpdir(), 'llmops-data-root-'));
    outside = mkdtempSync(join(tmpdir(), 'llmops-outside-'));
    writeFileSync(join(dataRoot, 'kettle-qa.jsonl'), '{"id": "q1", "input": "How long is the warranty?"}\n');
    writeFileSync(join(outside, 'secret.jsonl'), `{"id": "s1", "input": "${outsideSecret}"}\n`);
    symlinkSync(join(outside, 'secret.jsonl'), join(dataRoot, 'linked.jsonl'));
    ({ running } = await servedKettleHelp({ prefix: 'llmops-drift-roots-', env: { LLMOPS_DATA_ROOTS: dataRoot } }));
  });
  afterAll(async () => {
    await running.close();
  });

  const drift = (reference: string) =>
    fetch(`${running.url}/api/v1/monitoring/drift?reference=${encodeURIComponent(reference)}`, {
      headers: kettleAdminHeaders,
    });

  it('reads a reference dataset kept in a data root', async () => {
    const reference = join(dataRoot, 'kettle-qa.jsonl');
    const response = await drift(reference);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ reference: { kind: 'inputs', source: reference } });
  });

  it('refuses a link in the data root that leads out of it, with 403 naming the path, quoting none of the file', async () => {
    const reference = join(dataRoot, 'linked.jsonl');
    const response = await drift(reference);
    const text = await response.text();
    expect(response.status).toBe(403);
    expect(errorResponseSchema.parse(JSON.parse(text)).error.message).toBe(
      `reference dataset ${reference} is outside the workspace and data roots`,
    );
    expect(text).not.toContain('OUTSIDE-SECRET');
  });
});
