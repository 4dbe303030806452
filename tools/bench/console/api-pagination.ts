/**
 * Benchmark of the console's reads on the embedded store, over real HTTP against `startLlmopsServer` (anonymous reads
 * from loopback, so no key is checked): a store of `--runs` runs (1,000) of `--examples-per-run` examples each (100:
 * 100,000 examples in all), then, in a second store, one run of `--large` examples (100,000) and a second run of the
 * same dataset, and pairs of runs of `--compare-sizes` examples (1,000 and 10,000) for compare. Each read runs
 * `--iterations` times in sequence after 5 warm-up calls, the first of which is timed on its own (`first call`: what a
 * read that keeps its answer costs once); the table gives the first call, p50 and p95 in ms. Target: each read ≤ 200 ms p95, so the console's first render stays ≤ 1 s.
 * The `indexing` scenario times storing a finished run (`tracker.finish`: results, score index, full-text index) of
 * each of `--index-sizes` examples, `--index-runs` times, in two stores side by side: one that gives every run the
 * full-text index, one that gives none (what storing cost before it; runs under 10,000 examples are stored so by
 * default), interleaved so that both see the same load.
 *
 * Run: npx tsx --conditions=@llmops/source tools/bench/console/api-pagination.ts [--runs 1000]
 *      [--examples-per-run 100] [--large 100000] [--iterations 100] [--scenarios spread,large,compare,indexing]
 *      [--compare-sizes 1000,10000] [--index-sizes 100,100000] [--index-runs 30,2] [--corpus words|wiki]
 *      [--query 'limescale warranty'] [--full-text-minimum N]
 * `--corpus wiki` draws the examples' text from this repository's wiki (real prose) instead of 15 words, and `--query`
 * sets the examples search's text; `--full-text-minimum Infinity` stores every run without the full-text index (the
 * search as it was before it).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLlmopsServer } from '@llmops/composition';
import {
  evaluateGates,
  openEvaluationDatabase,
  parseCriterion,
  SqliteRunTracker,
  summarizeResults,
} from '@llmops/evaluation';
import type { EvaluationRunRecord, ExampleResult } from '@llmops/evaluation';
import { random } from '../seeded-random.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000' },
    'examples-per-run': { type: 'string', default: '100' },
    large: { type: 'string', default: '100000' },
    iterations: { type: 'string', default: '100' },
    scenarios: { type: 'string', default: 'spread,large,compare' },
    'compare-sizes': { type: 'string', default: '1000,10000' },
    'index-sizes': { type: 'string', default: '100,100000' },
    'index-runs': { type: 'string', default: '30,2' },
    corpus: { type: 'string', default: 'words' },
    'full-text-minimum': { type: 'string' },
    query: { type: 'string', default: 'limescale warranty' },
  },
});
const scenarios = new Set(values.scenarios.split(','));
const runCount = Number(values.runs);
const examplesPerRun = Number(values['examples-per-run']);
const largeCount = Number(values.large);
const iterations = Number(values.iterations);
const draw = random(17);
const words =
  'kettle warranty limescale element support refund plan annual chat hours descale filter lid base cord'.split(' ');

/**
 * The second corpus (`--corpus wiki`): the words of this repository's wiki pages in their order, lower-cased, so
 * that a text is a run of real prose with a vocabulary of thousands of words, unlike the 15 words of `--corpus words`.
 */
const prose =
  values.corpus === 'wiki'
    ? readdirSync(join(import.meta.dirname, '..', '..', '..', 'wiki'))
        .filter((name) => name.endsWith('.md'))
        .sort()
        .flatMap((name) =>
          readFileSync(join(import.meta.dirname, '..', '..', '..', 'wiki', name), 'utf8')
            .toLowerCase()
            .split(/\s+/)
            .filter((word) => word !== ''),
        )
    : [];

