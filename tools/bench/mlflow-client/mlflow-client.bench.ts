/**
 * Benchmark of @llmops/mlflow-client against a real local MLflow 3.17 server.
 *
 *   npx tsx tools/bench/mlflow-client/mlflow-client.bench.ts [--backend sqlite|postgresql] [--metrics 10000] [--rounds 5] [--resolves 1000]
 *
 * Run from the workspace root. Starts its own `mlflow server` (tools/mlflow venv, installed on first
 * use) on a temporary SQLite file or a fresh PostgreSQL database, then measures:
 *  - logging 10,000 metrics through one `runs.logBatch` call (split into requests of 1000), `--rounds`
 *    times into fresh runs: the latency of each log-batch request and of each whole call, and the metrics written per second;
 *  - resolving an alias (`registry.getModelVersionByAlias`) 1,000 times in a row: latency and calls per second,
 *    next to the same GET done 1,000 times with a bare fetch (what the server alone costs).
 * Reads the mlflow-client package from source and the kernel from its build (`npx nx build kernel`).
 */
import { cpus } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createMlflowClient } from '../../../packages/mlflow-client/src/index.js';
import { startMlflowServer } from '../../../packages/mlflow-client/src/testing/index.js';
import type { MlflowBackend } from '../../../packages/mlflow-client/src/testing/index.js';

function flag(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

const backend = flag('backend', 'sqlite') as MlflowBackend;
const metricCount = Number(flag('metrics', '10000'));
const rounds = Number(flag('rounds', '5'));
const resolveCount = Number(flag('resolves', '1000'));
const workspaceRoot = process.cwd();
if (!existsSync(join(workspaceRoot, 'tools', 'mlflow', 'setup-venv.sh'))) {
  throw new Error(
    `run the benchmark from the llmops workspace root (no tools/mlflow/setup-venv.sh in ${workspaceRoot})`,
  );
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] as number;
}

function summarise(name: string, options: { durations: number[]; totalMs: number; units: number; unit: string }) {
  const sorted = [...options.durations].sort((left, right) => left - right);
  return {
    operation: name,
    requests: sorted.length,
    'p50 ms': percentile(sorted, 0.5).toFixed(2),
    'p95 ms': percentile(sorted, 0.95).toFixed(2),
    'p99 ms': percentile(sorted, 0.99).toFixed(2),
    throughput: `${Math.round((options.units * 1000) / options.totalMs).toLocaleString('en-US')} ${options.unit}/s`,
  };
}

/** A fetch that records how long each request to a path took (the client's own retries included). */
function timedFetch(durations: Map<string, number[]>): typeof fetch {
  return async (input, init) => {
    const started = performance.now();
    try {
      return await fetch(input, init);
    } finally {
      const path = new URL(typeof input === 'string' || input instanceof URL ? input : input.url).pathname;
      const list = durations.get(path) ?? [];
      list.push(performance.now() - started);
      durations.set(path, list);
    }
  };
}

const server = await startMlflowServer({ workspaceRoot, backend });
try {
  const durations = new Map<string, number[]>();
  const client = createMlflowClient({ trackingUri: server.trackingUri, fetch: timedFetch(durations) });
  const experimentId = await client.experiments.create({ name: `bench-${Date.now()}` });

  // Warm-up: one small batch and a few alias lookups (connection pools, SQL statement caches).
  const { info: warmRun } = await client.runs.create({ experimentId });
  await client.runs.logBatch({
    runId: warmRun.runId,
    metrics: Array.from({ length: 1000 }, (_, step) => ({ key: 'warm', value: step, step })),
  });

  const metrics = Array.from({ length: metricCount }, (_, index) => ({
    key: `metric_${index % 10}`,
    value: Math.sin(index),
    step: Math.floor(index / 10),
  }));
  const callDurations: number[] = [];
  const logDurations: number[] = [];
  let requests = 0;
  let runId = '';
  for (let round = 0; round < rounds; round += 1) {
    const { info } = await client.runs.create({ experimentId, runName: `bench-${round}` });
    runId = info.runId;
    durations.clear();
    const started = performance.now();
    requests += (await client.runs.logBatch({ runId, metrics })).requests;
    callDurations.push(performance.now() - started);
    logDurations.push(...(durations.get('/api/2.0/mlflow/runs/log-batch') ?? []));
    const stored = (await client.runs.getMetricHistory({ runId, key: 'metric_0' })).length;
    if (stored !== metricCount / 10)
      throw new Error(`expected ${metricCount / 10} values of metric_0, found ${stored}`);
  }
  const logMs = callDurations.reduce((sum, duration) => sum + duration, 0);

  const name = `bench-model-${Date.now()}`;
  await client.registry.createRegisteredModel({ name });
  await client.registry.createModelVersion({ name, source: `runs:/${runId}/model`, runId });
  await client.registry.setAlias({ name, alias: 'champion', version: 1 });
  for (let index = 0; index < 20; index += 1) await client.registry.getModelVersionByAlias({ name, alias: 'champion' });
  durations.clear();
  const resolveStarted = performance.now();
  for (let index = 0; index < resolveCount; index += 1) {
    const version = await client.registry.getModelVersionByAlias({ name, alias: 'champion' });
    if (version.version !== 1) throw new Error(`alias resolved to ${version.version}`);
  }
  const resolveMs = performance.now() - resolveStarted;
  const resolveDurations = durations.get('/api/2.0/mlflow/registered-models/alias') ?? [];

  // Baseline: the same GET with a bare fetch and JSON.parse, to tell the client's overhead from the server's time.
  const rawUrl = `${server.trackingUri}/api/2.0/mlflow/registered-models/alias?name=${encodeURIComponent(name)}&alias=champion`;
  const rawDurations: number[] = [];
  const rawStarted = performance.now();
  for (let index = 0; index < resolveCount; index += 1) {
    const started = performance.now();
    const body = (await (await fetch(rawUrl)).json()) as { model_version: { version: string } };
    if (body.model_version.version !== '1') throw new Error('raw alias lookup answered another version');
    rawDurations.push(performance.now() - started);
  }
  const rawMs = performance.now() - rawStarted;

  process.stdout.write(
    `MLflow client benchmark: MLflow 3.17.2 on ${backend}, ${cpus().length} cores, Node.js ${process.versions.node}, loopback\n` +
      `log-batch: ${rounds} x ${metricCount} metrics in ${requests} requests, ${logMs.toFixed(0)} ms in all; ` +
      `alias: ${resolveCount} sequential resolves, ${resolveMs.toFixed(0)} ms in all\n`,
  );
  console.table([
    summarise('log-batch request (1000 metrics)', {
      durations: logDurations,
      totalMs: logMs,
      units: rounds * metricCount,
      unit: 'metrics',
    }),
    summarise(`logBatch call (${metricCount} metrics)`, {
      durations: callDurations,
      totalMs: logMs,
      units: rounds * metricCount,
      unit: 'metrics',
    }),
    summarise('resolve alias', { durations: resolveDurations, totalMs: resolveMs, units: resolveCount, unit: 'calls' }),
    summarise('same GET, bare fetch (baseline)', {
      durations: rawDurations,
      totalMs: rawMs,
      units: resolveCount,
      unit: 'calls',
    }),
  ]);
  process.stdout.write(`heap in use: ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB\n`);
} finally {
  await server.stop();
}
