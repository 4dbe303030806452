import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { errorResponseSchema } from '@llmops/kernel';
import { SqliteEventStore } from '@llmops/monitoring';
import { startMlflowServer } from '@llmops/mlflow-client/testing';
import type { MlflowServer } from '@llmops/mlflow-client/testing';
import { kettleAdminHeaders, kettleWorkspace, seedKettleAdminKey } from '../__fixtures__/kettle-workspace.js';
import { startLlmopsServer } from '../http/llmops-server.js';
import type { RunningLlmopsServer } from '../http/llmops-server.js';

const workspaceRoot = join(__dirname, '..', '..', '..', '..');

describe('serving through an MLflow outage (a real mlflow server killed and restarted during traffic)', () => {
  let mlflow: MlflowServer;
  let running: RunningLlmopsServer;
  let closed = false;

  beforeAll(async () => {
    mlflow = await startMlflowServer({ workspaceRoot, backend: 'sqlite' });
    const cwd = kettleWorkspace('llmops-outage-');
    // With an MLflow store, API keys live in the workspace's .llmops/keys.db.
    await seedKettleAdminKey(cwd, 'keys.db');
    running = await startLlmopsServer({ port: 0, cwd, env: {}, storeUri: mlflow.trackingUri, logger: false });
  }, 600_000);
  afterAll(async () => {
    if (!closed) await running?.close();
    await mlflow?.stop();
  });

  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${running.url}${path}`, {
      method,
      headers: { ...kettleAdminHeaders, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const ask = (model: string) =>
    call('POST', '/v1/chat/completions', {
      model,
      messages: [{ role: 'user', content: 'How long is the warranty?' }],
    });
  const readiness = async () => (await (await fetch(`${running.url}/readyz`)).json()) as { status: string };

  it('keeps answering resolved models, reports degraded, refuses changes with 503, and recovers', async () => {
    const registered = async (path: string, body: unknown) =>
      expect((await call('POST', path, body)).status).toBeLessThan(300);
    await registered('/api/v1/prompts', {
      name: 'answer',
      template: 'Answer from the passages.\n\n{{context}}\n\nQuestion: {{question}}',
    });
    await registered('/api/v1/models', {
      spec: {
        name: 'kettle-help',
        provider: 'offline/extractive',
        pipeline: { kind: 'rag', prompt: 'answer', corpus: 'kb', retrieval: { k: 2 }, tokenBudget: 300 },
      },
    });
    await registered('/api/v1/models/kettle-help/promote', { version: 1, force: true, reason: 'outage test' });
    for (const model of ['kettle-help@champion', 'kettle-help/1']) expect((await ask(model)).status).toBe(200);
    expect((await call('GET', '/v1/models')).status).toBe(200);
    expect(await readiness()).toMatchObject({ status: 'ready' });

    await mlflow.kill();
    // Traffic for longer than the registry's 5 s cache of remote references, so resolution reaches the dead store.
    const statuses: number[] = [];
    const until = Date.now() + 8_000;
    while (Date.now() < until) {
      for (const model of ['kettle-help@champion', 'kettle-help/1']) {
        const response = await ask(model);
        statuses.push(response.status);
        if (response.status === 200) expect(response.headers.get('x-llmops-model-version')).toBe('kettle-help/1');
      }
    }
    expect(statuses.length).toBeGreaterThan(4);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);

    const models = await call('GET', '/v1/models');
    expect(models.status).toBe(200);
    expect(JSON.stringify(await models.json())).toContain('kettle-help');
    const degraded = (await readiness()) as { status: string; checks: Array<{ message?: string }> };
    expect(degraded.status).toBe('degraded');
    expect(degraded.checks[0]?.message).toMatch(/registry store is unreachable/);

    const promotion = await call('POST', '/api/v1/models/kettle-help/promote', {
      version: 1,
      force: true,
      reason: 'during the outage',
    });
    expect(promotion.status).toBe(503);
    const refusal = errorResponseSchema.parse(await promotion.json()).error;
    expect(refusal).toMatchObject({ code: 'unavailable', type: 'api_error' });
    expect(refusal.message).toMatch(/registry store is unreachable .*nothing was changed/);
    // A model never resolved before cannot be served from memory: a clean 503, not a hang or a 500.
    expect((await ask('kettle-help@staging')).status).toBe(503);

    await mlflow.restart();
    const deadline = Date.now() + 60_000;
    while ((await readiness()).status !== 'ready' && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await readiness()).toMatchObject({ status: 'ready' });
    const again = await call('POST', '/api/v1/models/kettle-help/promote', {
      version: 1,
      alias: 'staging',
      force: true,
      reason: 'after the outage',
    });
    expect(again.status).toBe(200);
    // Once the back-off has passed, references are resolved against the store again: the new alias serves.
    let staging = 0;
    while (staging !== 200 && Date.now() < deadline + 35_000) {
      staging = (await ask('kettle-help@staging')).status;
      if (staging !== 200) await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    expect(staging).toBe(200);
    expect((await ask('kettle-help@champion')).status).toBe(200);
  }, 600_000);

  it('closes while MLflow’s port is black-holed (connections taken, never answered), its events kept in their file', async () => {
    await mlflow.kill();
    const sockets = new Set<Socket>();
    const blackHole = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      blackHole.once('error', reject);
      blackHole.listen(mlflow.port, '127.0.0.1', resolve);
    });
    try {
      const since = Date.now();
      const statuses: number[] = [];
      for (let index = 0; index < 5; index += 1) statuses.push((await ask('kettle-help/1')).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      // Their traces and event tags are queued for MLflow, which takes each call and never answers: closing gives up
      // on them after its deadline instead of waiting for every call's timeout.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      closed = true;
      await running.close();
      const events = new SqliteEventStore({ path: running.monitoring.location });
      try {
        const stored = await events.list({ since });
        expect(stored.filter((event) => event.modelRef === 'kettle-help/1')).toHaveLength(5);
      } finally {
        events.close();
      }
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => blackHole.close(resolve));
    }
  }, 600_000);
});