/** `length` words: drawn from the 15 words, or a window of the wiki's prose. */
function sentence(length: number): string {
  if (prose.length > length) {
    const start = Math.floor(draw() * (prose.length - length));
    return prose.slice(start, start + length).join(' ');
  }
  return Array.from({ length }, () => words[Math.floor(draw() * words.length)]).join(' ');
}

const searchPath = `q=${encodeURIComponent(values.query)}`;

function resultOf(index: number, quality: number): ExampleResult {
  const score = () => Math.min(1, Math.max(0, quality + (draw() - 0.5) * 0.6));
  return {
    exampleId: `q${index}`,
    input: `${sentence(25)}?`,
    tags: [],
    expectedOutput: sentence(20),
    output: sentence(45),
    retrievalContext: [sentence(50), sentence(50), sentence(50)],
    retrievalSources: [
      { source: 'kb/warranty.md', title: 'Warranty', score: draw() },
      { source: 'kb/support.md', title: 'Support', score: draw() },
      { source: 'kb/care.md', title: 'Care', score: draw() },
    ],
    latencyMs: 80 + draw() * 400,
    usage: { inputTokens: 400, outputTokens: 60 },
    costUsd: null,
    metrics: {
      faithfulness: { score: score(), reason: 'most statements are supported by the passages' },
      contextual_relevancy: { score: score(), reason: 'some retrieved statements are relevant' },
      answer_relevancy: { score: score(), reason: 'the answer addresses the question' },
      latency: { score: 80 + draw() * 400, reason: 'ms' },
    },
  };
}

async function storeRun(
  tracker: SqliteRunTracker,
  options: { index: number; examples: number; startedAt: number },
): Promise<string> {
  const model = `bench-model-${options.index % 20}`;
  const version = String(1 + Math.floor(options.index / 20));
  const results = Array.from({ length: options.examples }, (_, position) => resultOf(position, 0.5 + draw() * 0.4));
  const draft: Omit<EvaluationRunRecord, 'id'> = {
    name: `${model}/${version} nightly ${options.index}`,
    status: 'running',
    startedAt: options.startedAt,
    target: {
      kind: 'pipeline',
      name: `${model}/${version}`,
      modelRef: `${model}@champion`,
      modelName: model,
      modelVersion: version,
    },
    dataset: {
      name: `qa-${options.index % 3}`,
      source: 'qa.jsonl',
      hash: 'c'.repeat(64),
      digest: 'c',
      examples: options.examples,
    },
    judge: 'offline-heuristic',
    metrics: ['faithfulness', 'contextual_relevancy', 'answer_relevancy', 'latency'],
    summary: summarizeResults([]),
    judgeStatistics: { calls: 0, cacheHits: 0, errors: 0 },
    tags: {},
    artifacts: {},
  };
  const id = await tracker.start(draft);
  const summary = summarizeResults(results);
  const gates = evaluateGates([parseCriterion('faithfulness.mean >= 0.7')], summary);
  await tracker.finish(
    { ...draft, id, status: 'finished', finishedAt: options.startedAt + 60_000, summary, gates },
    results,
    [],
  );
  return id;
}

async function measure(
  url: string,
  count: number,
): Promise<{ first: number; p50: number; p95: number; bytes: number }> {
  let bytes = 0;
  // The first call is timed on its own: reads that keep an answer (compare of finished runs) pay only there.
  const firstStarted = performance.now();
  await (await fetch(url)).arrayBuffer();
  const first = performance.now() - firstStarted;
  for (let warm = 1; warm < Math.min(5, count); warm += 1) await (await fetch(url)).arrayBuffer();
  const times: number[] = [];
  for (let call = 0; call < count; call += 1) {
    const started = performance.now();
    const response = await fetch(url);
    const body = await response.arrayBuffer();
    times.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`${url}: ${response.status} ${Buffer.from(body).toString()}`);
    bytes = body.byteLength;
  }
  times.sort((left, right) => left - right);
  const at = (fraction: number) => times[Math.min(times.length - 1, Math.floor(times.length * fraction))] as number;
  return { first, p50: at(0.5), p95: at(0.95), bytes };
}

