/**
 * What the gateway's trace and event writes cost the event loop and the CPU, in process, on scratch SQLite files:
 * the SQLite trace store with random trace ids (before issue 13's fifth pass) and time-ordered ones (`newTraceId`), each
 * written inline (the store's own connection, on the event loop) and on the store's writer thread; and the event store
 * inline and on its thread. Each store first gets `--rows` rows (the table's size matters: random ids insert at random
 * places of the id index), then `--batches` batches of the gateway's sizes (20 traces, 100 events) are timed, the
 * configurations taken in turn batch by batch so that all of them see the same load of a shared machine.
 *
 *   npx tsx --conditions=@llmops/source tools/bench/gateway/store-writes.ts [--rows 50000] [--batches 200]
 *       [--trace-batch 20] [--event-batch 100]
 *
 * Per configuration: how long a batch holds the event loop (from the call to `write` until it returns its promise:
 * turning traces into rows, and for inline writes the inserts and the commit), in wall time p50 / p99 / max and in the
 * event loop thread's own CPU time p50 / p99 (`process.threadCpuUsage`: what a shared machine's load does not inflate);
 * the time until the batch is committed; and the process's CPU (every thread's) per row.
 * `--trace-batch` and `--event-batch` change the batch sizes (the gateway's: 20 and 100).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SqliteEventStore } from '@llmops/monitoring';
import type { RequestEvent } from '@llmops/monitoring';
import { newTraceId, SqliteTraceStore } from '@llmops/serving';
import type { PipelineTrace } from '@llmops/serving';
import { buildPipelineTrace, randomTraceId } from '@llmops/serving/testing';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '50000' },
    batches: { type: 'string', default: '200' },
    'trace-batch': { type: 'string', default: '20' },
    'event-batch': { type: 'string', default: '100' },
  },
});
const preloadRows = Number(values.rows);
const batchCount = Number(values.batches);
const traceBatch = Number(values['trace-batch']);
const eventBatch = Number(values['event-batch']);

interface Configuration {
  name: string;
  batchSize: number;
  /** Builds the batch of `size` rows numbered from `first` (not timed), and returns what writes it (timed). */
  batch: (first: number, size: number) => () => Promise<void>;
  close: () => void;
  /** Wall time from the call to `write` until it returned its promise, per batch (ms). */
  held: number[];
  /** The event loop's own CPU time over the same span (this thread only), per batch (ms). */
  heldCpu: number[];
  committed: number[];
  cpuMs: number;
  rows: number;
}

let clock = Date.UTC(2026, 10, 30);

function trace(ordered: boolean): PipelineTrace {
  clock += 1;
  return buildPipelineTrace({ traceId: ordered ? newTraceId(clock) : randomTraceId(), startTimeMs: clock });
}

function event(index: number): RequestEvent {
  return {
    at: clock + index,
    requestId: `req-${index}`,
    modelRef: 'stub-plain@champion',
    modelName: 'stub-plain',
    modelVersion: 1,
    status: 200,
    stream: false,
    completed: true,
    latencyMs: 1.2,
    upstreamLatencyMs: 0.4,
    inputTokens: 24,
    outputTokens: 12,
    costUsd: 0.00002,
    guardrails: [],
    refused: false,
    questionHash: index.toString(16).padStart(64, '0'),
  };
}

function traceConfiguration(directory: string, ordered: boolean, writer: 'inline' | 'thread'): Configuration {
  const store = new SqliteTraceStore({ path: join(directory, `traces-${ordered}-${writer}.db`), writer });
  return {
    name: `traces, ${ordered ? 'time-ordered' : 'random'} ids, ${writer}`,
    batchSize: traceBatch,
    batch: (_first, size) => {
      const traces = Array.from({ length: size }, () => trace(ordered));
      return () => store.write(traces);
    },
    close: () => store.close(),
    held: [],
    heldCpu: [],
    committed: [],
    cpuMs: 0,
    rows: 0,
  };
}

function eventConfiguration(directory: string, writer: 'inline' | 'thread'): Configuration {
  const store = new SqliteEventStore({ path: join(directory, `events-${writer}.db`), writer });
  return {
    name: `events, ${writer}`,
    batchSize: eventBatch,
    batch: (first, size) => {
      const events = Array.from({ length: size }, (_, index) => event(first + index));
      return () => store.append(events);
    },
    close: () => store.close(),
    held: [],
    heldCpu: [],
    committed: [],
    cpuMs: 0,
    rows: 0,
  };
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'llmops-store-writes-'));
  const configurations = [
    traceConfiguration(directory, false, 'inline'),
    traceConfiguration(directory, false, 'thread'),
    traceConfiguration(directory, true, 'inline'),
    traceConfiguration(directory, true, 'thread'),
    eventConfiguration(directory, 'inline'),
    eventConfiguration(directory, 'thread'),
  ];
  const loadBefore = loadavg()[0];
  try {
    for (const configuration of configurations) {
      for (let first = 0; first < preloadRows; first += 500) await configuration.batch(first, 500)();
    }
    for (let batch = 0; batch < batchCount; batch += 1) {
      for (const configuration of configurations) {
        const write = configuration.batch(preloadRows + batch * configuration.batchSize, configuration.batchSize);
        const cpuStart = process.cpuUsage();
        const threadStart = process.threadCpuUsage();
        const start = performance.now();
        const written = write();
        configuration.held.push(performance.now() - start);
        const thread = process.threadCpuUsage(threadStart);
        configuration.heldCpu.push((thread.user + thread.system) / 1000);
        await written;
        configuration.committed.push(performance.now() - start);
        const cpu = process.cpuUsage(cpuStart);
        configuration.cpuMs += (cpu.user + cpu.system) / 1000;
        configuration.rows += configuration.batchSize;
      }
    }
  } finally {
    for (const configuration of configurations) configuration.close();
    rmSync(directory, { recursive: true, force: true });
  }
  const format = (value: number) => value.toFixed(3);
  process.stdout.write(
    `machine: ${cpus().length} cores, Node ${process.versions.node}, load average ${loadBefore.toFixed(1)} → ` +
      `${loadavg()[0].toFixed(1)}; ${preloadRows} rows first, then ${batchCount} batches per configuration\n`,
  );
  const rows = [
    ['configuration', 'loop held ms p50', 'p99', 'max', 'loop CPU ms p50', 'p99', 'committed ms p50', 'CPU µs/row'],
  ];
  for (const configuration of configurations) {
    const held = [...configuration.held].sort((left, right) => left - right);
    const heldCpu = [...configuration.heldCpu].sort((left, right) => left - right);
    const committed = [...configuration.committed].sort((left, right) => left - right);
    rows.push([
      `${configuration.name} (batches of ${configuration.batchSize})`,
      format(percentile(held, 0.5)),
      format(percentile(held, 0.99)),
      format(held.at(-1) ?? 0),
      format(percentile(heldCpu, 0.5)),
      format(percentile(heldCpu, 0.99)),
      format(percentile(committed, 0.5)),
      ((1000 * configuration.cpuMs) / configuration.rows).toFixed(1),
    ]);
  }
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows)
    process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column])).join('  ')}\n`);
}

await main();
