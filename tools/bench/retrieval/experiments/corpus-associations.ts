/**
 * Corpus-derived retrieval variants measured on both shipped corpora (an experiment, not a shipped path):
 *
 *   npx tsx --conditions=@llmops/source tools/bench/retrieval/experiments/corpus-associations.ts
 *
 * Every variant runs the shipped improved config (structure chunks of 160 tokens, 50 candidates, lexical
 * rerank, k 5) and changes one thing:
 * - `rm3`: RM3 pseudo-relevance feedback (Lavrenko and Croft 2001; Anserini's defaults fb_docs 10,
 *   fb_terms 10, original weight 0.5) in the candidate stage: the expanded, weighted query scores the
 *   passages with BM25F, the reranker then uses that score as its first-stage signal.
 * - `rm3-feature`: the same RM3 score as a fifth rerank signal over the unchanged candidates.
 * - `ppmi-npmi`, `ppmi-cosine`: soft term matching in the reranker from term associations learned on the corpus itself
 *   (PPMI over a symmetric window of 5 analysed terms within a passage, context distribution smoothed
 *   with alpha 0.75 as Levy, Goldberg and Dagan 2015): a question term absent from the passage counts its
 *   best association with a passage term. `npmi` is the first-order association (normalised PMI of the
 *   pair), `cosine` the second-order one (cosine of the two terms' PPMI rows). Final score
 *   0.7 x lexical rerank + 0.3 x IDF-weighted soft coverage (the weights of the word-vector experiment).
 * - `ppmi-svd`: the same, with the cosine of dense term vectors from a randomized truncated SVD of the
 *   PPMI matrix (100 dimensions, U x sqrt(Sigma)).
 * - `docprior`: whole-document BM25 (one document = all passages of a source), fused with the passage's
 *   rerank score.
 * The signals that fuse with the lexical rerank score are measured at weights 0.15, 0.3 and 0.5. Columns
 * as retrieval-quality.ts, plus recall@50 (the reference among the candidates) and how many questions
 * each variant moves up / down against the shipped ranking. `--only a,b` runs some variants,
 * `--neighbours` prints each association's nearest terms for a few words.
 */
import { performance } from 'node:perf_hooks';
import { matchesReference } from '@llmops/evaluation';
import { retrievalSchema } from '@llmops/kernel';
import { Bm25Scorer, Bm25fScorer, countTokens, splitSentences } from '@llmops/providers';
import { CorpusIndex, FileCorpusSource, chunkWith, retrievePassages, LexicalReranker } from '@llmops/serving';
import type { Passage, ScoredPassage } from '@llmops/serving';
import { answerableLines } from '../../answerer/answer-bench-data.js';
import { random } from '../../seeded-random.js';

const settings = retrievalSchema.parse({
  chunking: { strategy: 'structure', maxTokens: 160, overlapTokens: 0 },
  candidates: 50,
  k: 5,
  rerank: 'lexical',
  compress: { enabled: true, keepRatio: 0.5 },
});

const fields = {
  title: { weight: 2, b: 0 },
  section: { weight: 1.5, b: 0 },
  text: { weight: 1, b: 0.5 },
} as const;

type Ranker = (query: string, candidates: readonly ScoredPassage[]) => Promise<ScoredPassage[]>;

/** Term associations learned from the corpus: PPMI over a window co-occurrence matrix. */
class Associations {
  readonly rows = new Map<string, Map<string, number>>();
  private readonly norms = new Map<string, number>();
  private readonly npmiRows = new Map<string, Map<string, number>>();

