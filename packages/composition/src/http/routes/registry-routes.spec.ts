import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { errorResponseSchema } from '@llmops/kernel';
import { createRegistry, parsePromotionPolicy, SqliteRegistryStore } from '@llmops/registry';
import type { Registry } from '@llmops/registry';
import { InMemoryEvaluationEvidence } from '@llmops/registry/testing';
import { createApiServer } from '../api-server.js';
import { testAccess } from '../../__fixtures__/test-keys.js';
import type { AccessCheck } from '../access-control.js';
import { readCorpusRecord } from '../../registry/corpus-record.js';
import { registryRoutes } from './registry-routes.js';

let token: string;
let inferenceToken: string;
let access: AccessCheck;
const directory = mkdtempSync(join(tmpdir(), 'llmops-api-registry-'));
const policy = parsePromotionPolicy({ dataset: 'golden', criteria: ['faithfulness.mean >= 0.9', 'harmful_rate == 0'] });
const spec = (extra: Record<string, unknown> = {}) => ({
  name: 'support-rag',
  provider: 'offline/extractive',
  pipeline: { kind: 'rag', prompt: 'answer@latest', corpus: 'confs/data/kb/' },
  ...extra,
});

let server: FastifyInstance;
let registry: Registry;
let evidence: InMemoryEvaluationEvidence;

beforeEach(async () => {
  evidence = new InMemoryEvaluationEvidence();
  registry = createRegistry({
    store: new SqliteRegistryStore({ path: join(directory, `${Date.now()}-${Math.random()}.db`) }),
    evidence,
  });
  const keys = await testAccess();
  token = keys.adminKey;
  inferenceToken = keys.inferenceKey;
  access = keys.access;
  server = await createApiServer({
    routes: [registryRoutes({ registry, promotionPolicy: policy })],
    access,
  });
});

afterEach(async () => {
  await server.close();
  await registry.close();
});

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
function call(method: Method, url: string, options: { body?: unknown; token?: string | null; actor?: string } = {}) {
  const headers: Record<string, string> = {};
  const bearer = options.token === undefined ? token : options.token;
  if (bearer !== null) headers['authorization'] = `Bearer ${bearer}`;
  if (options.actor) headers['x-llmops-actor'] = options.actor;
  return server.inject({
    method,
    url,
    headers,
    ...(options.body === undefined ? {} : { payload: options.body as object }),
  });
}

function errorOf(response: { json: () => unknown }) {
  return errorResponseSchema.parse(response.json()).error;
}

describe('registry routes: auth', () => {
  it('answers every route without an admin key with an OpenAI-shaped 401 or 403, and changes nothing', async () => {
    const attempts: Array<[Method, string, unknown]> = [
      ['GET', '/api/v1/prompts', undefined],
      ['POST', '/api/v1/prompts', { name: 'p', template: 'x' }],
      ['POST', '/api/v1/prompts/p/versions', { template: 'x' }],
      ['PUT', '/api/v1/prompts/p/aliases/prod', { version: 1 }],
      ['DELETE', '/api/v1/prompts/p/aliases/prod', undefined],
      ['POST', '/api/v1/models', { spec: spec() }],
      ['POST', '/api/v1/models/m/versions', { spec: spec() }],
      ['PUT', '/api/v1/models/m/aliases/challenger', { version: 1 }],
      ['POST', '/api/v1/models/m/promote', { version: 1 }],
      ['POST', '/api/v1/models/m/rollback', {}],
      ['PATCH', '/api/v1/models/m/versions/1', {}],
    ];
    for (const [method, url, body] of attempts) {
      const missing = await call(method, url, { body, token: null });
      expect([method, url, missing.statusCode, errorOf(missing).code]).toEqual([method, url, 401, 'unauthorized']);
      const wrong = await call(method, url, { body, token: 'guess' });
      expect([wrong.statusCode, errorOf(wrong).type, errorOf(wrong).code]).toEqual([
        401,
        'invalid_request_error',
        'invalid_api_key',
      ]);
      const inference = await call(method, url, { body, token: inferenceToken });
      expect([inference.statusCode, errorOf(inference).type]).toEqual([403, 'permission_error']);
    }
    expect((await call('GET', '/api/v1/prompts')).json()).toEqual({ object: 'list', data: [] });
  });
});

