/**
 * What the USE encoder (the guardrails' `SentenceEncoder`) would cost retrieval, in CPU time (an experiment; issue 11):
 *
 *   npx tsx --conditions=@llmops/source tools/bench/retrieval/experiments/use-encoder-cost.ts \
 *     --weights /work/main/packages/serving/models/use-multilingual-int8.bin [--sample 30]
 *
 * On the skerry manual (structure chunks of 160 tokens, the improved spec), paired and interleaved query by query:
 * the shipped retrieval (50 candidates, lexical rerank, k 5, support compression 0.55) against the same retrieval
 * plus the encoder's rerank signal at 0.15 (the question embedded, its cosine with each candidate's cached vector). Per
 * indexed passage: the CPU time of embedding `--sample` passages spread over the corpus (title › section, then
 * text), and the extrapolation to 10,000 passages of the corpus's mean length. CPU time is `process.cpuUsage()`
 * (user + system) of this process, so other processes on the machine weigh less than on wall time; report `uptime`.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
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
import { benchRetrieval } from '../../answerer/answer-bench-data.js';
import { option } from '../../command-line.js';

const weightsPath = option('weights');
if (!weightsPath) {
  console.error('usage: use-encoder-cost.ts --weights FILE [--sample 30]');
  process.exit(2);
}
const sample = Number(option('sample') ?? 30);

/** The shipped improved spec's retrieval (confs/models/support-rag-improved.yaml). */
const settings = benchRetrieval(true);

function dot(left: Float32Array, right: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < left.length; index += 1) sum += (left[index] as number) * (right[index] as number);
  return sum;
}
/** CPU milliseconds (user + system) spent by `work`. */
async function cpuMs(work: () => Promise<unknown> | unknown): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const spent = process.cpuUsage(before);
  return (spent.user + spent.system) / 1000;
}
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

const loadStart = process.cpuUsage();
const encoder = new SentenceEncoder(readFileSync(weightsPath), weightsPath);
const loadCpu = process.cpuUsage(loadStart);
const snapshot = await new FileCorpusSource({ root: process.cwd() }).read('confs/data/manual/');
const tools = { countTokens: (text: string) => countTokens(text), splitSentences };
const passages = snapshot.documents.flatMap((document) => chunkWith(document, settings.chunking, tools));
const index = new CorpusIndex(passages);
const reranker = new LexicalReranker();

// Per indexed passage: a spread sample, and the corpus's mean length to extrapolate.
const step = Math.max(1, Math.floor(passages.length / sample));
const sampled = passages.filter((_, position) => position % step === 0).slice(0, sample);
const perPassage: number[] = [];
const perToken: number[] = [];
for (const passage of sampled) {
  const text = passageEmbeddingText(passage);
  const ms = await cpuMs(() => encoder.encode(text));
  perPassage.push(ms);
  perToken.push(ms / countTokens(text));
}
const meanTokens =
  passages.reduce((sum, passage) => sum + countTokens(passageEmbeddingText(passage)), 0) / passages.length;
const meanPerToken = perToken.reduce((sum, value) => sum + value, 0) / perToken.length;

// Per query, paired. At query time only the question is embedded; each candidate's vector is read from the index
// (index time). Embedding all 270 passages here would take minutes on a loaded machine and not change the query's
// CPU, so the candidates borrow the sampled passages' vectors in turn: the cosines are the same work.
const borrowed = sampled.map((passage) => encoder.encode(passageEmbeddingText(passage)));
const vectors = new Map(passages.map((passage, position) => [passage.id, borrowed[position % borrowed.length]]));
const questions = readFileSync('confs/data/eval/manual-qa.jsonl', 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => (JSON.parse(line) as { input: string }).input)
  .slice(0, sample);
const withEncoder = {
  rerank: async (input: { query: string; candidates: readonly ScoredPassage[] }) => {
    const ranked = await reranker.rerank({ ...input, index });
    const query = encoder.encode(input.query);
    const raw = ranked.map((passage) => dot(query, vectors.get(passage.id) as Float32Array));
    const low = Math.min(...raw);
    const span = Math.max(...raw) - low || 1;
    return ranked
      .map((passage, rank) => ({
        ...passage,
        score: 0.85 * passage.score + (0.15 * ((raw[rank] as number) - low)) / span,
      }))
      .sort((a, b) => b.score - a.score);
  },
};
const shipped: number[] = [];
const encoded: number[] = [];
for (const [position, query] of questions.entries()) {
  const runs = [
    () => cpuMs(() => retrievePassages({ index, query, settings, reranker })).then((ms) => shipped.push(ms)),
    () =>
      cpuMs(() => retrievePassages({ index, query, settings, reranker: withEncoder })).then((ms) => encoded.push(ms)),
  ];
  // Alternate which goes first, so that neither always runs on a warmer cache.
  for (const run of position % 2 === 0 ? runs : [...runs].reverse()) await run();
}

const f = (value: number) => value.toFixed(1);
console.log(
  `load average ${loadavg()
    .map((value) => value.toFixed(2))
    .join(', ')} on ${cpus().length} CPUs`,
);
console.log(`encoder load: ${f((loadCpu.user + loadCpu.system) / 1000)} ms CPU`);
console.log(
  `per indexed passage (${sampled.length} sampled): median ${f(quantile(perPassage, 0.5))} ms, p95 ${f(quantile(perPassage, 0.95))} ms CPU; ${meanPerToken.toFixed(2)} ms per token`,
);
console.log(
  `corpus mean ${meanTokens.toFixed(0)} tokens per passage → 10,000 passages ≈ ${f((10_000 * meanTokens * meanPerToken) / 1000 / 60)} CPU minutes`,
);
console.log(
  `per query (${questions.length}, paired): shipped median ${f(quantile(shipped, 0.5))} / p95 ${f(quantile(shipped, 0.95))} ms; with the encoder median ${f(quantile(encoded, 0.5))} / p95 ${f(quantile(encoded, 0.95))} ms CPU`,
);
