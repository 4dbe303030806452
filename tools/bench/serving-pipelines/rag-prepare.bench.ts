/**
 * Benchmark of the RAG pipeline's prompt preparation in process (retrieval, the passage screen of the
 * default guardrail policy, compression when asked, the context budget), without HTTP or a model:
 * the server's CPU per request that the end-to-end bench cannot separate from queueing on a shared
 * machine. Same generated catalogue as `serving-pipelines.bench.ts` (10,000 passages, k 4, budget 600).
 *
 *   npx tsx --conditions=@llmops/source tools/bench/serving-pipelines/rag-prepare.bench.ts \
 *     [--codes 4096] [--compress]
 *
 * `--codes N` asks about N products, each in four phrasings (warranty, warehouse, weight, rating) once
 * the N are used up, so a passage is retrieved again for a different question; 4,096 codes (the
 * end-to-end bench's questions) means nearly every question brings passages never seen before.
 * Prints the CPU per preparation over 4,000 preparations after 400 warm-up ones, and how many texts
 * the passage screen judged per preparation (its verdicts on the rest were remembered).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { retrievalSchema } from '@llmops/kernel';
import {
  builtInGuardrailPolicies,
  CorpusIndexer,
  FileCorpusSource,
  FileIndexStore,
  LiveCorpusIndex,
  PassageScreen,
  RagPromptPreparer,
  retrievedChecksOf,
} from '@llmops/serving';
import { random } from '../seeded-random.js';

const compress = process.argv.includes('--compress');
const codesAt = process.argv.indexOf('--codes');
const codes = codesAt > 0 ? Number(process.argv[codesAt + 1]) : 4_096;
if (!Number.isInteger(codes) || codes <= 0 || codes > 10_000) throw new Error('--codes must be an integer in 1..10000');

/** The end-to-end bench's catalogue, shortened: shared vocabulary for BM25, one unique code per passage. */
function corpusLines(): string[] {
  const next = random(42);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
  const lines: string[] = [];
  for (let index = 1; index <= 10_000; index += 1) {
    const code = `ZX-${index}`;
    const product = pick(['kettle', 'toaster', 'blender', 'coffee grinder', 'rice cooker', 'air fryer']);
    const text =
      `The ${pick(['matte black', 'ivory', 'copper', 'sand'])} ${product} model ${code} carries a ${1 + Math.floor(next() * 5)}-year warranty and ships from the ${pick(['Rotterdam', 'Lyon', 'Porto', 'Ghent'])} warehouse within ${1 + Math.floor(next() * 4)} business days. ` +
      `It weighs ${400 + Math.floor(next() * 3_000)} grams, comes with ${pick(['a timer', 'a child lock', 'dual voltage', 'a quiet motor'])}, and is sold in ${3 + Math.floor(next() * 30)} countries. ` +
      `Customers rate the ${code} ${product} ${(3 + next() * 2).toFixed(1)} stars for ${pick(['noise', 'speed', 'design', 'energy use'])}.`;
    lines.push(JSON.stringify({ id: code, source: `catalogue/${code}.md`, text }));
  }
  return lines;
}

const phrasings: ReadonlyArray<(code: string) => string> = [
  (code) => `How many years of warranty does the ${code} carry?`,
  (code) => `Which warehouse does the ${code} ship from?`,
  (code) => `How many grams does the ${code} weigh?`,
  (code) => `How many stars do customers give the ${code}?`,
];

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'llmops-bench-rag-prepare-'));
  writeFileSync(join(root, 'catalogue.jsonl'), `${corpusLines().join('\n')}\n`);
  const retrieval = retrievalSchema.parse({ k: 4, ...(compress ? { compress: { enabled: true } } : {}) });
  const screen = new PassageScreen(retrievedChecksOf(builtInGuardrailPolicies().get('default')));
  const preparer = new RagPromptPreparer({
    corpus: 'catalogue.jsonl',
    index: new LiveCorpusIndex({
      indexer: new CorpusIndexer({
        source: new FileCorpusSource({ root }),
        store: new FileIndexStore({ directory: join(root, 'indexes') }),
      }),
      request: { corpus: 'catalogue.jsonl', chunking: retrieval.chunking },
    }),
    retrieval,
    tokenBudget: 600,
    screen,
  });
  const questions = Array.from({ length: 4_096 }, (_, index) => {
    const code = `ZX-${1 + (((index % codes) * 7_919) % 10_000)}`;
    return (phrasings[Math.floor(index / codes) % phrasings.length] as (code: string) => string)(code);
  });
  const ask = (turn: number) =>
    preparer.prepare({
      messages: [{ role: 'user', content: questions[turn % questions.length] as string }],
      variables: {},
    });
  for (let turn = 0; turn < 400; turn += 1) await ask(turn);
  const judgedBefore = screen.judgements;
  const cpuBefore = process.cpuUsage();
  const count = 4_000;
  for (let turn = 400; turn < 400 + count; turn += 1) await ask(turn);
  const cpu = process.cpuUsage(cpuBefore);
  rmSync(root, { recursive: true, force: true });
  process.stdout.write(
    `codes ${codes}, compression ${compress ? 'on' : 'off'}: ` +
      `CPU per preparation ${((cpu.user + cpu.system) / 1000 / count).toFixed(3)} ms, ` +
      `texts judged by the screen per preparation ${((screen.judgements - judgedBefore) / count).toFixed(2)}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
