/**
 * The whole llmops API (`startLlmopsServer`, embedded SQLite store, monitoring events on) in a scratch workspace holding
 * the repo's `confs/guardrails.yaml`, with chat models on an upstream stub registered and promoted over the admin API,
 * for the benches and the soak that run llmops in its own process. Inference needs no key (`LLMOPS_ANONYMOUS_INFERENCE`,
 * loopback), as the other gateways are measured: no key lookup, no limits step; an admin key is seeded into the store
 * for the set-up calls only.
 */
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLlmopsServer } from '@llmops/composition';
import { formatApiKey, hashApiKeySecret, SqliteApiKeyStore } from '@llmops/serving';

/** One model of the scratch workspace: `{ provider: openai, model: stub, baseUrl: <upstream>/v1 }`. */
export interface StubModel {
  name: string;
  /** A guardrail policy of `confs/guardrails.yaml`. */
  guardrails: string;
  /** The spec's `cache` field. */
  cache: { enabled: false } | { ttlSeconds: number };
}

const adminKeyId = 'b0000000000b';
const adminSecret = 'stub-models-admin-secret-for-benches-012345';
const adminToken = formatApiKey(adminKeyId, adminSecret);

async function seedAdminKey(cwd: string): Promise<void> {
  const store = new SqliteApiKeyStore({ path: join(cwd, '.llmops', 'llmops.db') });
  try {
    await store.insert({
      id: adminKeyId,
      name: 'bench admin',
      role: 'admin',
      limits: {},
      secretHash: hashApiKeySecret(adminSecret),
      createdAt: Date.now(),
    });
  } finally {
    store.close();
  }
}

async function post(url: string, body: object): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
}

/** The value of `--upstream` on the command line, or an error saying it is required. */
export function upstreamArgument(argv: readonly string[]): string {
  const index = argv.indexOf('--upstream');
  const upstream = index > 0 ? argv[index + 1] : undefined;
  if (!upstream) throw new Error('--upstream <url of the stub> is required');
  return upstream;
}

/**
 * Starts the server with `models` registered and promoted to `champion`, closes it on SIGTERM or SIGINT (drains
 * requests, writes events), and prints `listening <url> <workspace>` once they answer.
 */
export async function serveStubModels(upstream: string, models: readonly StubModel[]): Promise<void> {
  const cwd = mkdtempSync(join(tmpdir(), 'llmops-stub-models-'));
  mkdirSync(join(cwd, 'confs'));
  copyFileSync(join(import.meta.dirname, '../../confs/guardrails.yaml'), join(cwd, 'confs', 'guardrails.yaml'));
  await seedAdminKey(cwd);
  // The embedded stores' writer (issue 13: `LLMOPS_SQLITE_WRITER=thread` to measure the writer thread).
  const writer = process.env.LLMOPS_SQLITE_WRITER;
  const sqliteWriter = writer ? { LLMOPS_SQLITE_WRITER: writer } : {};
  // The share of requests whose trace is stored (`LLMOPS_TRACE_SAMPLE_RATE`; every request when unset).
  const sampleRate = process.env.LLMOPS_TRACE_SAMPLE_RATE;
  const traceSampling = sampleRate ? { LLMOPS_TRACE_SAMPLE_RATE: sampleRate } : {};
  const running = await startLlmopsServer({
    port: 0,
    cwd,
    env: { LLMOPS_ANONYMOUS_INFERENCE: 'true', ...sqliteWriter, ...traceSampling },
    logger: false,
  });
  await post(`${running.url}/api/v1/prompts`, { name: 'plain', template: 'You are a helpful assistant.' });
  for (const model of models) {
    await post(`${running.url}/api/v1/models`, {
      spec: {
        name: model.name,
        provider: { provider: 'openai', model: 'stub', baseUrl: `${upstream}/v1` },
        pipeline: { kind: 'chat', prompt: 'plain' },
        guardrails: model.guardrails,
        cache: model.cache,
      },
    });
    await post(`${running.url}/api/v1/models/${model.name}/promote`, { version: 1, force: true, reason: 'benchmark' });
  }
  const shutdown = () => void running.close().then(() => process.exit(0));
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.stdout.write(`listening ${running.url} ${cwd}\n`);
}

/** Runs `main`, printing an error's stack and exiting 1 when it fails. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
