/**
 * Benchmarks of monitoring's hot paths:
 * - event ingest into the SQLite event store (a file in WAL mode), in batches of 500, straight into
 *   `SqliteEventStore.append` and through `BatchingEventQueue` (target >= 20,000 events/s on one core);
 * - the CPU the `monitoring` serving step adds per request (event built from the trace recorder,
 *   question hashed, Prometheus metrics updated, event queued), for whole answers and streams
 *   (target <= 0.05 ms), measured as process CPU time with the step minus without it.
 *
 * Run: npx tsx --conditions=@llmops/source tools/bench/monitoring/event-ingest.ts [--events N] [--requests N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { looksLikeRefusal } from '@llmops/evaluation';
import { MonitoringStep } from '@llmops/composition';
import type { ChatCompletionChunk } from '@llmops/kernel';
import { BatchingEventQueue, fanOutEvents, RequestMetrics, SqliteEventStore } from '@llmops/monitoring';
import type { RequestEvent } from '@llmops/monitoring';
import { TraceRecorder } from '@llmops/serving';
import type { ChunkStream, ServedChatCompletion, StepCall } from '@llmops/serving';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '200000' }, requests: { type: 'string', default: '100000' } },
});
const eventCount = Number(values.events);
const requestCount = Number(values.requests);

function event(index: number): RequestEvent {
  return {
    at: Date.now() - (eventCount - index),
    requestId: `req-${index}`,
    modelRef: 'support-rag@champion',
    modelName: 'support-rag',
    modelVersion: 1 + (index % 3),
    status: index % 50 === 0 ? 502 : 200,
    ...(index % 50 === 0 ? { errorCode: 'upstream_error' } : {}),
    stream: index % 4 === 0,
    completed: true,
    latencyMs: 5 + (index % 97),
    upstreamLatencyMs: 3 + (index % 89),
    inputTokens: 300 + (index % 200),
    outputTokens: 40 + (index % 60),
    costUsd: 0.0004,
    guardrails: index % 20 === 0 ? [{ side: 'input', category: 'violence', rule: 'weapons', action: 'block' }] : [],
    citations: index % 3,
    topRetrievalScore: (index % 100) / 100,
    refused: index % 20 === 0,
    questionHash: index.toString(16).padStart(64, '0'),
  };
}

/** Wall and CPU time of a piece of work, in ms. */
async function measure(work: () => Promise<void> | void): Promise<{ wallMs: number; cpuMs: number }> {
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  await work();
  const cpu = process.cpuUsage(cpuStart);
  return { wallMs: performance.now() - wallStart, cpuMs: (cpu.user + cpu.system) / 1000 };
}

async function ingest(directory: string): Promise<Array<[string, string, string, string]>> {
  const events = Array.from({ length: eventCount }, (_, index) => event(index));
  const rows: Array<[string, string, string, string]> = [];
  const direct = new SqliteEventStore({ path: join(directory, 'direct.db') });
  const directTime = await measure(async () => {
    for (let start = 0; start < events.length; start += 500) await direct.append(events.slice(start, start + 500));
  });
  direct.close();
  rows.push(row(`SqliteEventStore.append, batches of 500 (${eventCount} events)`, directTime));
  const store = new SqliteEventStore({ path: join(directory, 'queued.db') });
  const queue = new BatchingEventQueue({ store, maxQueued: eventCount, batchSize: 500 });
  const queuedTime = await measure(async () => {
    for (const item of events) queue.record(item);
    await queue.close();
  });
  store.close();
  if (queue.stats().written !== eventCount) throw new Error(`queue wrote ${queue.stats().written} of ${eventCount}`);
  rows.push(row(`BatchingEventQueue -> SQLite (${eventCount} events)`, queuedTime));
  return rows;
}

function row(name: string, time: { wallMs: number; cpuMs: number }): [string, string, string, string] {
  return [
    name,
    time.wallMs.toFixed(0),
    time.cpuMs.toFixed(0),
    `${Math.round((eventCount / time.wallMs) * 1000).toLocaleString('en-US')}/s`,
  ];
}

const completion: ServedChatCompletion = {
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 0,
  model: 'support-rag/1',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Limescale damage is not covered by the warranty [1].', refusal: null },
      finish_reason: 'stop',
      logprobs: null,
    },
  ],
  usage: { prompt_tokens: 420, completion_tokens: 12, total_tokens: 432 },
  llmops: { model_version: 'support-rag/1', citations: [] },
};

