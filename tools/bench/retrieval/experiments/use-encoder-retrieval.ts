/**
 * The project's port of USE multilingual v3 (the guardrails' `SentenceEncoder`) as a dense signal for
 * retrieval, on one half of each corpus (an experiment, not a shipped path; issue 11):
 *
 *   npx tsx --conditions=@llmops/source tools/bench/retrieval/experiments/use-encoder-retrieval.ts \
 *     --weights /work/main/packages/serving/models/use-multilingual-int8.bin --split develop|check \
 *     [--corpus /tmp/real-man --dataset tools/bench/retrieval/real-man-pages/questions.jsonl] [--only a,b] [--ranks FILE]
 *
 * Every variant runs the improved spec (structure chunks of 160 tokens, 50 candidates, lexical rerank,
 * k 5, support compression 0.55) and changes one thing:
 * - `rrf`: the candidates reordered by reciprocal rank fusion (constant 60, the original paper's) of the
 *   lexical reranker's order and the order of the encoder's cosine between the question and each
 *   candidate (title › section, then text, as an embedder sees a passage);
 * - `sum w`: the rerank score becomes (1 - w) x lexical rerank score + w x that cosine, min-max scaled
 *   over the candidates; w in 0.15, 0.3, 0.5 (the weights of the earlier semantic experiments, fixed before measuring);
 * - `hybrid`: the encoder fused into the first stage (the index's own hybrid mode: BM25F and cosine over
 *   every passage by reciprocal rank fusion), then the lexical rerank;
 * - `dense alone`: the first stage is the cosine over every passage, no rerank (a diagnostic).
 * Passage vectors are cached in `--cache` (default /tmp/use-passage-vectors.bin) by SHA-256 of the text,
 * so the second half's run does not embed again. `--split` is that of retrieval-quality.ts
 * (SHA-256 of the page tag or id, first byte even → develop). Columns: top 1 / 3 / 5, MRR, reference in
 * context, recall@50 and the questions a variant moves up / down against the shipped order (rank beyond 5 counts 6).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { matchesReference } from '@llmops/evaluation';
import type { Embedder } from '@llmops/kernel';
import { countTokens, splitSentences } from '@llmops/providers';
import {
  CorpusIndex,
  FileCorpusSource,
  LexicalReranker,
  SentenceEncoder,
  chunkWith,
  passageEmbeddingText,
  retrievePassages,
} from '@llmops/serving';
import type { ScoredPassage } from '@llmops/serving';
import { benchRetrieval, inDevelopHalfOfLine, answerableLines } from '../../answerer/answer-bench-data.js';
import { option } from '../../command-line.js';

const weightsPath = option('weights');
const split = option('split');
if (!weightsPath || (split !== 'develop' && split !== 'check')) {
  console.error('usage: use-encoder-retrieval.ts --weights FILE --split develop|check [--corpus DIR --dataset FILE]');
  process.exit(2);
}
const only = option('only')?.split(',');
const cachePath = option('cache') ?? '/tmp/use-passage-vectors.bin';
const ranksFile = option('ranks');

/** The shipped improved spec's retrieval (confs/models/support-rag-improved.yaml). */
const settings = benchRetrieval(true);

function dot(left: Float32Array, right: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < left.length; index += 1) sum += (left[index] as number) * (right[index] as number);
  return sum;
}

let started = performance.now();
const encoder = new SentenceEncoder(readFileSync(weightsPath), weightsPath);
console.log(`encoder loaded in ${(performance.now() - started).toFixed(0)} ms`);

