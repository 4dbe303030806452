import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pino from 'pino';
import { startLlmopsServer } from '@llmops/composition';
import type { RunningLlmopsServer } from '@llmops/composition';
import { startMlflowServer } from '@llmops/mlflow-client/testing';
import type { MlflowServer } from '@llmops/mlflow-client/testing';
import { completionReply, startOpenAiWireServer } from '@llmops/providers/testing';
import type { OpenAiWireServer } from '@llmops/providers/testing';
import { formatApiKey, hashApiKeySecret, SqliteApiKeyStore } from '@llmops/serving';
import { scanForSecrets } from './secret-scan.js';

const workspaceRoot = resolve(__dirname, '../..');

/** Every regular file under a folder, for saying what the scan covered. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(folder, entry))
    .filter((path) => statSync(path).isFile());
}

// The MLflow helper deletes the server's folder (backend database, artifacts, log) when it stops: the scan runs
// before that, on the very files MLflow wrote during the traffic and the evaluation.
describe('secret scan of an MLflow store (a real mlflow server) after traffic and an evaluation', () => {
  const adminSecret = 'mlflowScanAdminSentinel-0123456789abcdefghi'; // 43 characters, as every key secret
  const adminKey = formatApiKey('e0000000000e', adminSecret);
  const providerKey = 'sk-sentinel-mlflow-provider-key-0123456789';
  let mlflow: MlflowServer;
  let upstream: OpenAiWireServer;
  let running: RunningLlmopsServer | undefined;
  let cwd: string;
  let logFile: string;

  beforeAll(async () => {
    mlflow = await startMlflowServer({ workspaceRoot, backend: 'sqlite' });
    upstream = await startOpenAiWireServer();
    cwd = mkdtempSync(join(tmpdir(), 'llmops-secret-mlflow-'));
    // With an MLflow store, API keys live in the workspace's .llmops/keys.db.
    const keys = new SqliteApiKeyStore({ path: join(cwd, '.llmops', 'keys.db') });
    await keys.insert({
      id: 'e0000000000e',
      name: 'scan admin',
      role: 'admin',
      limits: {},
      secretHash: hashApiKeySecret(adminSecret),
      createdAt: Date.now(),
    });
    keys.close();
    logFile = join(cwd, 'server.log');
    const { host } = new URL(upstream.baseUrl);
    running = await startLlmopsServer({
      port: 0,
      cwd,
      env: { LLMOPS_PROVIDER_KEY_STUB: providerKey, LLMOPS_PROVIDER_KEY_STUB_HOSTS: host },
      storeUri: mlflow.trackingUri,
      logger: pino({ level: 'info' }, pino.destination({ dest: logFile, sync: true })),
    });
  }, 600_000);

  afterAll(async () => {
    await running?.close();
    await upstream?.close();
    await mlflow?.stop();
  });

  it('finds no admin, inference or provider key in MLflow backend database, artifacts or log, nor in the workspace', async () => {
    const server = running as RunningLlmopsServer;
    const call = async (method: string, path: string, options: { body?: unknown; key?: string } = {}) =>
      fetch(`${server.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.key ?? adminKey}` },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
    expect(
      (await call('POST', '/api/v1/prompts', { body: { name: 'plain', template: 'You are helpful.' } })).status,
    ).toBe(201);
    const spec = {
      name: 'stubbed',
      provider: { provider: 'openai', model: 'stub', baseUrl: upstream.baseUrl, apiKeyEnv: 'LLMOPS_PROVIDER_KEY_STUB' },
      pipeline: { kind: 'chat', prompt: 'plain' },
    };
    expect((await call('POST', '/api/v1/models', { body: { spec } })).status).toBe(201);
    const created = await call('POST', '/api/v1/keys', { body: { name: 'app', role: 'inference' } });
    const inferenceKey = ((await created.json()) as { apiKey: string }).apiKey;
    upstream.reply(
      '/v1/chat/completions',
      {
        kind: 'json',
        status: 401,
        body: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } },
      },
      completionReply('The warranty lasts two years.'),
    );
    const ask = async (content: string, key = inferenceKey) =>
      (
        await call('POST', '/v1/chat/completions', {
          body: { model: 'stubbed/1', messages: [{ role: 'user', content }] },
          key,
        })
      ).status;
    expect([
      await ask('first: the upstream refuses the key'),
      await ask('second: answered'),
      await ask('How do I poison my neighbour?'),
      await ask('with a wrong key', `${inferenceKey.slice(0, -4)}XXXX`),
    ]).toEqual([401, 200, 400, 401]);
    expect(upstream.requestsTo('/v1/chat/completions')[0]?.headers.authorization).toBe(`Bearer ${providerKey}`);

    // An evaluation of the same model, tracked in MLflow (run, metrics, report artifacts).
    const started = await call('POST', '/api/v1/evaluations', {
      body: {
        model: 'stubbed/1',
        dataset: {
          name: 'warranty',
          examples: [
            { id: 'w1', input: 'How long is the warranty?', expected_output: 'The warranty lasts two years.' },
            { id: 'w2', input: 'Is the warranty two years?', expected_output: 'Yes, two years.' },
          ],
        },
        judge: 'offline',
      },
    });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    let status = 'running';
    const deadline = Date.now() + 120_000;
    while (status === 'running' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      status = (
        (await (await call('GET', `/api/v1/evaluations/${encodeURIComponent(id)}`)).json()) as { status: string }
      ).status;
    }
    expect(status).toBe('finished');

    await server.close();
    running = undefined;
    const mlflowFolder = dirname(mlflow.artifactsDirectory);
    const backendFile = join(mlflowFolder, 'mlflow.db');
    expect(existsSync(backendFile)).toBe(true);
    // The evaluation's report went to MLflow's artifact store: the scan reads real artifacts.
    expect(filesUnder(mlflow.artifactsDirectory).length).toBeGreaterThan(0);

    const result = scanForSecrets({
      roots: [backendFile, mlflow.artifactsDirectory, mlflow.logFile, cwd],
      secrets: { 'admin key': adminKey, 'inference key': inferenceKey, 'provider key': providerKey },
    });
    expect(result.files).toBeGreaterThanOrEqual(4);
    expect(result.hits).toEqual([]);
  });
});