const chunks: ChatCompletionChunk[] = Array.from({ length: 20 }, (_, index) => ({
  id: 'chatcmpl-bench',
  object: 'chat.completion.chunk',
  created: 0,
  model: 'support-rag/1',
  choices: [{ index: 0, delta: { content: `word${index} ` }, finish_reason: null, logprobs: null }],
}));

/** A call as the step sees it: a recorder holding what a RAG request records, and a core that answers at once. */
function callOf<Result>(result: () => Result): StepCall<Result> {
  const recorder = new TraceRecorder({ reference: 'support-rag@champion', requestId: 'req-bench' });
  recorder.facts.usage = completion.usage;
  recorder.facts.promptTokens = 420;
  recorder.facts.costUsd = 0.0004;
  recorder.facts.finishReason = 'stop';
  recorder.facts.verdicts.push({
    stage: 'input',
    check: 'harmful',
    action: 'block',
    outcome: 'pass',
    findings: [],
    durationMs: 0.01,
  });
  recorder.facts.retrieval = {
    corpus: 'kb',
    indexKey: 'bench',
    indexBuilt: false,
    query: 'q',
    k: 4,
    budgetTokens: 600,
    contextTokens: 300,
    passages: [0.9, 0.7, 0.5, 0.3].map((score, index) => ({
      id: `p${index}`,
      source: 'kb/a.md',
      score,
      tokens: 75,
      used: true,
    })),
  };
  recorder.timing.generate = 3;
  return {
    request: { messages: [{ role: 'user', content: 'Is limescale damage covered by the warranty?' }] },
    options: { includeUsage: false, recorder, requestId: 'req-bench' },
    model: { name: 'support-rag', version: 1 } as StepCall<Result>['model'],
    response: { id: 'chatcmpl-bench', created: 0, model: 'support-rag/1', systemFingerprint: 'fp' },
    next: async () => result(),
  };
}

async function* streamOf(): ChunkStream {
  for (const chunk of chunks) yield chunk;
}

async function stepCost(): Promise<Array<[string, string, string, string]>> {
  const store = { append: async () => undefined };
  const queue = new BatchingEventQueue({ store, maxQueued: requestCount * 4, batchSize: 1_000 });
  const metrics = new RequestMetrics({ queueStats: () => queue.stats(), processMetrics: false });
  const step = new MonitoringStep({ sink: fanOutEvents([metrics, queue]), keepQuestionText: false, looksLikeRefusal });
  const drain = async (stream: ChunkStream) => {
    for await (const chunk of stream) if (!chunk) throw new Error('no chunk');
  };
  const cases: Array<{ name: string; bare: () => Promise<void>; stepped: () => Promise<void> }> = [
    {
      name: 'whole answer',
      bare: async () => void (await callOf(() => completion).next()),
      stepped: async () => void (await step.wrapComplete(callOf(() => completion))),
    },
    {
      name: 'stream of 20 chunks',
      bare: async () => drain(await callOf(() => streamOf()).next()),
      stepped: async () => drain(await step.wrapStream(callOf(() => streamOf()))),
    },
  ];
  const rows: Array<[string, string, string, string]> = [];
  for (const { name, bare, stepped } of cases) {
    for (let index = 0; index < 5_000; index += 1) {
      await bare();
      await stepped();
    }
    const without = await measure(async () => {
      for (let index = 0; index < requestCount; index += 1) await bare();
    });
    const withStep = await measure(async () => {
      for (let index = 0; index < requestCount; index += 1) await stepped();
    });
    await queue.flush();
    const perRequestUs = ((withStep.cpuMs - without.cpuMs) / requestCount) * 1000;
    rows.push([
      `monitoring step, ${name} (${requestCount} requests)`,
      `${((without.cpuMs / requestCount) * 1000).toFixed(2)} µs`,
      `${((withStep.cpuMs / requestCount) * 1000).toFixed(2)} µs`,
      `${perRequestUs.toFixed(2)} µs`,
    ]);
  }
  return rows;
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'llmops-bench-events-'));
  try {
    const ingestRows = await ingest(directory);
    console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node.js ${process.versions.node}`);
    console.log('\n| ingest | wall ms | CPU ms | events/s (wall) |\n| --- | --- | --- | --- |');
    for (const cells of ingestRows) console.log(`| ${cells.join(' | ')} |`);
    const stepRows = await stepCost();
    console.log('\n| step | CPU per request without | with | added |\n| --- | --- | --- | --- |');
    for (const cells of stepRows) console.log(`| ${cells.join(' | ')} |`);
    console.log(`\nheap in use after: ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MiB`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

await main();
