/**
 * The llmops API to fuzz with schemathesis, in its own process: the whole API (`startLlmopsServer`, embedded SQLite
 * store) in a scratch workspace holding a two-article knowledge base, an admin key made for this run, and
 * `kettle-help/1` (a RAG model on the offline extractive provider, so no request leaves the machine) registered and
 * promoted to `champion` over the admin API.
 *
 *   npx tsx --conditions=@llmops/source tools/schemathesis/fuzz-target.ts --key-file <file>
 *
 * Writes the admin key to `--key-file` (mode 0600), prints `listening <url>` once the model answers, and serves until
 * SIGTERM or SIGINT.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLlmopsServer } from '@llmops/composition';
import { formatApiKey, hashApiKeySecret, SqliteApiKeyStore } from '@llmops/serving';

async function seedAdminKey(cwd: string): Promise<string> {
  // The shape of an llmops key: a 12-hex-digit id and 256 random bits.
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const store = new SqliteApiKeyStore({ path: join(cwd, '.llmops', 'llmops.db') });
  try {
    await store.insert({
      id,
      name: 'schemathesis admin',
      role: 'admin',
      limits: {},
      secretHash: hashApiKeySecret(secret),
      createdAt: Date.now(),
    });
  } finally {
    store.close();
  }
  return formatApiKey(id, secret);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'key-file': { type: 'string' } }, strict: true });
  const keyFile = values['key-file'];
  if (!keyFile) throw new Error('--key-file <file> is required: the admin key is written there');
  const cwd = mkdtempSync(join(tmpdir(), 'llmops-fuzz-'));
  mkdirSync(join(cwd, 'kb'));
  mkdirSync(join(cwd, '.llmops'));
  writeFileSync(
    join(cwd, 'kb', 'warranty.md'),
    '# Warranty\n\nAll kettles carry a two-year warranty on the element.\n',
  );
  writeFileSync(join(cwd, 'kb', 'support.md'), '# Support\n\nSupport answers by chat from 8:00 to 20:00 CET.\n');
  const adminKey = await seedAdminKey(cwd);
  const running = await startLlmopsServer({ port: 0, cwd, env: {}, logger: false });
  const post = async (path: string, body: object) => {
    const response = await fetch(`${running.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  };
  try {
    await seedModel(post);
  } catch (error) {
    await running.close();
    throw error;
  }
  writeFileSync(keyFile, adminKey, { mode: 0o600 });
  console.log(`listening ${running.url}`);
  const stop = () => void running.close().catch(() => (process.exitCode = 1));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** Registers `kettle-help/1` (offline extractive RAG) and promotes it to champion. */
async function seedModel(post: (path: string, body: object) => Promise<void>): Promise<void> {
  await post('/api/v1/prompts', {
    name: 'answer',
    template: 'Answer from the passages.\n\n{{context}}\n\nQuestion: {{question}}',
  });
  await post('/api/v1/models', {
    spec: {
      name: 'kettle-help',
      provider: 'offline/extractive',
      pipeline: { kind: 'rag', prompt: 'answer', corpus: 'kb', retrieval: { k: 2 }, tokenBudget: 300 },
    },
  });
  await post('/api/v1/models/kettle-help/promote', { version: 1, force: true, reason: 'fuzz target' });
}

main().catch((error: unknown) => {
  console.error(`fuzz-target: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
