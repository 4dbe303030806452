/**
 * Cost of WordLlama in retrieval, in process (the corpus and queries of retrieval-speed.ts):
 *
 *   npx tsx --conditions=@llmops/source tools/bench/retrieval/experiments/wordllama/wordllama-speed.ts <wordllama folder> \
 *     [--paragraphs 18500] [--queries 2000]
 *
 * Prints the model's load time and memory, the time to chunk, index and embed 50,000 words (passage vectors
 * are built at index time), and the query p50/p95/p99 over about 10,000 passages for: the shipped retrieval
 * (50 candidates, lexical rerank to 5, compression), the same with the WordLlama passage cosine fused into
 * the rerank score, and the hybrid first stage (BM25F + WordLlama over all passages, RRF) with lexical rerank.
 * Targets: p95 <= 20 ms over 10,000 passages; 50,000 words indexed in <= 1 s.
 */
import { performance } from 'node:perf_hooks';
import { retrievalSchema } from '@llmops/kernel';
import { countTokens, splitSentences } from '@llmops/providers';
import { CorpusIndex, LexicalReranker, chunkWith, retrievePassages } from '@llmops/serving';
import type { CorpusDocument, Passage, PassageReranker, ScoredPassage } from '@llmops/serving';
import { random } from '../../../seeded-random.js';
import { WordLlamaEmbedder, dot } from './wordllama-model.js';

const folder = process.argv[2];
if (!folder) throw new Error('usage: wordllama-speed.ts <wordllama folder of the unpacked wheel>');
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
/** The documents of retrieval-speed.ts: half option entries of a man page, half prose paragraphs. */
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
function embeddingText(passage: Passage): string {
  const location = [passage.title, passage.section].filter(Boolean).join(' › ');
  return location ? `${location}\n${passage.text}` : passage.text;
}

global.gc?.();
const heapBefore = process.memoryUsage();
let started = performance.now();
const model = WordLlamaEmbedder.load(folder);
const loadMs = performance.now() - started;
global.gc?.();
const heapAfter = process.memoryUsage();

const tools = { countTokens: (text: string) => countTokens(text), splitSentences };
const settings = retrievalSchema.parse({
  chunking: { strategy: 'structure', maxTokens: 160, overlapTokens: 0 },
  candidates: 50,
  k: 5,
  rerank: 'lexical',
  compress: true,
});
const documents = corpus(flag('paragraphs', 18_500));
const passages = documents.flatMap((document) => chunkWith(document, settings.chunking, tools));
started = performance.now();
const vectors = passages.map((passage) => model.vector(embeddingText(passage)));
const embedAllMs = performance.now() - started;
const index = new CorpusIndex(passages);
const hybridIndex = new CorpusIndex(passages, {
  embedder: model,
  vectors: vectors.map((vector) => Array.from(vector)),
});
const byId = new Map(passages.map((passage, position) => [passage.id, vectors[position] as Float32Array]));

const small: CorpusDocument[] = [];
let words = 0;
for (const document of documents) {
  if (words >= 50_000) break;
  small.push(document);
  words += document.text.split(/\s+/).length;
}
const fresh = WordLlamaEmbedder.load(folder); // an empty token cache, as a new process would have
started = performance.now();
const smallPassages = small.flatMap((document) => chunkWith(document, settings.chunking, tools));
new CorpusIndex(smallPassages);
const smallLexicalMs = performance.now() - started;
for (const passage of smallPassages) fresh.vector(embeddingText(passage));
const smallMs = performance.now() - started;

const lexical = new LexicalReranker();
const semantic: PassageReranker = {
  async rerank(input) {
    const ranked = await lexical.rerank(input);
    const query = model.vector(input.query);
    const raw = ranked.map((passage) => dot(query, byId.get(passage.id) as Float32Array));
    const low = Math.min(...raw);
    const span = Math.max(...raw) - low || 1;
    return ranked
      .map((passage, rank) => ({
        passage: { ...passage, score: 0.7 * passage.score + (0.3 * ((raw[rank] as number) - low)) / span },
        rank,
      }))
      .sort((a, b) => b.passage.score - a.passage.score || a.rank - b.rank)
      .map((entry) => entry.passage as ScoredPassage);
  },
};

const queryCount = flag('queries', 2_000);
const questions = Array.from(
  { length: queryCount + 200 },
  () => `How does ${word()} ${word()} work with the ${word()} ${word()}?`,
);
/** Query latencies of several setups, interleaved query by query so that a busy machine slows all alike. */
async function time(setups: Array<{ index: CorpusIndex; reranker: PassageReranker }>): Promise<string[]> {
  const latencies = setups.map(() => [] as number[]);
  for (const [position, question] of questions.entries()) {
    for (const [setup, { index: target, reranker }] of setups.entries()) {
      const start = performance.now();
      await retrievePassages({ index: target, query: question, settings, reranker });
      if (position >= 200) (latencies[setup] as number[]).push(performance.now() - start);
    }
  }
  return latencies.map((values) => {
    values.sort((left, right) => left - right);
    const percentile = (share: number) =>
      (values[Math.min(values.length - 1, Math.floor(share * values.length))] as number).toFixed(2);
    return `${percentile(0.5)} / ${percentile(0.95)} / ${percentile(0.99)} ms`;
  });
}

const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;
console.log('| measure | value |');
console.log('| --- | --- |');
console.log(`| WordLlama load (tokenizer JSON + F16 weights to F32) | ${loadMs.toFixed(0)} ms |`);
console.log(
  `| memory added by the load (RSS / heap + external) | ${megabytes(heapAfter.rss - heapBefore.rss)} / ${megabytes(heapAfter.heapUsed + heapAfter.external + heapAfter.arrayBuffers - heapBefore.heapUsed - heapBefore.external - heapBefore.arrayBuffers)} |`,
);
console.log(`| passages | ${passages.length} |`);
console.log(`| embed all passages | ${embedAllMs.toFixed(0)} ms |`);
console.log(
  `| chunk + index ${words} words: lexical only / with WordLlama vectors | ${smallLexicalMs.toFixed(0)} / ${smallMs.toFixed(0)} ms |`,
);
const [shipped, withSignal, hybrid] = await time([
  { index, reranker: lexical },
  { index, reranker: semantic },
  { index: hybridIndex, reranker: lexical },
]);
console.log(`| query p50 / p95 / p99, shipped (lexical rerank, compress) | ${shipped} |`);
console.log(`| query p50 / p95 / p99, WordLlama rerank signal (0.3) | ${withSignal} |`);
console.log(`| query p50 / p95 / p99, hybrid first stage + lexical rerank | ${hybrid} |`);
