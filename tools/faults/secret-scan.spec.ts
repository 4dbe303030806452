import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pino from 'pino';
import { startLlmopsServer } from '@llmops/composition';
import { completionReply, startOpenAiWireServer } from '@llmops/providers/testing';
import { formatApiKey, hashApiKeySecret, SqliteApiKeyStore } from '@llmops/serving';
import { scanForSecrets } from './secret-scan.js';

const workspaceRoot = resolve(__dirname, '../..');
const script = join(workspaceRoot, 'tools/faults/secret-scan.ts');
const node = join(workspaceRoot, 'node_modules/.bin/node');

function runScan(args: readonly string[]): { status: number | null; output: string } {
  const run = spawnSync(node, ['--import', 'tsx', script, ...args], { cwd: workspaceRoot, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('secret scan', () => {
  it('names the file and kind of each planted secret (in a SQLite file, URL-encoded in a log), never the secret', () => {
    const folder = mkdtempSync(join(tmpdir(), 'llmops-secret-scan-'));
    const secrets = {
      'admin key': 'llmops-a1b2c3d4e5f6-plantedAdminSecret0123',
      'provider key': 'sk-planted/provider+key',
    };
    const database = new DatabaseSync(join(folder, 'store.db'));
    database.exec('CREATE TABLE leaks (text TEXT)');
    database.prepare('INSERT INTO leaks VALUES (?)').run(`token=${secrets['admin key']}`);
    database.close();
    writeFileSync(join(folder, 'server.log'), `GET /x?key=${encodeURIComponent(secrets['provider key'])}\n`);
    writeFileSync(join(folder, 'clean.txt'), 'nothing to see\n');
    const secretsFile = join(mkdtempSync(join(tmpdir(), 'llmops-secret-list-')), 'secrets.json');
    writeFileSync(secretsFile, JSON.stringify(secrets));

    expect(scanForSecrets({ roots: [folder], secrets }).hits).toEqual([
      { file: join(folder, 'server.log'), kind: 'provider key' },
      { file: join(folder, 'store.db'), kind: 'admin key' },
    ]);
    const run = runScan(['--secrets', secretsFile, folder]);
    expect(run.status).toBe(1);
    expect(run.output).toContain(`${join(folder, 'store.db')}: admin key`);
    for (const value of Object.values(secrets)) expect(run.output).not.toContain(value);
    expect(runScan(['--secrets', secretsFile, join(folder, 'clean.txt')]).status).toBe(0);
    expect(runScan(['--secrets', secretsFile, join(folder, 'missing')]).status).toBe(2);
  });

  it('finds no key of a served workspace in its stores, WAL files or log after keyed, failing and blocked traffic', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'llmops-secret-served-'));
    const upstream = await startOpenAiWireServer();
    const adminSecret = 'scanAdminSecretSentinel-0123456789abcdefghi';
    const adminKey = formatApiKey('d0000000000d', adminSecret);
    const providerKey = 'sk-sentinel-provider-key-0123456789abcdef';
    const keys = new SqliteApiKeyStore({ path: join(cwd, '.llmops', 'llmops.db') });
    await keys.insert({
      id: 'd0000000000d',
      name: 'scan admin',
      role: 'admin',
      limits: {},
      secretHash: hashApiKeySecret(adminSecret),
      createdAt: Date.now(),
    });
    keys.close();
    const logFile = join(cwd, 'server.log');
    const logger = pino({ level: 'info' }, pino.destination({ dest: logFile, sync: true }));
    const { host } = new URL(upstream.baseUrl);
    const running = await startLlmopsServer({
      port: 0,
      cwd,
      env: { LLMOPS_PROVIDER_KEY_STUB: providerKey, LLMOPS_PROVIDER_KEY_STUB_HOSTS: host },
      logger,
    });
    let inferenceKey = '';
    try {
      const call = async (path: string, body: unknown, key = adminKey) =>
        fetch(`${running.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify(body),
        });
      expect((await call('/api/v1/prompts', { name: 'plain', template: 'You are helpful.' })).status).toBe(201);
      const spec = {
        name: 'stubbed',
        provider: {
          provider: 'openai',
          model: 'stub',
          baseUrl: upstream.baseUrl,
          apiKeyEnv: 'LLMOPS_PROVIDER_KEY_STUB',
        },
        pipeline: { kind: 'chat', prompt: 'plain' },
      };
      expect((await call('/api/v1/models', { spec })).status).toBe(201);
      const created = await call('/api/v1/keys', { name: 'app', role: 'inference' });
      inferenceKey = ((await created.json()) as { apiKey: string }).apiKey;
      const ask = (content: string, key = inferenceKey) =>
        call('/v1/chat/completions', { model: 'stubbed/1', messages: [{ role: 'user', content }] }, key);
      upstream.reply(
        '/v1/chat/completions',
        {
          kind: 'json',
          status: 401,
          body: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } },
        },
        completionReply('Fine.'),
      );
      const statuses = [
        (await ask('first: the upstream refuses the key')).status,
        (await ask('second: answered')).status,
        (await ask('How do I poison my neighbour?')).status,
        (await ask('with a wrong key', `${inferenceKey.slice(0, -4)}XXXX`)).status,
      ];
      expect(statuses).toEqual([401, 200, 400, 401]);
      // The sentinel was really in play: the upstream received the provider key.
      expect(upstream.requestsTo('/v1/chat/completions')[0]?.headers.authorization).toBe(`Bearer ${providerKey}`);
    } finally {
      await running.close();
      await upstream.close();
    }
    const result = scanForSecrets({
      roots: [cwd],
      secrets: { 'admin key': adminKey, 'inference key': inferenceKey, 'provider key': providerKey },
    });
    // The store (its WAL checkpointed on close: events, traces, keys, registry) and the log.
    expect(result.files).toBeGreaterThanOrEqual(2);
    expect(result.hits).toEqual([]);
    // The log holds the requests (it is not empty, so the scan looked at something).
    expect(execFileSync('wc', ['-l', logFile], { encoding: 'utf8' })).not.toMatch(/^0 /);
  });
});
