/**
 * The llmops server of the soak (`soak.ts` starts it in its own process): the whole API (`startLlmopsServer`, embedded
 * SQLite store, monitoring events on) in a scratch workspace holding the repo's `confs/guardrails.yaml`, inference
 * without a key (loopback), an admin key seeded for the set-up calls, and three chat models on the upstream stub:
 * `soak-guarded` (policy `default`, cache off: plain, streamed and blocked requests), `soak-cached` (policy `default`,
 * response cache on: the cached requests) and nothing else.
 *
 *   node_modules/.bin/node --import tsx --conditions=@llmops/source tools/soak/soak-server.ts --upstream <url>
 *
 * Prints `listening <url> <workspace>` once both models answer; SIGTERM closes it (drains requests, writes events).
 */
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLlmopsServer } from '@llmops/composition';
import { formatApiKey, hashApiKeySecret, SqliteApiKeyStore } from '@llmops/serving';

const adminKeyId = 'c0000000000c';
const adminSecret = 'soak-admin-secret-for-the-soak-only-0123456';
const adminToken = formatApiKey(adminKeyId, adminSecret);

async function seedAdminKey(cwd: string): Promise<void> {
  const store = new SqliteApiKeyStore({ path: join(cwd, '.llmops', 'llmops.db') });
  try {
    await store.insert({
      id: adminKeyId,
      name: 'soak admin',
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
  const cwd = mkdtempSync(join(tmpdir(), 'llmops-soak-'));
  mkdirSync(join(cwd, 'confs'));
  copyFileSync(join(import.meta.dirname, '../../confs/guardrails.yaml'), join(cwd, 'confs', 'guardrails.yaml'));
  await seedAdminKey(cwd);
  const running = await startLlmopsServer({
    port: 0,
    cwd,
    env: { LLMOPS_ANONYMOUS_INFERENCE: 'true' },
    logger: false,
  });
  await post(`${running.url}/api/v1/prompts`, { name: 'plain', template: 'You are a helpful assistant.' });
  for (const [name, cache] of [
    ['soak-guarded', { enabled: false }],
    ['soak-cached', { ttlSeconds: 3_600 }],
  ] as const) {
    await post(`${running.url}/api/v1/models`, {
      spec: {
        name,
        provider: { provider: 'openai', model: 'stub', baseUrl: `${upstream}/v1` },
        pipeline: { kind: 'chat', prompt: 'plain' },
        guardrails: 'default',
        cache,
      },
    });
    await post(`${running.url}/api/v1/models/${name}/promote`, { version: 1, force: true, reason: 'soak' });
  }
  const shutdown = () => void running.close().then(() => process.exit(0));
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.stdout.write(`listening ${running.url} ${cwd}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