/** Vectors by SHA-256 of the text: 32 bytes of key, then 512 float32, per record. */
const cache = new Map<string, Float32Array>();
if (existsSync(cachePath)) {
  const bytes = readFileSync(cachePath);
  const record = 32 + 512 * 4;
  for (let offset = 0; offset + record <= bytes.length; offset += record) {
    const key = bytes.subarray(offset, offset + 32).toString('hex');
    cache.set(
      key,
      new Float32Array(bytes.buffer.slice(bytes.byteOffset + offset + 32, bytes.byteOffset + offset + record)),
    );
  }
}
let embedded = { count: 0, ms: 0 };
function vectorOf(text: string): Float32Array {
  const key = createHash('sha256').update(text).digest('hex');
  let vector = cache.get(key);
  if (!vector) {
    const start = performance.now();
    vector = encoder.encode(text);
    embedded = { count: embedded.count + 1, ms: embedded.ms + performance.now() - start };
    cache.set(key, vector);
  }
  return vector;
}
function saveCache(): void {
  const chunks: Buffer[] = [];
  for (const [key, vector] of cache) {
    chunks.push(Buffer.from(key, 'hex'), Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
  }
  writeFileSync(cachePath, Buffer.concat(chunks));
}

type Ranker = (query: string, candidates: readonly ScoredPassage[]) => Promise<ScoredPassage[]>;
const ranks: Record<string, Record<string, number>> = {};

async function measure(root: string, corpus: string, dataset: string): Promise<string[]> {
  const snapshot = await new FileCorpusSource({ root }).read(corpus);
  const tools = { countTokens: (text: string) => countTokens(text), splitSentences };
  const passages = snapshot.documents.flatMap((document) => chunkWith(document, settings.chunking, tools));
  const index = new CorpusIndex(passages);
  started = performance.now();
  const passageVectors = new Map(passages.map((passage) => [passage.id, vectorOf(passageEmbeddingText(passage))]));
  console.log(
    `${corpus === '.' ? root : corpus}: ${passages.length} passages; ${embedded.count} embedded this run, ${(embedded.ms / Math.max(1, embedded.count)).toFixed(1)} ms each; all ready in ${(performance.now() - started).toFixed(0)} ms`,
  );
  saveCache();
  const embedder: Embedder = {
    provider: 'offline',
    modelId: 'use-multilingual-v3-int8',
    embed: async (texts) => ({
      embeddings: texts.map((text) => Array.from(vectorOf(text))),
      usage: { prompt_tokens: 0, total_tokens: 0 },
    }),
  };
  const hybridIndex = new CorpusIndex(passages, {
    embedder,
    vectors: passages.map((passage) => Array.from(passageVectors.get(passage.id) as Float32Array)),
  });
  const reranker = new LexicalReranker();
  const lexical: Ranker = async (query, candidates) => reranker.rerank({ query, candidates, index });
  const cosines = (query: string, candidates: readonly ScoredPassage[]) => {
    const queryVector = vectorOf(query);
    return candidates.map((passage) => dot(queryVector, passageVectors.get(passage.id) as Float32Array));
  };
  const weighted =
    (weight: number): Ranker =>
    async (query, candidates) => {
      const ranked = await lexical(query, candidates);
      const raw = cosines(query, ranked);
      const low = Math.min(...raw);
      const span = Math.max(...raw) - low || 1;
      return ranked
        .map((passage, rank) => ({
          passage: {
            ...passage,
            score: (1 - weight) * passage.score + (weight * ((raw[rank] as number) - low)) / span,
          },
          rank,
        }))
        .sort((a, b) => b.passage.score - a.passage.score || a.rank - b.rank)
        .map((entry) => entry.passage);
    };
  const fused: Ranker = async (query, candidates) => {
    const ranked = await lexical(query, candidates);
    const raw = cosines(query, ranked);
    const denseOrder = raw.map((cosine, position) => ({ cosine, position })).sort((a, b) => b.cosine - a.cosine);
    const denseRank = new Array<number>(ranked.length);
    denseOrder.forEach((entry, rank) => (denseRank[entry.position] = rank));
    return ranked
      .map((passage, rank) => ({
        passage: { ...passage, score: 1 / (61 + rank) + 1 / (61 + (denseRank[rank] as number)) },
        rank,
      }))
      .sort((a, b) => b.passage.score - a.passage.score || a.rank - b.rank)
      .map((entry) => entry.passage);
  };

  const variants: Record<string, { ranker?: Ranker; index?: CorpusIndex; denseAlone?: boolean }> = {
    shipped: { ranker: lexical },
    rrf: { ranker: fused },
    'sum 0.15': { ranker: weighted(0.15) },
    'sum 0.3': { ranker: weighted(0.3) },
    'sum 0.5': { ranker: weighted(0.5) },
    hybrid: {
      ranker: async (query, candidates) => reranker.rerank({ query, candidates, index: hybridIndex }),
      index: hybridIndex,
    },
    'dense alone': { denseAlone: true },
  };

  const examples = answerableLines(dataset).filter((example) => inDevelopHalfOfLine(example) === (split === 'develop'));
  const rows: string[] = [];
  const shippedRanks: number[] = [];
  const label = corpus === '.' ? root : corpus;
  for (const [name, variant] of Object.entries(variants)) {
    if (only && name !== 'shipped' && !only.includes(name)) continue;
    const totals = { top1: 0, top3: 0, top5: 0, reciprocal: 0, kept: 0, references: 0, recall: 0 };
    const moves = { up: 0, down: 0 };
    for (const [position, example] of examples.entries()) {
      const references = example.reference_contexts ?? [];
      const holds = (passage: ScoredPassage) =>
        references.some((reference) => matchesReference(passage.text, reference));
      let ranked: ScoredPassage[];
      let pool: ScoredPassage[];
      let final: ScoredPassage[];
      if (variant.denseAlone) {
        const queryVector = vectorOf(example.input);
        pool = passages
          .map((passage) => ({ ...passage, score: dot(queryVector, passageVectors.get(passage.id) as Float32Array) }))
          .sort((a, b) => b.score - a.score)
          .slice(0, settings.candidates);
        ranked = pool.slice(0, settings.k);
        final = ranked;
      } else {
        const ranker = variant.ranker as Ranker;
        const outcome = await retrievePassages({
          index: variant.index ?? index,
          query: example.input,
          settings,
          reranker: { rerank: (input) => ranker(input.query, input.candidates) },
        });
        ranked = outcome.ranked;
        pool = outcome.candidates;
        final = outcome.passages;
      }
      const rank = ranked.findIndex(holds) + 1;
      (ranks[name] ??= {})[`${label}#${example.id ?? example.input}`] = rank;
      if (rank === 1) totals.top1 += 1;
      if (rank >= 1 && rank <= 3) totals.top3 += 1;
      if (rank >= 1 && rank <= 5) totals.top5 += 1;
      if (rank >= 1) totals.reciprocal += 1 / rank;
      if (pool.some(holds)) totals.recall += 1;
      const effective = rank === 0 ? 6 : rank;
      if (name === 'shipped') shippedRanks[position] = effective;
      else if (effective < (shippedRanks[position] as number)) moves.up += 1;
      else if (effective > (shippedRanks[position] as number)) moves.down += 1;
      for (const reference of references) {
        totals.references += 1;
        if (final.some((passage) => matchesReference(passage.text, reference))) totals.kept += 1;
      }
    }
    const n = examples.length;
    const f = (value: number) => value.toFixed(3);
    rows.push(
      `| ${name} | ${label} (${n}) | ${f(totals.top1 / n)} / ${f(totals.top3 / n)} / ${f(totals.top5 / n)} / ${f(totals.reciprocal / n)} | ${f(totals.kept / totals.references)} | ${f(totals.recall / n)} | ${name === 'shipped' ? '' : `${moves.up} / ${moves.down}`} |`,
    );
  }
  saveCache();
  return rows;
}

const extraCorpus = option('corpus');
const extraDataset = option('dataset');
const rows = [
  ...(await measure(process.cwd(), 'confs/data/kb/', 'confs/data/eval/support-qa.jsonl')),
  ...(await measure(process.cwd(), 'confs/data/manual/', 'confs/data/eval/manual-qa.jsonl')),
  ...(extraCorpus && extraDataset ? await measure(resolve(extraCorpus), '.', extraDataset) : []),
];
if (ranksFile) writeFileSync(ranksFile, JSON.stringify(ranks, null, 1));
console.log(JSON.stringify({ split, settings }));
console.log('| variant | corpus (questions) | top 1 / 3 / 5 / MRR | reference in context | recall@50 | up / down |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