  constructor(texts: readonly string[][], window = 5, alpha = 0.75) {
    const pairs = new Map<string, Map<string, number>>();
    const counts = new Map<string, number>();
    let total = 0;
    for (const terms of texts) {
      for (let i = 0; i < terms.length; i += 1) {
        const left = terms[i] as string;
        for (let j = i + 1; j <= Math.min(terms.length - 1, i + window); j += 1) {
          const right = terms[j] as string;
          if (right === left) continue;
          for (const [a, b] of [
            [left, right],
            [right, left],
          ] as const) {
            let row = pairs.get(a);
            if (!row) pairs.set(a, (row = new Map()));
            row.set(b, (row.get(b) ?? 0) + 1);
            counts.set(a, (counts.get(a) ?? 0) + 1);
            total += 1;
          }
        }
      }
    }
    let smoothedTotal = 0;
    for (const count of counts.values()) smoothedTotal += count ** alpha;
    for (const [a, row] of pairs) {
      const ppmi = new Map<string, number>();
      const npmi = new Map<string, number>();
      const pa = (counts.get(a) as number) / total;
      for (const [b, count] of row) {
        const joint = count / total;
        const pb = (counts.get(b) as number) / total;
        const pbSmoothed = (counts.get(b) as number) ** alpha / smoothedTotal;
        const pmi = Math.log(joint / (pa * pbSmoothed));
        if (pmi > 0) ppmi.set(b, pmi);
        const plain = Math.log(joint / (pa * pb));
        if (plain > 0 && count >= 2) npmi.set(b, plain / -Math.log(joint));
      }
      this.rows.set(a, ppmi);
      this.npmiRows.set(a, npmi);
      let norm = 0;
      for (const value of ppmi.values()) norm += value * value;
      this.norms.set(a, Math.sqrt(norm));
    }
  }

  cosine(a: string, b: string): number {
    const left = this.rows.get(a);
    const right = this.rows.get(b);
    if (!left || !right) return 0;
    const [small, large] = left.size < right.size ? [left, right] : [right, left];
    let dot = 0;
    for (const [term, value] of small) dot += value * (large.get(term) ?? 0);
    const norm = (this.norms.get(a) as number) * (this.norms.get(b) as number);
    return norm === 0 ? 0 : dot / norm;
  }

  private dense: Map<string, Float64Array> | undefined;

  /** Cosine of the two terms' vectors after a truncated SVD of the PPMI matrix. */
  svd(a: string, b: string): number {
    this.dense ??= truncatedSvd(this.rows, 100);
    const left = this.dense.get(a);
    const right = this.dense.get(b);
    if (!left || !right) return 0;
    let dot = 0;
    for (let k = 0; k < left.length; k += 1) dot += (left[k] as number) * (right[k] as number);
    return dot;
  }

  npmi(a: string, b: string): number {
    return this.npmiRows.get(a)?.get(b) ?? 0;
  }
}

/** Orthonormalises the columns of a row-major matrix (rows x columns) in place, by modified Gram-Schmidt. */
function orthonormalise(matrix: Float64Array[], columns: number): void {
  for (let column = 0; column < columns; column += 1) {
    for (let previous = 0; previous < column; previous += 1) {
      let dot = 0;
      for (const row of matrix) dot += (row[column] as number) * (row[previous] as number);
      for (const row of matrix) row[column] = (row[column] as number) - dot * (row[previous] as number);
    }
    let norm = 0;
    for (const row of matrix) norm += (row[column] as number) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (const row of matrix) row[column] = (row[column] as number) / norm;
  }
}

