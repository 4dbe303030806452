/**
 * WordLlama as a semantic signal for retrieval, measured on both shipped corpora (an experiment, not a shipped path):
 *
 *   npx tsx --conditions=@llmops/source tools/bench/retrieval/experiments/wordllama/wordllama-experiments.ts <wordllama folder>
 *
 * `<wordllama folder>` is the `wordllama/` folder of the unpacked PyPI wheel (weights/ and tokenizers/ in it).
 * Every variant runs the shipped improved config (structure chunks of 160 tokens, 50 candidates, lexical
 * rerank, k 5, compression 0.5) and changes one thing:
 * - `passage w`: the rerank score becomes (1 - w) x lexical rerank score + w x the cosine of the question's
 *   and the passage's WordLlama vectors (the passage as an embedder sees it: title › section, then text),
 *   min-max scaled over the candidates so that it spans [0, 1] like the lexical signals;
 * - `sentence w`: the same with the best cosine of the question and one sentence or entry of the passage;
 * - `passage raw w`: the passage cosine unscaled;
 * - `dense only`: the candidates ordered by the passage cosine alone;
 * - `hybrid`: the first stage fuses BM25F with the WordLlama ranking over all passages by reciprocal rank
 *   fusion (the index's own hybrid mode), then the lexical rerank; `hybrid, no rerank` without it;
 *   `hybrid + passage 0.3` with the semantic rerank signal too.
 * Weights 0.15, 0.3 and 0.5 are those of the earlier experiments, fixed before measuring. Columns as
 * retrieval-experiments.ts: top 1/3/5, MRR, context tokens, reference in context, recall@50 (reference among the
 * candidates) and how many questions each variant moves up / down against the shipped ranking.
 */
import { performance } from 'node:perf_hooks';
import { matchesReference } from '@llmops/evaluation';
import { retrievalSchema } from '@llmops/kernel';
import { countTokens, splitSentences } from '@llmops/providers';
import {
  CorpusIndex,
  FileCorpusSource,
  chunkWith,
  passageEmbeddingText,
  retrievePassages,
  LexicalReranker,
} from '@llmops/serving';
import type { ScoredPassage } from '@llmops/serving';
import { answerableLines } from '../../../answerer/answer-bench-data.js';
import { WordLlamaEmbedder, dot } from './wordllama-model.js';

const folder = process.argv[2];
if (!folder) throw new Error('usage: wordllama-experiments.ts <wordllama folder of the unpacked wheel>');

const settings = retrievalSchema.parse({
  chunking: { strategy: 'structure', maxTokens: 160, overlapTokens: 0 },
  candidates: 50,
  k: 5,
  rerank: 'lexical',
  compress: { enabled: true, keepRatio: 0.5 },
});

type Ranker = (query: string, candidates: readonly ScoredPassage[]) => Promise<ScoredPassage[]>;

let started = performance.now();
const model = WordLlamaEmbedder.load(folder);
console.log(`WordLlama loaded in ${(performance.now() - started).toFixed(0)} ms`);