describe('registry routes: prompts', () => {
  it('registers versions idempotently, moves aliases by compare-and-set, and audits', async () => {
    const created = await call('POST', '/api/v1/prompts', {
      body: { name: 'answer', template: 'Q: {{question}}', message: 'first', aliases: ['prod'] },
      actor: 'alice',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      created: true,
      version: { name: 'answer', version: 1, variables: ['question'], author: 'api:alice' },
      aliases: [{ alias: 'prod', toVersion: 1 }],
    });
    const again = await call('POST', '/api/v1/prompts', { body: { name: 'answer', template: 'Q: {{question}}' } });
    expect([again.statusCode, again.json().created, again.json().version.version]).toEqual([200, false, 1]);
    const chat = await call('POST', '/api/v1/prompts/answer/versions', {
      body: {
        template: [
          { role: 'system', content: 'Use {{context}}' },
          { role: 'user', content: '{{question}}' },
        ],
      },
    });
    expect([chat.statusCode, chat.json().version.version, chat.json().version.variables]).toEqual([
      201,
      2,
      ['context', 'question'],
    ]);

    expect((await call('GET', '/api/v1/prompts')).json().data).toMatchObject([
      { name: 'answer', latestVersion: 2, aliases: { prod: 1 } },
    ]);
    expect((await call('GET', '/api/v1/prompts/answer')).json()).toMatchObject({ name: 'answer', latestVersion: 2 });
    expect(
      (await call('GET', '/api/v1/prompts/answer/versions'))
        .json()
        .data.map((version: { version: number }) => version.version),
    ).toEqual([1, 2]);
    expect((await call('GET', '/api/v1/prompts/answer/versions/1')).json()).toMatchObject({
      version: 1,
      template: 'Q: {{question}}',
      aliases: ['prod'],
    });
    expect((await call('GET', '/api/v1/prompts/answer/aliases/prod')).json()).toMatchObject({ version: 1 });

    const stale = await call('PUT', '/api/v1/prompts/answer/aliases/prod', {
      body: { version: 2, expectedVersion: 2 },
    });
    expect(stale.statusCode).toBe(409);
    expect(errorOf(stale)).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('alias "prod" of prompt "answer" is version 1, expected version 2'),
    });
    const moved = await call('PUT', '/api/v1/prompts/answer/aliases/prod', {
      body: { version: 2, expectedVersion: 1, reason: 'chat format' },
    });
    expect(moved.json()).toEqual({
      kind: 'prompt',
      name: 'answer',
      alias: 'prod',
      fromVersion: 1,
      toVersion: 2,
      changed: true,
    });
    const deleted = await call('DELETE', '/api/v1/prompts/answer/aliases/prod');
    expect(deleted.json()).toMatchObject({ fromVersion: 2, toVersion: null, changed: true });
    const audit = (await call('GET', '/api/v1/prompts/answer/audit')).json().data;
    expect(
      audit.map((entry: { fromVersion: number | null; toVersion: number | null; actor: string; reason: string }) => [
        entry.fromVersion,
        entry.toVersion,
        entry.actor,
        entry.reason,
      ]),
    ).toEqual([
      [null, 1, 'api:alice', 'set at registration of version 1'],
      [1, 2, `key:${token.slice(7, 19)}`, 'chat format'],
      [2, null, `key:${token.slice(7, 19)}`, ''],
    ]);
  });
});