/** Eigenvectors (columns) and eigenvalues of a small symmetric matrix, by cyclic Jacobi rotations. */
function symmetricEigen(input: Float64Array[]): { values: number[]; vectors: Float64Array[] } {
  const n = input.length;
  const a = input.map((row) => Float64Array.from(row));
  const v = Array.from({ length: n }, (_, i) => {
    const row = new Float64Array(n);
    row[i] = 1;
    return row;
  });
  for (let sweep = 0; sweep < 30; sweep += 1) {
    let off = 0;
    for (let p = 0; p < n; p += 1) for (let q = p + 1; q < n; q += 1) off += (a[p]![q] as number) ** 2;
    if (off < 1e-18) break;
    for (let p = 0; p < n; p += 1)
      for (let q = p + 1; q < n; q += 1) {
        const apq = a[p]![q] as number;
        if (Math.abs(apq) < 1e-15) continue;
        const theta = ((a[q]![q] as number) - (a[p]![p] as number)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k += 1) {
          const akp = a[k]![p] as number;
          const akq = a[k]![q] as number;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k += 1) {
          const apk = a[p]![k] as number;
          const aqk = a[q]![k] as number;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k += 1) {
          const vkp = v[k]![p] as number;
          const vkq = v[k]![q] as number;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
  }
  return { values: a.map((row, i) => row[i] as number), vectors: v };
}

/**
 * Dense term vectors from a sparse matrix's rows by randomized truncated SVD (Halko, Martinsson and Tropp
 * 2011: a Gaussian range finder with two power iterations), each term's vector U_d x sqrt(Sigma_d).
 */
function truncatedSvd(rows: Map<string, Map<string, number>>, dimensions: number): Map<string, Float64Array> {
  const terms = [...rows.keys()];
  const position = new Map(terms.map((term, i) => [term, i]));
  const sparse = terms.map((term) =>
    [...(rows.get(term) as Map<string, number>)].flatMap(([other, value]) =>
      position.has(other) ? [[position.get(other) as number, value] as const] : [],
    ),
  );
  const n = terms.length;
  const width = Math.min(n, dimensions + 10);
  const next = random(7);
  const gaussian = () => Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next());
  // Y = M Omega
  const multiply = (right: Float64Array[]) =>
    sparse.map((entries) => {
      const out = new Float64Array(width);
      for (const [column, value] of entries) {
        const r = right[column] as Float64Array;
        for (let k = 0; k < width; k += 1) out[k] = (out[k] as number) + value * (r[k] as number);
      }
      return out;
    });
  const multiplyTransposed = (left: Float64Array[]) => {
    const out = Array.from({ length: n }, () => new Float64Array(width));
    sparse.forEach((entries, row) => {
      const l = left[row] as Float64Array;
      for (const [column, value] of entries) {
        const o = out[column] as Float64Array;
        for (let k = 0; k < width; k += 1) o[k] = (o[k] as number) + value * (l[k] as number);
      }
    });
    return out;
  };
  let y = multiply(Array.from({ length: n }, () => Float64Array.from({ length: width }, gaussian)));
  for (let iteration = 0; iteration < 2; iteration += 1) {
    orthonormalise(y, width);
    const z = multiplyTransposed(y);
    orthonormalise(z, width);
    y = multiply(z);
  }
  orthonormalise(y, width);
  // B^T = M^T Q (n x width); C = B B^T = (M^T Q)^T (M^T Q)
  const bt = multiplyTransposed(y);
  const c = Array.from({ length: width }, () => new Float64Array(width));
  for (const row of bt)
    for (let i = 0; i < width; i += 1) {
      const ri = row[i] as number;
      if (ri === 0) continue;
      for (let j = 0; j < width; j += 1) c[i]![j] = (c[i]![j] as number) + ri * (row[j] as number);
    }
  const { values, vectors } = symmetricEigen(c);
  const order = values
    .map((value, i) => [value, i] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, dimensions);
  const result = new Map<string, Float64Array>();
  terms.forEach((term, row) => {
    const q = y[row] as Float64Array;
    const vector = new Float64Array(order.length);
    order.forEach(([value, column], k) => {
      let u = 0;
      for (let i = 0; i < width; i += 1) u += (q[i] as number) * (vectors[i]![column] as number);
      vector[k] = u * Math.sqrt(Math.sqrt(Math.max(value, 0)));
    });
    let norm = 0;
    for (const x of vector) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < vector.length; k += 1) vector[k] = (vector[k] as number) / norm;
    result.set(term, vector);
  });
  return result;
}

