// Benchmark of the evaluation runner with every offline metric (offline heuristic judge, offline
// lexical embedder) on 1,000 examples built from the shipped dataset: wall time, throughput,
// per-example scoring latency percentiles, judge calls, and heap before and after (after GC).
// Run: npx tsx tools/bench/evaluation/evaluation-bench.ts [examples=1000] [rounds=3]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createDataset,
  OfflineHeuristicJudge,
  openEvaluationDatabase,
  parseDataset,
  percentile,
  runEvaluation,
  SqliteJudgeCache,
} from '@llmops/evaluation';
import type { Example, Target, TargetOutput } from '@llmops/evaluation';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const workspace = resolve(import.meta.dirname, '..', '..', '..');
const source = parseDataset(readFileSync(resolve(workspace, 'confs/data/eval/support-qa.jsonl'), 'utf8'), {
  source: 'confs/data/eval/support-qa.jsonl',
});
const total = Number(process.argv[2] ?? 1000);
const rounds = Number(process.argv[3] ?? 3);
const pool = source.examples.flatMap((example) => example.reference_contexts ?? []);

// Every example has its own id and question; tasks that repeat (the statements of one passage) are
// shared within a run, as in any run.
const examples: Example[] = Array.from({ length: total }, (_, index) => {
  const base = source.examples[index % source.examples.length] as Example;
  return {
    ...base,
    id: `${base.id}-${index}`,
    input: `${typeof base.input === 'string' ? base.input : 'question'} (case ${index})`,
  };
});
const dataset = createDataset({ examples, source: 'bench', name: 'bench' });

const outputs = new Map<string, TargetOutput>(
  examples.map((example, index) => {
    const own = example.reference_contexts ?? [];
    const others = [pool[(index * 7) % pool.length] as string, pool[(index * 13 + 5) % pool.length] as string];
    return [
      example.id,
      {
        output: example.expected_output ?? "I don't know based on the provided context.",
        retrievalContext: [...own, ...others],
        usage: { inputTokens: 500, outputTokens: 40 },
        latencyMs: 0,
        costUsd: 0,
      },
    ];
  }),
);
const scoringTimes: number[] = [];
const target: Target = {
  description: { kind: 'recorded', name: 'bench outputs' },
  invoke: async (example) => outputs.get(example.id) as TargetOutput,
};

function heapMegabytes(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

console.log(
  `evaluation benchmark: ${total} examples, all offline metrics, offline-heuristic judge, concurrency 4, ${rounds} rounds`,
);
console.log(`node ${process.versions.node}`);
const heapBefore = heapMegabytes();
console.log(`heap before: ${heapBefore.toFixed(1)} MiB`);
for (let round = 1; round <= rounds; round += 1) {
  scoringTimes.length = 0;
  let last = performance.now();
  const started = performance.now();
  const outcome = await runEvaluation({
    dataset,
    target,
    judge: new OfflineHeuristicJudge(),
    concurrency: 4,
    onProgress: () => {
      const now = performance.now();
      scoringTimes.push(now - last);
      last = now;
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const heap = heapMegabytes();
  const p = (q: number) => (percentile(scoringTimes, q) ?? 0).toFixed(2);
  console.log(
    `round ${round}: ${outcome.results.length} examples in ${seconds.toFixed(2)} s (${(outcome.results.length / seconds).toFixed(0)} examples/s); ` +
      `time between finished examples p50 ${p(50)} ms, p95 ${p(95)} ms, p99 ${p(99)} ms; judge calls ${outcome.judgeStatistics.calls} ` +
      `(${outcome.judgeStatistics.cacheHits} shared); contextual_relevancy.mean ${outcome.summary.aggregates.contextual_relevancy?.mean?.toFixed(3)}; heap after ${heap.toFixed(1)} MiB`,
  );
}
console.log(`heap growth over ${rounds} rounds: ${(heapMegabytes() - heapBefore).toFixed(1)} MiB`);

// The CLI's path: the judge cache in SQLite (WAL), cold then warm.
const database = openEvaluationDatabase(join(mkdtempSync(join(tmpdir(), 'llmops-bench-')), 'cache.db'));
const cache = new SqliteJudgeCache(database);
for (const label of ['cold', 'warm']) {
  const started = performance.now();
  const outcome = await runEvaluation({ dataset, target, judge: new OfflineHeuristicJudge(), cache, concurrency: 4 });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `SQLite judge cache, ${label}: ${outcome.results.length} examples in ${seconds.toFixed(2)} s; judge calls ${outcome.judgeStatistics.calls}, answered from the cache ${outcome.judgeStatistics.cacheHits}`,
  );
}
database.close();
