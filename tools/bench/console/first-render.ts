/**
 * Time to first render of the console on a big embedded store: 1,000 evaluation runs of 100 examples each (100,000
 * examples). Seeds the store through the evaluation store's own API (the run tracker, which also fills the console's
 * example index), from one real run of the offline RAG model on the help-center questions, its results copied under
 * new example ids; then starts `llmops ui` on it and opens, in Debian's Chromium, the runs list and a run page five
 * times each in a fresh browser context (nothing cached), timing from navigation to the first table row painted.
 * Prints p50 and p95 per page, and the seeding time.
 *
 * Usage: `npx nx run cli:build && npx tsx tools/bench/console/first-render.ts [--runs 1000] [--examples 100] [--loads 5]
 * [--workspace DIR]` (`--workspace`: a folder seeded by an earlier run of this bench, printed by it, to skip seeding).
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { openEvaluationStore } from '@llmops/evaluation';
import type { EvaluationRunRecord, ExampleResult } from '@llmops/evaluation';

const workspaceRoot = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(workspaceRoot, 'apps/cli/bin/llmops.js');
const chromiumPath = process.env['LLMOPS_CHROMIUM'] ?? '/usr/bin/chromium';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} expects a whole number of at least 1`);
  return value;
}

function percentile(sorted: readonly number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] as number;
}

function llmops(cwd: string, args: string[]): string {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0 && result.status !== 1)
    throw new Error(`llmops ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

/** A workspace with the shipped models registered and one real run of version 2 on the first `examples` questions. */
function seedRun(examples: number): { cwd: string; runId: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'llmops-console-bench-'));
  cpSync(join(workspaceRoot, 'confs'), join(cwd, 'confs'), { recursive: true });
  const questions = readFileSync(join(cwd, 'confs/data/eval/support-qa.jsonl'), 'utf8').trim().split('\n');
  writeFileSync(
    join(cwd, 'bench-qa.jsonl'),
    `${questions.slice(0, Math.min(examples, questions.length)).join('\n')}\n`,
  );
  llmops(cwd, ['run', 'confs/register.yaml']);
  const output = llmops(cwd, ['--json', 'eval', 'run', '--model', 'support-rag/2', '--dataset', 'bench-qa.jsonl']);
  return { cwd, runId: (JSON.parse(output) as { run: { id: string } }).run.id };
}

/** Copies the seed run until the store holds `runs` runs of `examples` examples each. */
async function seedStore(cwd: string, seedRunId: string, options: { runs: number; examples: number }): Promise<void> {
  const store = openEvaluationStore({ storeUri: 'sqlite:.llmops/llmops.db', cwd });
  try {
    const seed = await store.tracker.get(seedRunId);
    const seedResults = await store.tracker.results(seedRunId);
    const results: ExampleResult[] = Array.from({ length: options.examples }, (_, index) => {
      const result = seedResults[index % seedResults.length] as ExampleResult;
      return { ...result, exampleId: `${result.exampleId}-${Math.floor(index / seedResults.length)}` };
    });
    // A copy of the seed's record without its id: each copy gets the id the tracker gives it.
    const withoutId: Partial<EvaluationRunRecord> = { ...seed };
    delete withoutId.id;
    for (let run = 1; run < options.runs; run += 1) {
      const startedAt = seed.startedAt - run * 60_000;
      const record = {
        ...(withoutId as Omit<EvaluationRunRecord, 'id'>),
        name: `bench run ${run}`,
        startedAt,
        finishedAt: startedAt + 30_000,
      };
      const id = await store.tracker.start({ ...record, status: 'running' });
      await store.tracker.finish({ ...record, id }, results, []);
    }
  } finally {
    store.close();
  }
}

function startConsole(cwd: string): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [bin, 'ui', '--port', '0'], { cwd, detached: true });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (text: Buffer) => {
      output += text.toString();
      const url = /the console is at (http:\/\/\S+\/ui)/.exec(output)?.[1];
      if (url) resolve({ url, stop: () => process.kill(-(child.pid as number), 'SIGTERM') });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (status) => reject(new Error(`llmops ui exited ${status}: ${output}`)));
  });
}

if (
  !existsSync(join(workspaceRoot, 'apps/console/dist/index.html')) ||
  !existsSync(join(workspaceRoot, 'apps/cli/dist'))
)
  throw new Error('build first: npx nx run cli:build (it builds the console too)');
const runs = option('runs', 1000);
const examples = option('examples', 100);
const loads = option('loads', 5);

/** A folder seeded before (`--workspace`) and the id of its real run (the oldest), or a new one seeded now. */
async function workspace(): Promise<{ cwd: string; runId: string; seedSeconds: number | null }> {
  const index = process.argv.indexOf('--workspace');
  if (index >= 0) {
    const cwd = process.argv[index + 1] ?? '';
    const store = openEvaluationStore({ storeUri: 'sqlite:.llmops/llmops.db', cwd });
    try {
      const page = await store.queries.listRuns({ limit: 1, offset: 0 });
      const newest = page.items[0];
      if (!newest) throw new Error(`no run in the store of ${cwd}`);
      return { cwd, runId: newest.id, seedSeconds: null };
    } finally {
      store.close();
    }
  }
  const started = performance.now();
  const seeded = seedRun(examples);
  await seedStore(seeded.cwd, seeded.runId, { runs, examples });
  const seedSeconds = (performance.now() - started) / 1000;
  console.error(`seeded ${runs} runs of ${examples} examples in ${seedSeconds.toFixed(1)} s (${seeded.cwd})`);
  return { ...seeded, seedSeconds };
}

const { cwd, runId, seedSeconds } = await workspace();

const server = await startConsole(cwd);
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const pages = [
  { name: 'runs list', path: '/runs', ready: 'table.runs tbody tr' },
  { name: 'run page', path: `/runs/${runId}`, ready: 'table.examples tbody tr' },
];
const timings = new Map<string, number[]>(pages.map((page) => [page.name, []]));
try {
  // One warm-up load of each page (the server's first queries, the bundle read into memory), not counted.
  for (let load = 0; load <= loads; load += 1) {
    for (const page of pages) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const tab = await context.newPage();
      const started = performance.now();
      await tab.goto(`${server.url}${page.path}`);
      await tab.waitForSelector(page.ready, { timeout: 30_000 });
      const elapsed = performance.now() - started;
      if (load > 0) timings.get(page.name)?.push(elapsed);
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.stop();
}

const load = loadavg().map((value) => value.toFixed(1));
console.log(
  `console first render: ${runs} runs x ${examples} examples (${runs * examples} examples)${seedSeconds === null ? ` in ${cwd}` : `, seeded in ${seedSeconds.toFixed(1)} s`}; ${loads} cold loads each; Node.js ${process.versions.node}, ${cpus().length} cores, load ${load.join(' ')}`,
);
console.log('page        p50 ms   p95 ms   max ms');
for (const [name, values] of timings) {
  const sorted = [...values].sort((left, right) => left - right);
  const row = [percentile(sorted, 0.5), percentile(sorted, 0.95), sorted.at(-1) as number].map((value) =>
    value.toFixed(0).padStart(6),
  );
  console.log(`${name.padEnd(10)} ${row.join('   ')}`);
}
