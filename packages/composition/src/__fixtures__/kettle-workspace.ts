import OpenAI from 'openai';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatApiKey, hashApiKeySecret, SqliteApiKeyStore } from '@llmops/serving';
import { startLlmopsServer } from '../http/llmops-server.js';
import type { RequestEvent } from '@llmops/monitoring';
import type { LlmopsServerOptions, RunningLlmopsServer } from '../http/llmops-server.js';

const kettleAdminKeyId = 'a0000000000a';
const kettleAdminSecret = 'kettle-admin-secret-for-tests-only-01234567';

/** The admin API key the served test workspaces hold (written by {@link seedKettleAdminKey}). */
export const kettleAdminToken = formatApiKey(kettleAdminKeyId, kettleAdminSecret);

/** Headers of an admin request in a served test workspace. */
export const kettleAdminHeaders = { authorization: `Bearer ${kettleAdminToken}` };

/**
 * Writes the admin key {@link kettleAdminToken} into a workspace's key file: the embedded store (`.llmops/llmops.db`)
 * by default, `keys.db` for a workspace on an MLflow store.
 */
export async function seedKettleAdminKey(cwd: string, file: 'llmops.db' | 'keys.db' = 'llmops.db'): Promise<void> {
  const store = new SqliteApiKeyStore({ path: join(cwd, '.llmops', file) });
  try {
    await store.insert({
      id: kettleAdminKeyId,
      name: 'kettle admin',
      role: 'admin',
      limits: {},
      secretHash: hashApiKeySecret(kettleAdminSecret),
      createdAt: Date.now(),
    });
  } finally {
    store.close();
  }
}

/** POSTs `body` as JSON with the admin key {@link kettleAdminToken} to a served workspace; throws on any non-2xx. */
export async function postAsKettleAdmin(baseUrl: string, route: string, body: unknown): Promise<void> {
  const response = await fetch(`${baseUrl}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...kettleAdminHeaders },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${route}: ${response.status} ${await response.text()}`);
}

/** A fresh folder holding a two-article knowledge base under `kb/` (warranty and support hours). */
export function kettleWorkspace(prefix: string): string {
  const cwd = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(cwd, 'kb'));
  writeFileSync(
    join(cwd, 'kb', 'warranty.md'),
    '# Warranty\n\nAll kettles carry a two-year warranty on the heating element. Limescale damage is not covered.\n',
  );
  writeFileSync(
    join(cwd, 'kb', 'support.md'),
    '# Support\n\nSupport answers by chat from 8:00 to 20:00 CET on weekdays.\n',
  );
  return cwd;
}

/**
 * {@link kettleWorkspace} served by `startLlmopsServer` (with the admin key {@link kettleAdminToken}, and anonymous
 * inference on loopback), with `kettle-help/1` (a RAG model on the offline
 * extractive provider) registered and promoted to champion through the API. `files` are written first
 * (relative paths, folders created), for example a `confs/monitoring.yaml`.
 */
export async function servedKettleHelp(options: {
  prefix: string;
  monitoring?: LlmopsServerOptions['monitoring'];
  files?: Record<string, string>;
  /** More environment for the server, such as `LLMOPS_DATA_ROOTS` for start-up files kept outside the workspace. */
  env?: Record<string, string>;
}): Promise<{ cwd: string; running: RunningLlmopsServer }> {
  const cwd = kettleWorkspace(options.prefix);
  for (const [path, text] of Object.entries(options.files ?? {})) {
    mkdirSync(join(cwd, path, '..'), { recursive: true });
    writeFileSync(join(cwd, path), text);
  }
  await seedKettleAdminKey(cwd);
  const running = await startLlmopsServer({
    port: 0,
    cwd,
    env: { LLMOPS_ANONYMOUS_INFERENCE: 'true', ...options.env },
    logger: false,
    monitoring: options.monitoring ?? {},
  });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${kettleAdminToken}` };
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${running.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  };
  await post('/api/v1/prompts', {
    name: 'answer',
    template: 'Answer from the passages and cite them.\n\n{{context}}\n\nQuestion: {{question}}',
  });
  await post('/api/v1/models', {
    spec: {
      name: 'kettle-help',
      provider: 'offline/extractive',
      pipeline: { kind: 'rag', prompt: 'answer', corpus: 'kb', retrieval: { k: 3 }, tokenBudget: 500 },
    },
  });
  await post('/api/v1/models/kettle-help/promote', { version: 1, force: true, reason: 'test release' });
  return { cwd, running };
}

/** A request event of `kettle-help@champion` (version 1), answered in 12 ms, with the fields given changed. */
export function kettleEvent(overrides: Partial<RequestEvent> = {}): RequestEvent {
  return {
    at: Date.now(),
    requestId: 'kettle-request',
    modelRef: 'kettle-help@champion',
    modelName: 'kettle-help',
    modelVersion: 1,
    status: 200,
    stream: false,
    completed: true,
    latencyMs: 12,
    guardrails: [],
    refused: false,
    questionHash: '0'.repeat(64),
    ...overrides,
  };
}

/**
 * How the specs call a served test workspace: admin requests with {@link kettleAdminHeaders}, creating an API key,
 * the official `openai` client with a key, and the error a call that must fail rejects with.
 */
export function kettleCallers(running: { url: string }) {
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${running.url}${path}`, {
      method,
      headers: body === undefined ? kettleAdminHeaders : { ...kettleAdminHeaders, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const createKey = async (body: unknown) => {
    const response = await admin('POST', '/api/v1/keys', body);
    expect(response.status).toBe(201);
    return (await response.json()) as { key: { id: string }; apiKey: string };
  };
  const client = (apiKey: string) => new OpenAI({ baseURL: `${running.url}/v1`, apiKey, maxRetries: 0 });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected the call to fail');
      },
      (error: unknown) => error as InstanceType<typeof OpenAI.APIError>,
    );
  return { admin, createKey, client, failure };
}
