/**
 * Benchmarks of the registry's hot paths, on the embedded SQLite store:
 * - resolving a reference with a warm cache (target p95 <= 0.2 ms), for `name@alias`, `name/7` and `name`;
 * - registering 1,000 model versions (target <= 2 s in total).
 *
 * Run: npx tsx --conditions=@llmops/source tools/bench/registry/registry.bench.ts [--iterations N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRegistry, SqliteRegistryStore } from '@llmops/registry';
import type { Registry } from '@llmops/registry';
import { InMemoryEvaluationEvidence } from '@llmops/registry/testing';

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '100000' } } });
const iterations = Number(values.iterations);

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

interface Row {
  name: string;
  count: number;
  p50: number;
  p95: number;
  p99: number;
  totalMs: number;
}

function summarise(name: string, samples: number[]): Row {
  const sorted = [...samples].sort((left, right) => left - right);
  const totalMs = samples.reduce((sum, sample) => sum + sample, 0);
  return {
    name,
    count: samples.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    totalMs,
  };
}

function spec(seed: number) {
  return {
    name: 'bench-rag',
    provider: 'offline/extractive',
    params: { temperature: 0, seed },
    pipeline: { kind: 'rag', prompt: 'bench-answer@latest', corpus: 'confs/data/kb/', retrieval: { k: 4 } },
  };
}

async function timeResolves(registry: Registry, reference: string): Promise<Row> {
  for (let index = 0; index < 1_000; index += 1) await registry.resolveModel(reference);
  const samples = new Array<number>(iterations);
  for (let index = 0; index < iterations; index += 1) {
    const start = performance.now();
    await registry.resolveModel(reference);
    samples[index] = performance.now() - start;
  }
  return summarise(`resolve ${reference} (warm)`, samples);
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'llmops-bench-registry-'));
  const rows: Row[] = [];
  try {
    // Registering 1,000 versions, each its own transaction on a WAL file.
    const registerStore = new SqliteRegistryStore({ path: join(directory, 'register.db') });
    const registrar = createRegistry({ store: registerStore, actor: 'bench' });
    await registrar.registerPrompt({ name: 'bench-answer', template: 'Context: {{context}}\nQuestion: {{question}}' });
    const registerSamples: number[] = [];
    const wallStart = performance.now();
    for (let seed = 1; seed <= 1_000; seed += 1) {
      const start = performance.now();
      await registrar.registerModel({ spec: spec(seed) });
      registerSamples.push(performance.now() - start);
    }
    const registerWallMs = performance.now() - wallStart;
    rows.push(summarise('register model version (SQLite file)', registerSamples));
    await registrar.close();

    // Resolving with a warm cache; the SQLite change marker is still read on every call.
    const store = new SqliteRegistryStore({ path: join(directory, 'resolve.db') });
    const evidence = new InMemoryEvaluationEvidence();
    const registry = createRegistry({ store, evidence, actor: 'bench' });
    await registry.registerPrompt({ name: 'bench-answer', template: 'Q: {{question}}' });
    for (let seed = 1; seed <= 7; seed += 1) await registry.registerModel({ spec: spec(seed) });
    await registry.promote({ name: 'bench-rag', version: 7, force: true, reason: 'benchmark' });
    for (const reference of ['bench-rag@champion', 'bench-rag/7', 'bench-rag'])
      rows.push(await timeResolves(registry, reference));
    await registry.close();

    const memory = process.memoryUsage();
    console.log(
      `registry benchmark: node ${process.versions.node}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown cpu'}), ${iterations} resolves per reference`,
    );
    console.log('');
    console.log('| operation | count | p50 ms | p95 ms | p99 ms | throughput /s |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const row of rows) {
      const throughput = row.count / (row.totalMs / 1000);
      console.log(
        `| ${row.name} | ${row.count} | ${row.p50.toFixed(4)} | ${row.p95.toFixed(4)} | ${row.p99.toFixed(4)} | ${Math.round(throughput).toLocaleString('en-US')} |`,
      );
    }
    console.log('');
    console.log(`register 1,000 versions: ${registerWallMs.toFixed(0)} ms wall (target <= 2000 ms)`);
    const worstResolveP95 = Math.max(...rows.slice(1).map((row) => row.p95));
    console.log(`resolve warm p95 (worst reference): ${worstResolveP95.toFixed(4)} ms (target <= 0.2 ms)`);
    console.log(`memory: rss ${(memory.rss / 1e6).toFixed(0)} MB, heap used ${(memory.heapUsed / 1e6).toFixed(0)} MB`);
    const pass = registerWallMs <= 2_000 && worstResolveP95 <= 0.2;
    console.log(pass ? 'targets: met' : 'targets: NOT met');
    process.exitCode = pass ? 0 : 1;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

await main();