async function measure(corpus: string, dataset: string) {
  const snapshot = await new FileCorpusSource({ root: process.cwd() }).read(corpus);
  const tools = { countTokens: (text: string) => countTokens(text), splitSentences };
  const passages = snapshot.documents.flatMap((document) => chunkWith(document, settings.chunking, tools));
  const index = new CorpusIndex(passages);
  const bm25f = new Bm25fScorer(
    passages.map((passage) => ({ title: passage.title ?? '', section: passage.section ?? '', text: passage.text })),
    { fields },
  );
  const terms = (text: string) => bm25f.terms(text);
  const passageTerms = passages.map((passage) =>
    terms(`${passage.title ?? ''} ${passage.section ?? ''} ${passage.text}`),
  );
  const reranker = new LexicalReranker();
  const lexical: Ranker = async (query, candidates) => reranker.rerank({ query, candidates, index });
  const byId = new Map(passages.map((passage, position) => [passage.id, position]));

  const perTerm = new Map<string, Float64Array>();
  const termScores = (term: string) => {
    let scores = perTerm.get(term);
    if (!scores) perTerm.set(term, (scores = bm25f.scores([term])));
    return scores;
  };
  const commonIdf = Math.log(1 + (passages.length * 0.1 + 0.5) / (passages.length * 0.9 + 0.5));
  /** RM3 with Anserini's defaults: 10 feedback passages, 10 feedback terms, original query weight 0.5. */
  const rm3Weights = (query: string, { fbDocs = 10, fbTerms = 10, originalWeight = 0.5 } = {}) => {
    const all = bm25f.queryTerms(query);
    const distinctive = all.filter((term) => bm25f.idf(term) > commonIdf);
    const original = distinctive.length > 0 ? distinctive : all;
    const scores = bm25f.scores(original);
    const top = [...scores.keys()]
      .filter((position) => (scores[position] as number) > 0)
      .sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b)
      .slice(0, fbDocs);
    const feedback = new Map<string, number>();
    for (const position of top) {
      const docTerms = passageTerms[position] as string[];
      for (const term of docTerms)
        feedback.set(term, (feedback.get(term) ?? 0) + (scores[position] as number) / docTerms.length);
    }
    const kept = [...feedback.entries()]
      .filter(([term]) => bm25f.idf(term) > commonIdf)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, fbTerms);
    const keptTotal = kept.reduce((sum, [, weight]) => sum + weight, 0);
    const weights = new Map<string, number>();
    for (const term of original) weights.set(term, originalWeight / original.length);
    for (const [term, weight] of kept)
      weights.set(term, (weights.get(term) ?? 0) + ((1 - originalWeight) * weight) / (keptTotal || 1));
    return weights;
  };
  const weightedScores = (weights: Map<string, number>) => {
    const scores = new Float64Array(passages.length);
    for (const [term, weight] of weights) {
      const one = termScores(term);
      for (let position = 0; position < one.length; position += 1)
        scores[position] = (scores[position] as number) + weight * (one[position] as number);
    }
    return scores;
  };
  const rm3: Ranker = async (query) => {
    const scores = weightedScores(rm3Weights(query));
    const candidates = [...scores.keys()]
      .filter((position) => (scores[position] as number) > 0)
      .sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b)
      .slice(0, settings.candidates)
      .map((position) => ({ ...(passages[position] as Passage), score: scores[position] as number }));
    return reranker.rerank({ query, candidates, index });
  };
  const rm3Feature =
    (weight: number): Ranker =>
    async (query, candidates) => {
      const ranked = await lexical(query, candidates);
      const scores = weightedScores(rm3Weights(query));
      const best = Math.max(...ranked.map((passage) => scores[byId.get(passage.id) as number] as number), 1e-9);
      return ranked
        .map((passage, rank) => ({
          passage: {
            ...passage,
            score: (1 - weight) * passage.score + weight * ((scores[byId.get(passage.id) as number] as number) / best),
          },
          rank,
        }))
        .sort((a, b) => b.passage.score - a.passage.score || a.rank - b.rank)
        .map((entry) => entry.passage);
    };

  let started = performance.now();
  const associations = new Associations(passages.map((passage) => terms(passage.text)));
  const ppmiMs = performance.now() - started;
  started = performance.now();
  associations.svd('', '');
  const svdMs = performance.now() - started;
  console.log(`${corpus}: PPMI built in ${ppmiMs.toFixed(0)} ms, SVD (100 dimensions) in ${svdMs.toFixed(0)} ms`);
  if (process.argv.includes('--neighbours')) {
    const vocabulary = [...associations.rows.keys()];
    for (const term of [
      'bale',
      'restor',
      'unpack',
      'cach',
      'garbag',
      'upload',
      'owner',
      'interrupt',
      'refund',
      'password',
    ]) {
      if (!associations.rows.has(term)) continue;
      for (const kind of ['npmi', 'cosine', 'svd'] as const) {
        const best = vocabulary
          .filter((other) => other !== term)
          .map((other) => [other, associations[kind](term, other)] as const)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 8);
        console.log(
          `${corpus} ${term} ${kind}: ${best.map(([other, value]) => `${other} ${value.toFixed(2)}`).join(', ')}`,
        );
      }
    }
    console.log(`vocabulary ${vocabulary.length}`);
  }
  const soft =
    (kind: 'npmi' | 'cosine' | 'svd', threshold: number, weight = 0.3): Ranker =>
    async (query, candidates) => {
      const ranked = await lexical(query, candidates);
      const queryTerms = [...new Set(terms(query))];
      return ranked
        .map((passage, rank) => {
          const have = new Set(passageTerms[byId.get(passage.id) as number]);
          let total = 0;
          let matched = 0;
          for (const term of queryTerms) {
            const idf = bm25f.idf(term);
            total += idf;
            if (have.has(term)) {
              matched += idf;
              continue;
            }
            let best = 0;
            for (const other of have) {
              const value =
                kind === 'npmi'
                  ? associations.npmi(term, other)
                  : kind === 'svd'
                    ? associations.svd(term, other)
                    : associations.cosine(term, other);
              if (value > best) best = value;
            }
            if (best > threshold) matched += idf * best;
          }
          const softCoverage = total === 0 ? 0 : matched / total;
          return { passage: { ...passage, score: (1 - weight) * passage.score + weight * softCoverage }, rank };
        })
        .sort((a, b) => b.passage.score - a.passage.score || a.rank - b.rank)
        .map((entry) => entry.passage);
    };

  const sources = [...new Set(passages.map((passage) => passage.source))];
  const documentBm25 = new Bm25Scorer(
    sources.map((source) =>
      passages
        .filter((passage) => passage.source === source)
        .map((passage) => `${passage.title ?? ''} ${passage.section ?? ''} ${passage.text}`)
        .join('\n'),
    ),
  );
  const docPrior =
    (weight: number): Ranker =>
    async (query, candidates) => {
      const ranked = await lexical(query, candidates);
      const scores = documentBm25.scores(query);
      const best = Math.max(...scores, 1e-9);
      const bySource = new Map(sources.map((source, position) => [source, (scores[position] as number) / best]));
      return ranked
        .map((passage, rank) => ({
          passage: { ...passage, score: (1 - weight) * passage.score + weight * (bySource.get(passage.source) ?? 0) },
          rank,
        }))
        .sort((a, b) => b.passage.score - a.passage.score || a.rank - b.rank)
        .map((entry) => entry.passage);
    };

  const variants: Record<string, Ranker> = { shipped: lexical, rm3 };
  for (const weight of [0.15, 0.3, 0.5]) {
    variants[`rm3-feature ${weight}`] = rm3Feature(weight);
    variants[`ppmi-npmi ${weight}`] = soft('npmi', 0, weight);
    variants[`ppmi-cosine ${weight}`] = soft('cosine', 0.25, weight);
    variants[`ppmi-svd ${weight}`] = soft('svd', 0.25, weight);
    variants[`docprior ${weight}`] = docPrior(weight);
  }
  const only = process.argv.indexOf('--only');
  const chosen = only > 0 ? (process.argv[only + 1] as string).split(',') : Object.keys(variants);

  const examples = answerableLines(dataset);
  const rows: string[] = [];
  const shippedRanks: number[] = [];
  for (const name of ['shipped', ...chosen.filter((name) => name !== 'shipped')]) {
    const ranker = variants[name] as Ranker;
    const wrapped = {
      rerank: (input: { query: string; candidates: readonly ScoredPassage[] }) => ranker(input.query, input.candidates),
    };
    const totals = { top1: 0, top3: 0, top5: 0, reciprocal: 0, tokens: 0, kept: 0, references: 0, recall: 0 };
    const moves = { up: 0, down: 0 };
    for (const [position, example] of examples.entries()) {
      const references = example.reference_contexts ?? [];
      const outcome = await retrievePassages({ index, query: example.input, settings, reranker: wrapped });
      const ranking = outcome.ranked;
      const rank =
        ranking.findIndex((passage) => references.some((reference) => matchesReference(passage.text, reference))) + 1;
      if (rank === 1) totals.top1 += 1;
      if (rank >= 1 && rank <= 3) totals.top3 += 1;
      if (rank >= 1 && rank <= 5) totals.top5 += 1;
      if (rank >= 1) totals.reciprocal += 1 / rank;
      const holds = (passage: ScoredPassage) =>
        references.some((reference) => matchesReference(passage.text, reference));
      if (outcome.candidates.some(holds) || (name === 'rm3' && (await ranker(example.input, [])).some(holds)))
        totals.recall += 1;
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
for (const row of rows.sort()) console.log(row);
