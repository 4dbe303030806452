/**
 * In-process CPU of three small parts of a proxied request, this checkout against another, in one process (blocks
 * taken in turn, the order alternating each round), for changes too small for `paired-cpu.ts` to resolve on a loaded
 * machine: the Prometheus metrics of one request event (`RequestMetrics.record`), a remembered reference resolved
 * through the last-known-good resolver (10 in flight), and a batch of 20 trace rows written inline to SQLite.
 *
 *   npx tsx --conditions=@llmops/source tools/bench/gateway/request-parts-cpu.ts --baseline <checkout> [--rounds 8]
 *
 * Prints the median µs of CPU (user + system) per call or row of each part, before (the baseline) and after.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteFile } from '@llmops/kernel';
import type { SqliteBatchWriter } from '@llmops/kernel';
import { option } from '../command-line.js';

const repo = join(import.meta.dirname, '../../..');
const baseline = option('baseline');
const rounds = Number(option('rounds') ?? 8);

/** The three parts of one checkout, each a function running a block and returning how many calls or rows it made. */
async function partsOf(root: string): Promise<Record<string, () => Promise<number>>> {
  const { RequestMetrics } = await import(join(root, 'packages/monitoring/src/adapters/prometheus/request-metrics.ts'));
  const { LastKnownGoodResolver } = await import(
    join(root, 'packages/composition/src/serving/last-known-good-resolver.ts')
  );
  const { InlineBatchWriter } = await import(join(root, 'packages/kernel/src/sqlite/sqlite-batch-writer.ts'));
  const metrics = new RequestMetrics({ processMetrics: false });
  const event = {
    ...{ at: Date.now(), requestId: 'r', modelRef: 'stub-plain@champion', modelName: 'stub-plain', modelVersion: 1 },
    ...{ status: 200, stream: false, completed: true, latencyMs: 3.5, upstreamLatencyMs: 3.2, inputTokens: 24 },
    ...{ outputTokens: 12, guardrails: [], refused: false, questionHash: 'a'.repeat(64), endpoint: 'chat' },
  };
  const model = { name: 'stub-plain', version: 1 };
  const resolver = new LastKnownGoodResolver({ resolve: async () => model, list: async () => [] });
  await resolver.resolve('stub-plain@champion');
  const database = openSqliteFile({ path: join(mkdtempSync(join(tmpdir(), 'llmops-request-parts-')), 'traces.db') });
  database.exec(`CREATE TABLE traces (trace_id TEXT PRIMARY KEY, started_at REAL NOT NULL, model TEXT NOT NULL,
    record TEXT NOT NULL) STRICT; CREATE INDEX traces_by_start ON traces (started_at);
    CREATE INDEX traces_by_model ON traces (model, started_at);`);
  const writer: SqliteBatchWriter = new InlineBatchWriter(database, 'trace store');
  const insert = { sql: 'INSERT OR REPLACE INTO traces VALUES (?, ?, ?, ?)', items: 'traces' };
  const record = 'x'.repeat(1_775); // the size of the bench's plain trace
  let sequence = 0;
  const row = () => {
    sequence += 1;
    return [sequence.toString(16).padStart(32, '0'), Date.now(), 'stub-plain/1', record];
  };
  return {
    'metrics record': async () => {
      for (let index = 0; index < 100_000; index += 1) metrics.record(event);
      return 100_000;
    },
    'resolve, remembered': async () => {
      for (let index = 0; index < 50_000; index += 10)
        await Promise.all(Array.from({ length: 10 }, () => resolver.resolve('stub-plain@champion')));
      return 50_000;
    },
    'trace row, batch of 20': async () => {
      for (let batch = 0; batch < 100; batch += 1) await writer.write(insert, Array.from({ length: 20 }, row));
      return 2_000;
    },
  };
}

function cpuMicroseconds(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

const median = (values: readonly number[]) => [...values].sort((left, right) => left - right)[values.length >> 1] ?? 0;

async function main(): Promise<void> {
  if (!baseline) throw new Error('--baseline <another checkout> is required');
  const versions = { before: await partsOf(baseline), after: await partsOf(repo) };
  const results: Record<string, number[]> = {};
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const);
    for (const part of Object.keys(versions.after))
      for (const name of order) {
        const started = cpuMicroseconds();
        const calls = await (versions[name][part] as () => Promise<number>)();
        (results[`${part}|${name}`] ??= []).push((cpuMicroseconds() - started) / calls);
      }
  }
  process.stdout.write(`median µs of CPU per call or row, ${rounds} rounds\n`);
  for (const part of Object.keys(versions.after)) {
    const before = median(results[`${part}|before`] ?? []);
    const after = median(results[`${part}|after`] ?? []);
    process.stdout.write(
      `${part.padEnd(24)} before ${before.toFixed(3)}  after ${after.toFixed(3)}  after ÷ before ${(after / before).toFixed(2)}\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