describe('registry routes: models', () => {
  beforeEach(async () => {
    await call('POST', '/api/v1/prompts', { body: { name: 'answer', template: '{{context}} {{question}}' } });
  });

  it('records the corpus hash of a RAG registration, as the CLI does, and registers anew when the corpus changes', async () => {
    const workspace = mkdtempSync(join(directory, 'workspace-'));
    mkdirSync(join(workspace, 'kb'));
    writeFileSync(join(workspace, 'kb', 'warranty.md'), '# Warranty\n\nTwo years on the heating element.\n');
    const inWorkspace = await createApiServer({
      routes: [registryRoutes({ registry, cwd: workspace })],
      access,
    });
    const register = (path: string, body: unknown) =>
      inWorkspace.inject({
        method: 'POST',
        url: path,
        headers: { authorization: `Bearer ${token}` },
        payload: body as object,
      });
    try {
      const ragSpec = spec({ pipeline: { kind: 'rag', prompt: 'answer@latest', corpus: 'kb' } });
      const first = await register('/api/v1/models', { spec: ragSpec });
      expect(first.statusCode).toBe(201);
      const before = await readCorpusRecord('kb', { cwd: workspace });
      expect(first.json().version.lineage.corpus).toEqual(before);
      expect(before.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);

      writeFileSync(join(workspace, 'kb', 'warranty.md'), '# Warranty\n\nThree years on the heating element.\n');
      const changed = await register('/api/v1/models/support-rag/versions', { spec: { ...ragSpec, name: undefined } });
      expect([changed.statusCode, changed.json().version.version]).toEqual([201, 2]);
      expect(changed.json().version.lineage.corpus.contentHash).not.toBe(before.contentHash);
      expect(changed.json().version.lineage.corpus).toEqual(await readCorpusRecord('kb', { cwd: workspace }));

      // The server without a workspace records no corpus (and a chat spec never has one).
      const withoutWorkspace = await call('POST', '/api/v1/models', { body: { spec: spec({ name: 'plain-rag' }) } });
      expect(withoutWorkspace.json().version.lineage).not.toHaveProperty('corpus');
    } finally {
      await inWorkspace.close();
    }
  });

  it('registers versions, refuses a promotion without evidence with 422 gate_failed, promotes with evidence, rolls back and audits', async () => {
    const first = await call('POST', '/api/v1/models', { body: { spec: spec() } });
    expect([first.statusCode, first.json().version.spec.pipeline.prompt]).toEqual([201, 'answer/1']);
    const second = await call('POST', '/api/v1/models/support-rag/versions', {
      body: {
        spec: spec({ pipeline: { kind: 'rag', prompt: 'answer', corpus: 'kb', retrieval: { k: 6 } } }),
        aliases: ['challenger'],
      },
    });
    expect([second.statusCode, second.json().version.version]).toEqual([201, 2]);
    expect((await call('GET', '/api/v1/models/support-rag')).json()).toMatchObject({
      latestVersion: 2,
      aliases: { challenger: 2 },
    });

    const refused = await call('POST', '/api/v1/models/support-rag/promote', { body: { version: 1 } });
    expect(refused.statusCode).toBe(422);
    expect(errorOf(refused)).toMatchObject({ code: 'gate_failed', type: 'invalid_request_error' });
    expect(errorOf(refused).message).toContain(
      'missing evidence:\n  - no evaluation of support-rag/1 on dataset "golden" was found',
    );

    evidence.record(
      { model: 'support-rag', version: 1 },
      { runId: 'run-1', dataset: 'golden', metrics: { 'faithfulness.mean': 0.95, harmful_rate: 0 }, completedAt: 1 },
    );
    evidence.record(
      { model: 'support-rag', version: 2 },
      { runId: 'run-2', dataset: 'golden', metrics: { 'faithfulness.mean': 0.97, harmful_rate: 0 }, completedAt: 2 },
    );
    expect((await call('POST', '/api/v1/models/support-rag/promote', { body: { version: 1 } })).json()).toMatchObject({
      changed: true,
      fromVersion: null,
    });
    const promoted = await call('POST', '/api/v1/models/support-rag/promote', { body: { version: 2 }, actor: 'bob' });
    expect(promoted.json()).toMatchObject({
      changed: true,
      fromVersion: 1,
      previousAlias: 'previous-champion',
      decision: { allowed: true },
    });
    const shown = (await call('GET', '/api/v1/models/support-rag/aliases/champion')).json();
    expect(shown).toMatchObject({
      version: 2,
      aliases: ['challenger', 'champion'],
      evidence: [{ runId: 'run-2', verdict: 'passed' }],
    });

    const rolled = await call('POST', '/api/v1/models/support-rag/rollback', {
      body: { reason: 'regression in production' },
    });
    expect(rolled.json()).toEqual({ name: 'support-rag', alias: 'champion', fromVersion: 2, toVersion: 1 });
    const nothingLeft = await call('POST', '/api/v1/models/support-rag/rollback', { body: {} });
    expect([nothingLeft.statusCode, errorOf(nothingLeft).code]).toEqual([404, 'not_found']);
    const audit = (await call('GET', '/api/v1/models/support-rag/audit')).json().data;
    expect(
      audit.map((entry: { alias: string; action: string; evidence: string[] }) => [
        entry.alias,
        entry.action,
        entry.evidence,
      ]),
    ).toEqual([
      ['challenger', 'set', []],
      ['champion', 'promote', ['run-1']],
      ['champion', 'promote', ['run-2']],
      ['previous-champion', 'promote', []],
      ['champion', 'rollback', []],
      ['previous-champion', 'rollback', []],
    ]);
  });

  it('forces a promotion only with a reason', async () => {
    await call('POST', '/api/v1/models', { body: { spec: spec() } });
    const noReason = await call('POST', '/api/v1/models/support-rag/promote', { body: { version: 1, force: true } });
    expect([noReason.statusCode, errorOf(noReason).message]).toEqual([
      400,
      'a forced promotion needs a reason (--reason TEXT); it is kept in the audit trail',
    ]);
    const forced = await call('POST', '/api/v1/models/support-rag/promote', {
      body: { version: 1, force: true, reason: 'incident 42' },
    });
    expect(forced.json()).toMatchObject({ forced: true, changed: true });
  });

  it('answers edits of an immutable version with 409', async () => {
    await call('POST', '/api/v1/models', { body: { spec: spec() } });
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      const response = await call(method, '/api/v1/models/support-rag/versions/1', {
        body: { spec: spec({ description: 'changed' }) },
      });
      expect(response.statusCode).toBe(409);
      expect(errorOf(response).message).toBe(
        'version 1 of model "support-rag" is immutable; register a new version with POST /api/v1/models/support-rag/versions',
      );
    }
    expect((await call('PUT', '/api/v1/prompts/answer/versions/1', { body: {} })).statusCode).toBe(409);
    expect((await call('GET', '/api/v1/models/support-rag/versions/1')).json().spec.description).toBe('');
  });
});

