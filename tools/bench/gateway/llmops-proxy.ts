/**
 * llmops as a plain proxy for the gateway benchmark, in its own process: the whole API
 * (`startLlmopsServer`, embedded SQLite store, monitoring events on) in a scratch workspace holding
 * the repo's `confs/guardrails.yaml`, with two chat models registered and promoted over the admin API,
 * both `{ provider: openai, model: stub, baseUrl: <upstream>/v1 }`, response cache off, inference without a key
 * (`LLMOPS_ANONYMOUS_INFERENCE`, loopback) and an admin key seeded into the store for the set-up calls:
 * `stub-plain` (guardrail policy `none`) and `stub-guarded` (policy `default`).
 *
 *   npx tsx --conditions=@llmops/source tools/bench/gateway/llmops-proxy.ts --upstream http://127.0.0.1:PORT
 *
 * Prints `listening <url>` once both models answer `@champion`.
 */
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLlmopsServer } from '@llmops/composition';
import { formatApiKey, hashApiKeySecret, SqliteApiKeyStore } from '@llmops/serving';

const adminKeyId = 'b0000000000b';
const adminSecret = 'gateway-bench-admin-secret-0123456789abcdef';
const adminToken = formatApiKey(adminKeyId, adminSecret);

/** Writes the bench's admin key into the scratch workspace's store (admin routes need an admin API key). */
async function seedAdminKey(cwd: string): Promise<void> {
  const store = new SqliteApiKeyStore({ path: join(cwd, '.llmops', 'llmops.db') });
  try {
    await store.insert({
      id: adminKeyId,
      name: 'gateway bench admin',
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

async function main(): Promise<void> {
  const index = process.argv.indexOf('--upstream');
  const upstream = index > 0 ? process.argv[index + 1] : undefined;
  if (!upstream) throw new Error('--upstream <url of the stub> is required');
  const cwd = mkdtempSync(join(tmpdir(), 'llmops-bench-proxy-'));
  mkdirSync(join(cwd, 'confs'));
  copyFileSync(join(import.meta.dirname, '../../../confs/guardrails.yaml'), join(cwd, 'confs', 'guardrails.yaml'));
  await seedAdminKey(cwd);
  // Inference without a key (loopback only), as the other gateways are measured: no key lookup, no limits step.
  const running = await startLlmopsServer({
    port: 0,
    cwd,
    env: { LLMOPS_ANONYMOUS_INFERENCE: 'true' },
    logger: false,
  });
  await post(`${running.url}/api/v1/prompts`, { name: 'plain', template: 'You are a helpful assistant.' });
  for (const [name, guardrails] of [
    ['stub-plain', 'none'],
    ['stub-guarded', 'default'],
  ] as const) {
    await post(`${running.url}/api/v1/models`, {
      spec: {
        name,
        provider: { provider: 'openai', model: 'stub', baseUrl: `${upstream}/v1` },
        pipeline: { kind: 'chat', prompt: 'plain' },
        guardrails,
        cache: { enabled: false },
      },
    });
    await post(`${running.url}/api/v1/models/${name}/promote`, { version: 1, force: true, reason: 'benchmark' });
  }
  const shutdown = () => void running.close().then(() => process.exit(0));
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.stdout.write(`listening ${running.url}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
