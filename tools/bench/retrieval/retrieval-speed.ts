/**
 * Speed of retrieval with reranking and compression on, in process:
 *
 *   npx tsx --conditions=@llmops/source tools/bench/retrieval/retrieval-speed.ts [--paragraphs 18500] [--queries 2000] \
 *     [--method overlap|support] [--page-weight 0.1]
 *
 * Builds a deterministic corpus of `--paragraphs` paragraphs and entries (about 25 words each) in
 * man-page and Markdown style, indexes it with structure chunking and BM25F (with the settings of the
 * shipped improved model: 160 tokens, short entries of a section packed together, so 18,500 of them
 * make a little over 10,000 passages), then answers `--queries` questions through the whole retrieval
 * (50 candidates, lexical reranking to 5, compression with `--method`, `overlap` by default). Prints the
 * index build time, the time to chunk and index 50,000 words, p50/p95/p99 per query, and the mean CPU
 * time per query (less inflated than wall time when the machine is shared).
 * `--page-weight W` adds the bench-only page signal (page BM25F, experiments/page-signal-reranker.ts) to the rerank.
 * Targets: p95 <= 20 ms over 10,000 passages; 50,000 words indexed in <= 1 s.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { retrievalSchema } from '@llmops/kernel';
import { countTokens, splitSentences } from '@llmops/providers';
import { CorpusIndex, LexicalReranker, chunkWith, retrievePassages } from '@llmops/serving';
import type { CorpusDocument } from '@llmops/serving';
import { random } from '../seeded-random.js';
import { PageSignalReranker } from './experiments/page-signal-reranker.js';

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

const next = random(11);
const vocabulary = Array.from({ length: 4000 }, (_, index) => `term${index.toString(36)}`);
const common = ['the', 'shard', 'depot', 'bale', 'copies', 'default', 'setting', 'yard', 'ledger', 'retry'];
const word = () =>
  (next() < 0.3
    ? common[Math.floor(next() * common.length)]
    : vocabulary[Math.floor(next() * vocabulary.length)]) as string;
const sentence = (length: number) => {
  const words = Array.from({ length }, word);
  return `${words.join(' ').replace(/^./, (first) => first.toUpperCase())}.`;
};

/** Documents of 20 paragraphs: half option entries of a man page, half prose paragraphs under headings. */
function corpus(paragraphs: number): CorpusDocument[] {
  const documents: CorpusDocument[] = [];
  for (let page = 0; page * 20 < paragraphs; page += 1) {
    const lines = [
      `TOOL-${page}(1)        Manual        TOOL-${page}(1)`,
      '',
      'NAME',
      `       tool-${page} - ${sentence(6)}`,
      '',
      'OPTIONS',
    ];
    for (let entry = 0; entry < 10; entry += 1)
      lines.push(`       --${word()}=N`, `              ${sentence(12)} ${sentence(12)}`, '');
    lines.push('DESCRIPTION');
    for (let paragraph = 0; paragraph < 9; paragraph += 1) lines.push(`       ${sentence(12)} ${sentence(13)}`, '');
    documents.push({ source: `tool-${page}.txt`, text: lines.join('\n') });
  }
  return documents;
}

const tools = { countTokens: (text: string) => countTokens(text), splitSentences };
const settings = retrievalSchema.parse({
  chunking: { strategy: 'structure', maxTokens: 160, overlapTokens: 0 },
  candidates: 50,
  k: 5,
  rerank: 'lexical',
  compress: {
    method: process.argv.includes('--method') ? process.argv[process.argv.indexOf('--method') + 1] : 'overlap',
  },
});

const documents = corpus(flag('paragraphs', 18_500));
let started = performance.now();
const passages = documents.flatMap((document) => chunkWith(document, settings.chunking, tools));
const index = new CorpusIndex(passages);
const buildMs = performance.now() - started;

const wordsWanted = 50_000;
const small: CorpusDocument[] = [];
let words = 0;
for (const document of documents) {
  if (words >= wordsWanted) break;
  small.push(document);
  words += document.text.split(/\s+/).length;
}
started = performance.now();
new CorpusIndex(small.flatMap((document) => chunkWith(document, settings.chunking, tools)));
const smallMs = performance.now() - started;

const pageWeight = flag('page-weight', 0);
const reranker =
  pageWeight > 0 ? new PageSignalReranker({ weight: pageWeight, signal: 'bm25' }) : new LexicalReranker();
const queryCount = flag('queries', 2_000);
const latencies: number[] = [];
let cpuStart = process.cpuUsage();
for (let query = 0; query < queryCount + 200; query += 1) {
  if (query === 200) cpuStart = process.cpuUsage();
  const question = `How does ${word()} ${word()} work with the ${word()} ${word()}?`;
  const start = performance.now();
  await retrievePassages({ index, query: question, settings, reranker });
  if (query >= 200) latencies.push(performance.now() - start);
}
const cpu = process.cpuUsage(cpuStart);
// CPU time per query: what a shared, loaded machine inflates least (wall percentiles include waiting for a core).
const cpuPerQueryMs = (cpu.user + cpu.system) / 1000 / queryCount;
latencies.sort((left, right) => left - right);
const percentile = (share: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(share * latencies.length))] as number;
console.log(
  `compression ${JSON.stringify(settings.compress)}, load ${loadavg()
    .map((value) => value.toFixed(1))
    .join(' ')}`,
);
console.log('| measure | value |');
console.log('| --- | --- |');
console.log(`| passages indexed | ${passages.length} |`);
console.log(`| build (chunk + BM25F), all passages | ${buildMs.toFixed(0)} ms |`);
console.log(`| chunk + index ${words} words | ${smallMs.toFixed(0)} ms |`);
console.log(
  `| query p50 / p95 / p99 (candidates 50, rerank, compress) | ${percentile(0.5).toFixed(2)} / ${percentile(0.95).toFixed(2)} / ${percentile(0.99).toFixed(2)} ms |`,
);
console.log(`| CPU per query (mean) | ${cpuPerQueryMs.toFixed(2)} ms |`);