async function measure(corpus: string, dataset: string) {
  const snapshot = await new FileCorpusSource({ root: process.cwd() }).read(corpus);
  const tools = { countTokens: (text: string) => countTokens(text), splitSentences };
  const passages = snapshot.documents.flatMap((document) => chunkWith(document, settings.chunking, tools));
  const index = new CorpusIndex(passages);
  started = performance.now();
  const passageVectors = new Map(passages.map((passage) => [passage.id, model.vector(passageEmbeddingText(passage))]));
  const sentenceVectors = new Map(
    passages.map((passage) => [
      passage.id,
      passage.text
        .split('\n')
        .flatMap((line) => splitSentences(line))
        .filter((sentence) => sentence.trim() !== '')
        .map((sentence) => model.vector(sentence)),
    ]),
  );
  console.log(
    `${corpus}: ${passages.length} passages, embedded (passages and sentences) in ${(performance.now() - started).toFixed(0)} ms`,
  );
  const hybridIndex = new CorpusIndex(passages, {
    embedder: model,
    vectors: passages.map((passage) => Array.from(passageVectors.get(passage.id) as Float32Array)),
  });
  const reranker = new LexicalReranker();
  const lexical: Ranker = async (query, candidates) => reranker.rerank({ query, candidates, index });

  const fuse =
    (signal: (query: Float32Array, passage: ScoredPassage) => number, weight: number, scaled = true): Ranker =>
    async (query, candidates) => {
      const ranked = await lexical(query, candidates);
      const queryVector = model.vector(query);
      const raw = ranked.map((passage) => signal(queryVector, passage));
      const low = scaled ? Math.min(...raw) : 0;
      const high = scaled ? Math.max(...raw) : 1;
      const span = high - low || 1;
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
  const passageCosine = (query: Float32Array, passage: ScoredPassage) =>
    dot(query, passageVectors.get(passage.id) as Float32Array);
  const sentenceCosine = (query: Float32Array, passage: ScoredPassage) =>
    Math.max(...(sentenceVectors.get(passage.id) as Float32Array[]).map((vector) => dot(query, vector)), -1);

  const variants: Record<string, { ranker?: Ranker; index?: CorpusIndex }> = { shipped: { ranker: lexical } };
  for (const weight of [0.15, 0.3, 0.5]) {
    variants[`passage ${weight}`] = { ranker: fuse(passageCosine, weight) };
    variants[`sentence ${weight}`] = { ranker: fuse(sentenceCosine, weight) };
    variants[`passage raw ${weight}`] = { ranker: fuse(passageCosine, weight, false) };
  }
  variants['dense only'] = { ranker: fuse(passageCosine, 1) };
  variants['hybrid'] = {
    ranker: async (query, candidates) => reranker.rerank({ query, candidates, index: hybridIndex }),
    index: hybridIndex,
  };
  variants['hybrid, no rerank'] = { index: hybridIndex };
  const hybridSemantic = fuse(passageCosine, 0.3);
  variants['hybrid + passage 0.3'] = { ranker: hybridSemantic, index: hybridIndex };

  const examples = answerableLines(dataset);
  const rows: string[] = [];
  const shippedRanks: number[] = [];
  for (const [name, variant] of Object.entries(variants)) {
    const wrapped = variant.ranker
      ? {
          rerank: (input: { query: string; candidates: readonly ScoredPassage[] }) =>
            (variant.ranker as Ranker)(input.query, input.candidates),
        }
      : undefined;
    const variantSettings = wrapped ? settings : { ...settings, candidates: settings.k };
    const totals = { top1: 0, top3: 0, top5: 0, reciprocal: 0, tokens: 0, kept: 0, references: 0, recall: 0 };
    const moves = { up: 0, down: 0 };
    for (const [position, example] of examples.entries()) {
      const references = example.reference_contexts ?? [];
      const holds = (passage: ScoredPassage) =>
        references.some((reference) => matchesReference(passage.text, reference));
      const outcome = await retrievePassages({
        index: variant.index ?? index,
        query: example.input,
        settings: variantSettings,
        ...(wrapped ? { reranker: wrapped } : {}),
      });
      const rank = outcome.ranked.findIndex(holds) + 1;
      if (rank === 1) totals.top1 += 1;
      if (rank >= 1 && rank <= 3) totals.top3 += 1;
      if (rank >= 1 && rank <= 5) totals.top5 += 1;
      if (rank >= 1) totals.reciprocal += 1 / rank;
      const pool = wrapped
        ? outcome.candidates
        : await (variant.index ?? index).search(example.input, { k: settings.candidates });
      if (pool.some(holds)) totals.recall += 1;
      const effective = rank === 0 ? 6 : rank;
      if (name === 'shipped') shippedRanks[position] = effective;
      else if (effective < (shippedRanks[position] as number)) moves.up += 1;
      else if (effective > (shippedRanks[position] as number)) moves.down += 1;
      totals.tokens += outcome.passages.reduce((sum, passage) => sum + countTokens(passage.text), 0);
      for (const reference of references) {
        totals.references += 1;
        if (outcome.passages.some((passage) => matchesReference(passage.text, reference))) totals.kept += 1;
      }
    }
    const n = examples.length;
    const f = (value: number) => value.toFixed(3);
    rows.push(
      `| ${name} | ${corpus} | ${f(totals.top1 / n)} | ${f(totals.top3 / n)} | ${f(totals.top5 / n)} | ${f(totals.reciprocal / n)} | ${(totals.tokens / n).toFixed(0)} | ${f(totals.kept / totals.references)} | ${f(totals.recall / n)} | ${moves.up} / ${moves.down} |`,
    );
  }
  // Diagnostic: WordLlama alone as the first stage over all passages, no rerank, no compression.
  const dense = { top1: 0, top3: 0, top5: 0, reciprocal: 0, recall: 0 };
  for (const example of examples) {
    const references = example.reference_contexts ?? [];
    const queryVector = model.vector(example.input);
    const ranking = passages
      .map((passage) => ({ passage, cosine: dot(queryVector, passageVectors.get(passage.id) as Float32Array) }))
      .sort((a, b) => b.cosine - a.cosine)
      .slice(0, settings.candidates);
    const rank =
      ranking.findIndex((entry) => references.some((reference) => matchesReference(entry.passage.text, reference))) + 1;
    if (rank === 1) dense.top1 += 1;
    if (rank >= 1 && rank <= 3) dense.top3 += 1;
    if (rank >= 1 && rank <= 5) dense.top5 += 1;
    if (rank >= 1) dense.reciprocal += 1 / rank;
    if (rank >= 1) dense.recall += 1;
  }
  const n = examples.length;
  const f = (value: number) => value.toFixed(3);
  rows.push(
    `| dense first stage alone | ${corpus} | ${f(dense.top1 / n)} | ${f(dense.top3 / n)} | ${f(dense.top5 / n)} | ${f(dense.reciprocal / n)} | – | – | ${f(dense.recall / n)} | |`,
  );
  return rows;
}

const rows = [
  ...(await measure('confs/data/kb/', 'confs/data/eval/support-qa.jsonl')),
  ...(await measure('confs/data/manual/', 'confs/data/eval/manual-qa.jsonl')),
];
console.log(
  '| variant | corpus | top 1 | top 3 | top 5 | MRR | context tokens | reference in context | recall@50 | questions up / down |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