async function benchStore(
  label: string,
  seed: (tracker: SqliteRunTracker) => Promise<string[]>,
  reads: (ids: string[]) => Array<[string, string, number]>,
): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'llmops-console-bench-'));
  const database = openEvaluationDatabase(join(folder, '.llmops', 'llmops.db'));
  const seedStarted = performance.now();
  const ids = await seed(
    new SqliteRunTracker(database, {
      artifactRoot: join(folder, '.llmops', 'artifacts'),
      ...(values['full-text-minimum'] === undefined
        ? {}
        : { fullTextIndexMinimum: Number(values['full-text-minimum']) }),
    }),
  );
  database.close();
  console.log(`${label}: seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
  const running = await startLlmopsServer({ port: 0, cwd: folder, env: {}, logger: false, anonymousReads: 'loopback' });
  try {
    console.log('| read | first call ms | p50 ms | p95 ms | answer bytes |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const [name, path, count] of reads(ids)) {
      const { first, p50, p95, bytes } = await measure(`${running.url}${path}`, count);
      console.log(`| ${name} | ${first.toFixed(1)} | ${p50.toFixed(1)} | ${p95.toFixed(1)} | ${bytes} |`);
    }
  } finally {
    await running.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

console.log(`node ${process.versions.node}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);
if (scenarios.has('spread'))
  await benchStore(
    `${runCount} runs × ${examplesPerRun} examples`,
    async (tracker) => {
      const ids: string[] = [];
      for (let index = 0; index < runCount; index += 1)
        ids.push(
          await storeRun(tracker, {
            index,
            examples: examplesPerRun,
            startedAt: 1_767_225_600_000 + index * 3_600_000,
          }),
        );
      return ids;
    },
    (ids) => {
      const run = ids[ids.length - 1] as string;
      const other = ids[ids.length - 21] as string;
      return [
        ['runs list, first page (50)', '/api/v1/evaluations', iterations],
        ['runs list, model + verdict filter', '/api/v1/evaluations?model=bench-model-3&verdict=passed', iterations],
        ['runs list, name search, page 2', '/api/v1/evaluations?q=nightly%209&offset=50', iterations],
        [
          'examples page sorted by faithfulness',
          `/api/v1/evaluations/${run}/examples?sort=faithfulness&order=desc`,
          iterations,
        ],
        ['examples search', `/api/v1/evaluations/${run}/examples?${searchPath}`, iterations],
        ['example detail', `/api/v1/evaluations/${run}/examples/7`, iterations],
        ['histograms (10 bins)', `/api/v1/evaluations/${run}/histograms`, iterations],
        ['compare 2 runs', `/api/v1/evaluations/compare?runs=${other},${run}`, iterations],
        [
          'compare examples grid',
          `/api/v1/evaluations/compare/examples?runs=${other},${run}&disagree=true`,
          iterations,
        ],
      ];
    },
  );
if (scenarios.has('large'))
  await benchStore(
    `one run of ${largeCount} examples (and a second run of the same dataset)`,
    async (tracker) => [
      await storeRun(tracker, { index: 0, examples: largeCount, startedAt: 1_767_225_600_000 }),
      await storeRun(tracker, { index: 20, examples: largeCount, startedAt: 1_767_229_200_000 }),
    ],
    ([first, second]) => {
      const few = Math.max(3, Math.floor(iterations / 10));
      return [
        [
          'examples page sorted by faithfulness',
          `/api/v1/evaluations/${second}/examples?sort=faithfulness&order=desc`,
          iterations,
        ],
        ['examples page 1000, by index', `/api/v1/evaluations/${second}/examples?offset=50000`, iterations],
        ['examples, failed only', `/api/v1/evaluations/${second}/examples?failed=true`, iterations],
        ['examples search', `/api/v1/evaluations/${second}/examples?${searchPath}`, few],
        ['histograms (10 bins)', `/api/v1/evaluations/${second}/histograms`, few],
        ['run detail', `/api/v1/evaluations/${first}`, iterations],
      ];
    },
  );
