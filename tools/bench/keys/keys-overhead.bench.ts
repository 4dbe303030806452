/**
 * Benchmark of what an API key adds to one request: authentication (a primary-key read of the key's row in the
 * SQLite file and a SHA-256 compared in constant time) and the limits step's two calls (admit before the answer,
 * charge after it), with the in-process counters (spend written to the key file) and with the Redis counters
 * (two Lua scripts, one round trip each). Each part runs `--requests` times in sequence; per-call times are reported
 * as percentiles, with the process CPU per call.
 *
 * Run: npx tsx --conditions=@llmops/source tools/bench/keys/keys-overhead.bench.ts [--requests 20000]
 *      [--redis redis://127.0.0.1:6379]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createClient } from 'redis';
import { ApiKeys, LocalLimitCounters, RedisLimitCounters, SqliteApiKeyStore } from '@llmops/serving';
import type { LimitCounters, ServingCaller } from '@llmops/serving';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '20000' },
    redis: { type: 'string', default: process.env['REDIS_URL'] || 'redis://127.0.0.1:6379' },
  },
});
const requests = Number(values.requests);

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

async function measure(name: string, call: () => Promise<unknown>): Promise<void> {
  for (let index = 0; index < Math.min(500, requests); index += 1) await call();
  const times: number[] = [];
  const cpuStart = process.cpuUsage();
  for (let index = 0; index < requests; index += 1) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  const cpu = process.cpuUsage(cpuStart);
  times.sort((a, b) => a - b);
  const cpuMs = (cpu.user + cpu.system) / 1000 / requests;
  console.log(
    `| ${name} | ${percentile(times, 0.5).toFixed(3)} | ${percentile(times, 0.95).toFixed(3)} | ${percentile(times, 0.99).toFixed(3)} | ${cpuMs.toFixed(3)} |`,
  );
}

const folder = mkdtempSync(join(tmpdir(), 'llmops-keys-bench-'));
const store = new SqliteApiKeyStore({ path: join(folder, 'llmops.db') });
try {
  const keys = new ApiKeys({ store });
  const limits = { rpm: 1_000_000, tpm: 1_000_000_000, budgetUsdDay: 1_000_000, budgetUsdMonth: 1_000_000 };
  const { apiKey, key } = await keys.create({ name: 'bench', role: 'inference', limits });
  const caller: ServingCaller = { keyId: key.id, limits };
  const keyedCall = (counters: LimitCounters) => async () => {
    const now = Date.now();
    await counters.admit(caller, now);
    await counters.record(caller, { nowMs: now, tokens: 300, costUsd: 0.0002 });
  };

  console.log(`${requests} calls each, in sequence (Node ${process.version}, ${process.platform})\n`);
  console.log('| part | p50 ms | p95 ms | p99 ms | CPU ms per call |');
  console.log('| --- | --- | --- | --- | --- |');
  await measure('authenticate (SQLite row + SHA-256)', () => keys.authenticate(apiKey));
  const local = new LocalLimitCounters({ ledger: store });
  await measure('limits in process: admit + charge (spend in SQLite)', keyedCall(local));
  await local.close();
  const keyPrefix = `llmops-bench:${process.pid}:`;
  const redis = new RedisLimitCounters({ url: values.redis, keyPrefix, commandTimeoutMs: 5_000 });
  try {
    await measure('limits in Redis: admit + charge (2 Lua scripts)', keyedCall(redis));
  } catch (error) {
    console.log(`| limits in Redis | unavailable: ${String(error)} | | | |`);
  } finally {
    await redis.close();
    const client = createClient({ url: values.redis });
    await client.connect().catch(() => undefined);
    if (client.isReady) {
      const written = await client.keys(`${keyPrefix}*`);
      if (written.length > 0) await client.del(written);
      await client.close();
    }
  }
} finally {
  store.close();
  rmSync(folder, { recursive: true, force: true });
}