describe('registry routes: bad input', () => {
  it.each([
    [
      'POST',
      '/api/v1/prompts',
      { template: 'x' },
      400,
      'invalid request body: body.name: Invalid input: expected string, received undefined',
    ],
    [
      'POST',
      '/api/v1/prompts',
      { name: 'bad name', template: 'x' },
      400,
      'prompt name "bad name" has characters outside A-Z a-z 0-9 _ . -; expected 1 to 64 characters of A-Z a-z 0-9 _ . -, not starting with . or -, not a number and not a reserved word (null, true, false…)',
    ],
    [
      'POST',
      '/api/v1/prompts',
      { name: '..', template: 'x' },
      400,
      /^prompt name "\.\." starts with \. or -; expected/,
    ],
    ['POST', '/api/v1/prompts', { name: '-1', template: 'x' }, 400, /^prompt name "-1" starts with \. or -/],
    ['POST', '/api/v1/prompts', { name: 'null', template: 'x' }, 400, /^prompt name "null" is a reserved word/],
    ['POST', '/api/v1/prompts', { name: 'x'.repeat(65), template: 'x' }, 400, /is longer than 64 characters/],
    ['PUT', '/api/v1/prompts/p/aliases/null', { version: 1 }, 400, /alias "null" is a reserved word/],
    ['PUT', '/api/v1/prompts/p/aliases/-1', { version: 1 }, 400, /alias "-1" starts with \. or -/],
    [
      'POST',
      '/api/v1/models',
      { spec: { name: '..', provider: 'offline/extractive', pipeline: { kind: 'chat', prompt: 'x' } } },
      400,
      /^model spec: name: expected a model name of 1 to 64 characters of A-Z a-z 0-9 _ \. -, not starting with \. or -/,
    ],
    [
      'POST',
      '/api/v1/prompts',
      { name: 'p', template: 'x', colour: 'red' },
      400,
      'invalid request body: body.colour: Unrecognized key: "colour"',
    ],
    ['POST', '/api/v1/prompts/p/versions', { template: [] }, 400, /^invalid request body: body\.template: /],
    [
      'POST',
      '/api/v1/prompts/p/versions',
      { template: 'Hi {{ two words }}' },
      400,
      /placeholder "\{\{ two words \}\}" is not a variable/,
    ],
    ['GET', '/api/v1/prompts/nothing', undefined, 404, /^prompt "nothing" not found/],
    [
      'GET',
      '/api/v1/prompts/nothing/versions/abc',
      undefined,
      400,
      'version "abc" in the path is not a whole number from 1 upwards',
    ],
    ['GET', '/api/v1/models/nothing/aliases/champion', undefined, 404, /^model "nothing" not found/],
    [
      'PUT',
      '/api/v1/prompts/nothing/aliases/prod',
      { version: 'one' },
      400,
      'invalid request body: body.version: Invalid input: expected number, received string',
    ],
    ['PUT', '/api/v1/prompts/nothing/aliases/prod', { version: 1 }, 404, /^prompt "nothing" not found/],
    [
      'POST',
      '/api/v1/models',
      { spec: { name: 'm', provider: 'offline/extractive', pipeline: { kind: 'rag', prompt: 'x' } } },
      400,
      /^model spec: pipeline\.corpus: /,
    ],
    [
      'POST',
      '/api/v1/models',
      {},
      400,
      'invalid request body: body.spec: Invalid input: expected record, received undefined',
    ],
    [
      'POST',
      '/api/v1/models/other/versions',
      { spec: spec() },
      400,
      'body.spec.name "support-rag" differs from the model "other" in the path',
    ],
    ['PUT', '/api/v1/models/support-rag/aliases/champion', { version: 1 }, 400, /moves only through a gated promotion/],
    [
      'POST',
      '/api/v1/models/nothing/promote',
      { version: 0 },
      400,
      'invalid request body: body.version: Too small: expected number to be >=1',
    ],
    [
      'POST',
      '/api/v1/models/nothing/promote',
      { version: 1 },
      404,
      /^version 1 of model "nothing" not found|^model "nothing" not found/,
    ],
  ] as Array<[Method, string, unknown, number, string | RegExp]>)(
    '%s %s %j answers %i naming what is wrong',
    async (...[method, url, body, status, message]) => {
      const response = await call(method, url, { body });
      expect(response.statusCode).toBe(status);
      const error = errorOf(response);
      if (typeof message === 'string') expect(error.message).toBe(message);
      else expect(error.message).toMatch(message);
    },
  );
});