// Compare reads the runs' score columns and bootstraps every metric over the paired examples (its first call grows
// with the runs' size; finished runs' comparisons are kept, so later calls do not); the grid reads the runs whole.
const compareSizes = values['compare-sizes'].split(',').map(Number);
if (scenarios.has('compare'))
  await benchStore(
    `compare: pairs of runs of ${compareSizes.join(', ')} examples`,
    async (tracker) => {
      const ids: string[] = [];
      for (const [step, size] of compareSizes.entries())
        for (const second of [0, 1])
          ids.push(
            await storeRun(tracker, {
              index: step * 40 + second * 20,
              examples: size,
              startedAt: 1_767_225_600_000 + (step * 2 + second) * 3_600_000,
            }),
          );
      return ids;
    },
    (ids) =>
      compareSizes.flatMap((size, step): Array<[string, string, number]> => {
        const pair = `${ids[step * 2]},${ids[step * 2 + 1]}`;
        const calls = size > 5000 ? 2 : 10;
        return [
          [`compare 2 runs of ${size}`, `/api/v1/evaluations/compare?runs=${pair}`, calls],
          [`compare examples grid, 2 runs of ${size}`, `/api/v1/evaluations/compare/examples?runs=${pair}`, calls],
        ];
      }),
  );

/** Milliseconds of each call, p50 and p95. */
function percentiles(times: number[]): { p50: number; p95: number } {
  const sorted = [...times].sort((left, right) => left - right);
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] as number;
  return { p50: at(0.5), p95: at(0.95) };
}

if (scenarios.has('indexing')) {
  const sizes = values['index-sizes'].split(',').map(Number);
  const counts = values['index-runs'].split(',').map(Number);
  const folder = mkdtempSync(join(tmpdir(), 'llmops-index-bench-'));
  try {
    const open = (name: string, fullText: boolean) => {
      const database = openEvaluationDatabase(join(folder, name, 'llmops.db'));
      const tracker = new SqliteRunTracker(database, {
        artifactRoot: join(folder, name, 'artifacts'),
        fullTextIndexMinimum: fullText ? 1 : Number.POSITIVE_INFINITY,
      });
      return { database, tracker };
    };
    const stores = [
      { label: 'with the full-text index', ...open('with', true) },
      { label: 'without it', ...open('without', false) },
    ];
    console.log(`storing a finished run (${stores.map((store) => store.label).join(' / ')})`);
    console.log('| examples | runs | with: p50 / p95 ms | without: p50 / p95 ms | ratio of p50 |');
    console.log('| ---: | ---: | ---: | ---: | ---: |');
    let index = 0;
    for (const [position, size] of sizes.entries()) {
      const times = stores.map(() => [] as number[]);
      for (let repeat = 0; repeat < (counts[position] ?? 1); repeat += 1) {
        for (const [which, store] of stores.entries()) {
          const started = performance.now();
          await storeRun(store.tracker, { index: (index += 1), examples: size, startedAt: 1_767_225_600_000 + index });
          times[which]?.push(performance.now() - started);
        }
      }
      const [withIndex, withoutIndex] = times.map((list) => percentiles(list));
      if (!withIndex || !withoutIndex) continue;
      console.log(
        `| ${size} | ${counts[position] ?? 1} | ${withIndex.p50.toFixed(1)} / ${withIndex.p95.toFixed(1)} | ${withoutIndex.p50.toFixed(1)} / ${withoutIndex.p95.toFixed(1)} | ${(withIndex.p50 / withoutIndex.p50).toFixed(2)} |`,
      );
    }
    for (const store of stores) store.database.close();
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
