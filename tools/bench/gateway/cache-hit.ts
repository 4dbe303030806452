/**
 * Benchmark of the response cache: the latency of a cache hit end to end, over HTTP on 127.0.0.1
 * (`POST /v1/chat/completions` of the llmops API routes), for each backend: the in-process LRU, the
 * embedded SQLite file and Redis (`REDIS_URL`, default redis://127.0.0.1:6379; skipped when unreachable).
 * The model is a RAG pipeline on the offline extractive provider with the default guardrail policy, so a
 * hit still runs the input and output checks; misses (distinct questions, so retrieval and generation run)
 * are measured too for comparison.
 *
 *   npx tsx --conditions=@llmops/source tools/bench/gateway/cache-hit.ts [--requests 3000] [--stream]
 *
 * Requests are sequential from a client in the same process (Node's fetch, keep-alive), so each one is timed
 * alone. Prints p50/p95/p99 and throughput per backend; exits with status 1 when a hit's p95 misses 2 ms or an
 * answer does not carry the expected `x-llmops-cache` header.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAiRoutes, startApiServer } from '@llmops/composition';
import type { ResponseCacheStore } from '@llmops/serving';
import {
  builtInGuardrailPolicies,
  CorpusIndexer,
  FileCorpusSource,
  FileIndexStore,
  LruResponseCache,
  PipelineFactory,
  RedisResponseCache,
  ServingService,
  SqliteResponseCache,
} from '@llmops/serving';
import { InMemoryModelResolver, servableModelFromSpec } from '@llmops/serving/testing';

const targetP95Ms = 2;

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index > 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

const requestCount = flag('requests', 3_000);
const stream = process.argv.includes('--stream');
const warmupCount = 300;

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] as number;
}

function corpus(root: string): void {
  mkdirSync(join(root, 'kb'), { recursive: true });
  for (let index = 0; index < 40; index += 1) {
    writeFileSync(
      join(root, 'kb', `article-${index}.md`),
      `# Article ${index}\n\n## Refunds ${index}\n\nRefunds for order type ${index} take ${3 + (index % 5)} business days ` +
        `once the parcel is back at the warehouse in city ${index}.\n\n## Shipping ${index}\n\nParcels of type ${index} ` +
        `ship within ${1 + (index % 3)} days and carry tracking number prefix T${index}.\n`,
    );
  }
}

interface Measured {
  latencies: number[];
  seconds: number;
  wrongHeaders: number;
}

async function measure(url: string, count: number, question: (index: number) => string, expected: string) {
  const latencies: number[] = [];
  let wrongHeaders = 0;
  const started = performance.now();
  for (let index = 0; index < count; index += 1) {
    const body = JSON.stringify({
      model: 'support-rag@champion',
      messages: [{ role: 'user', content: question(index) }],
      ...(stream ? { stream: true } : {}),
    });
    const sent = performance.now();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await response.text();
    latencies.push(performance.now() - sent);
    if (response.headers.get('x-llmops-cache') !== expected) wrongHeaders += 1;
  }
  return { latencies, seconds: (performance.now() - started) / 1000, wrongHeaders } satisfies Measured;
}

async function run(root: string, store: ResponseCacheStore): Promise<{ hits: Measured; misses: Measured }> {
  const model = servableModelFromSpec(
    {
      name: 'support-rag',
      provider: 'offline/extractive',
      pipeline: { kind: 'rag', prompt: 'unpinned', corpus: 'kb', retrieval: { k: 4 }, tokenBudget: 600 },
      cache: { ttlSeconds: 3600, namespace: `bench-${randomUUID()}` },
    },
    { version: 1 },
  );
  const factory = new PipelineFactory({
    guardrails: builtInGuardrailPolicies(),
    indexer: new CorpusIndexer({
      source: new FileCorpusSource({ root }),
      store: new FileIndexStore({ directory: join(root, '.llmops', 'indexes') }),
    }),
    env: {},
    cache: { store },
  });
  const serving = new ServingService({
    resolver: new InMemoryModelResolver().add(model, { aliases: ['champion'] }),
    factory,
  });
  const running = await startApiServer({ port: 0, routes: [openAiRoutes({ serving })] });
  try {
    const url = `${running.url}/v1/chat/completions`;
    const hitQuestion = () => 'How long do refunds for order type 7 take?';
    await measure(url, 1, hitQuestion, 'miss');
    await measure(url, warmupCount, hitQuestion, 'hit');
    const hits = await measure(url, requestCount, hitQuestion, 'hit');
    const misses = await measure(
      url,
      Math.min(1_000, requestCount),
      (index) => `When does parcel ${index} of type ${index % 40} ship?`,
      'miss',
    );
    return { hits, misses };
  } finally {
    await running.close();
    await store.close();
  }
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'llmops-bench-cache-'));
  corpus(root);
  const backends: Array<[string, () => Promise<ResponseCacheStore | undefined>]> = [
    ['memory', async () => new LruResponseCache()],
    ['sqlite', async () => new SqliteResponseCache({ path: join(root, '.llmops', 'llmops.db') })],
    [
      'redis',
      async () => {
        const redis = new RedisResponseCache({
          url: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
          keyPrefix: `llmops:bench:${randomUUID()}:`,
        });
        if (
          await Promise.race([redis.ready(), new Promise<false>((resolve) => setTimeout(() => resolve(false), 2_000))])
        )
          return redis;
        await redis.close();
        return undefined;
      },
    ],
  ];
  const rows: string[][] = [];
  let failed = false;
  for (const [name, open] of backends) {
    const store = await open();
    if (!store) {
      rows.push([name, 'skipped: Redis unreachable']);
      continue;
    }
    const { hits, misses } = await run(root, store);
    for (const [kind, measured] of [
      ['hit', hits],
      ['miss', misses],
    ] as const) {
      const sorted = [...measured.latencies].sort((left, right) => left - right);
      const p95 = percentile(sorted, 0.95);
      if (kind === 'hit' && p95 > targetP95Ms) failed = true;
      if (measured.wrongHeaders > 0) failed = true;
      rows.push([
        `${name} ${kind}`,
        `n ${sorted.length}`,
        `p50 ${percentile(sorted, 0.5).toFixed(2)} ms`,
        `p95 ${p95.toFixed(2)} ms`,
        `p99 ${percentile(sorted, 0.99).toFixed(2)} ms`,
        `${(sorted.length / measured.seconds).toFixed(0)} req/s`,
        `wrong header ${measured.wrongHeaders}`,
      ]);
    }
  }
  rmSync(root, { recursive: true, force: true });
  process.stdout.write(
    `machine: ${cpus().length} cores, Node ${process.versions.node}; ${stream ? 'streamed' : 'whole'} answers, ` +
      `sequential requests, guardrails default, target hit p95 <= ${targetP95Ms} ms\n`,
  );
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  for (const row of rows)
    process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}\n`);
  process.stdout.write(
    `heap used after: ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(0)} MiB\n${failed ? 'FAIL\n' : ''}`,
  );
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
