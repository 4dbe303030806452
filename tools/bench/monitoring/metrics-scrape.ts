/**
 * Benchmark of the `GET /metrics` scrape: a `RequestMetrics` registry fed with traffic over many models (50 by
 * default) × versions × HTTP statuses, guardrail blocks by side and category, upstream errors and cache lookups,
 * so every label combination a busy server would expose exists; then the registry is scraped many times and the
 * time of each scrape (the Prometheus text built by prom-client, process metrics included, as the API serves it)
 * is reported as percentiles, with prom-client's own registry and with llmops' `PrometheusTextRegistry` (the one
 * `RequestMetrics` uses). Target: p95 <= 10 ms with 50 models.
 *
 * Run: npx tsx --conditions=@llmops/source tools/bench/monitoring/metrics-scrape.ts [--models 50] [--versions 3]
 *      [--requests 200000] [--scrapes 300]
 */
import { parseArgs } from 'node:util';
import { Registry } from 'prom-client';
import { BatchingEventQueue, RequestMetrics } from '@llmops/monitoring';
import type { RequestEvent } from '@llmops/monitoring';

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: '50' },
    versions: { type: 'string', default: '3' },
    requests: { type: 'string', default: '200000' },
    scrapes: { type: 'string', default: '300' },
  },
});
const modelCount = Number(values.models);
const versionCount = Number(values.versions);
const requestCount = Number(values.requests);
const scrapeCount = Number(values.scrapes);

/** Statuses a server answers with, most requests 200; the errors carry the code serving gives them. */
const outcomes: Array<{ status: number; errorCode?: string; share: number }> = [
  { status: 200, share: 0.9 },
  { status: 400, errorCode: 'guardrail_blocked', share: 0.03 },
  { status: 429, errorCode: 'rate_limited', share: 0.02 },
  { status: 500, errorCode: 'internal', share: 0.01 },
  { status: 502, errorCode: 'upstream_error', share: 0.02 },
  { status: 504, errorCode: 'timeout', share: 0.02 },
];
const categories = ['violence', 'self_harm', 'sexual', 'hate', 'pii'];
const cacheResults = ['hit', 'miss', 'bypass'] as const;

/** A deterministic pseudo-random number in [0, 1) (so every run feeds the same traffic). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const random = mulberry32(42);

function outcomeOf(index: number): (typeof outcomes)[number] {
  // Every (model, version) gets each status at least once in the first rounds, then shares decide.
  if (index < modelCount * versionCount * outcomes.length)
    return outcomes[Math.floor(index / (modelCount * versionCount)) % outcomes.length] as (typeof outcomes)[number];
  let draw = random();
  for (const outcome of outcomes) {
    draw -= outcome.share;
    if (draw < 0) return outcome;
  }
  return outcomes[0] as (typeof outcomes)[number];
}

function eventOf(index: number): RequestEvent {
  const model = index % modelCount;
  const version = 1 + (Math.floor(index / modelCount) % versionCount);
  const outcome = outcomeOf(index);
  const blocked = outcome.errorCode === 'guardrail_blocked';
  const category = categories[index % categories.length] as string;
  return {
    at: Date.now(),
    requestId: `req-${index}`,
    modelRef: `model-${model}@champion`,
    modelName: `model-${model}`,
    modelVersion: version,
    status: outcome.status,
    ...(outcome.errorCode === undefined ? {} : { errorCode: outcome.errorCode }),
    stream: index % 4 === 0,
    completed: outcome.status === 200,
    latencyMs: 20 + random() * 900,
    upstreamLatencyMs: 10 + random() * 800,
    inputTokens: 200 + Math.floor(random() * 600),
    outputTokens: 20 + Math.floor(random() * 200),
    costUsd: 0.0001 + random() * 0.001,
    cache: cacheResults[index % cacheResults.length] as RequestEvent['cache'],
    guardrails: blocked ? [{ side: index % 2 === 0 ? 'input' : 'output', category, action: 'block' }] : [],
    refused: blocked,
    questionHash: index.toString(16).padStart(64, '0'),
  };
}

function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return (sorted[lower] as number) + ((sorted[upper] as number) - (sorted[lower] as number)) * (position - lower);
}

interface ScrapeTimes {
  series: number;
  bytes: number;
  p50: number;
  p95: number;
  max: number;
  cpuMs: number;
}

/** Feeds the traffic into a fresh `RequestMetrics` on `registry`, then times `scrapeCount` scrapes after a warm-up. */
async function scrapeTimes(registry: Registry | undefined): Promise<ScrapeTimes> {
  const queue = new BatchingEventQueue({ store: { append: async () => undefined }, maxQueued: 10 });
  const metrics = new RequestMetrics({ queueStats: () => queue.stats(), ...(registry ? { registry } : {}) });
  for (const event of events) metrics.record(event);
  const first = await metrics.scrape();
  for (let index = 0; index < 20; index += 1) await metrics.scrape();
  const times: number[] = [];
  const cpuStart = process.cpuUsage();
  for (let index = 0; index < scrapeCount; index += 1) {
    const start = performance.now();
    await metrics.scrape();
    times.push(performance.now() - start);
  }
  const cpu = process.cpuUsage(cpuStart);
  await queue.close();
  times.sort((a, b) => a - b);
  return {
    series: first.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length,
    bytes: Buffer.byteLength(first),
    p50: quantile(times, 0.5),
    p95: quantile(times, 0.95),
    max: times[times.length - 1] as number,
    cpuMs: (cpu.user + cpu.system) / 1000 / scrapeCount,
  };
}

const events = Array.from({ length: requestCount }, (_, index) => eventOf(index));

async function main(): Promise<void> {
  console.log(
    `${modelCount} models × ${versionCount} versions, ${requestCount.toLocaleString('en-US')} requests recorded, ` +
      `${scrapeCount} scrapes after 20 warm-up ones`,
  );
  const rows = [['registry', 'series', 'size', 'p50 ms', 'p95 ms', 'max ms', 'CPU ms/scrape']];
  for (const [name, registry] of [
    ["prom-client's Registry", new Registry()],
    ['PrometheusTextRegistry (default)', undefined],
  ] as const) {
    const times = await scrapeTimes(registry);
    rows.push([
      name,
      times.series.toLocaleString('en-US'),
      `${(times.bytes / 1024).toFixed(0)} kB`,
      times.p50.toFixed(2),
      times.p95.toFixed(2),
      times.max.toFixed(2),
      times.cpuMs.toFixed(2),
    ]);
  }
  const widths = (rows[0] as string[]).map((_, column) =>
    Math.max(...rows.map((row) => (row[column] as string).length)),
  );
  for (const row of rows)
    console.log(
      row
        .map((cell, column) => cell.padEnd(widths[column] as number))
        .join('  ')
        .trimEnd(),
    );
  console.log(`heap in use ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(0)} MB`);
}

await main();
