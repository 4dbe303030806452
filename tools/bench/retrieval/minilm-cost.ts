/**
 * What the MiniLM dense rerank signal (`retrieval.dense`) costs in CPU, in TypeScript (issue 11):
 *
 *   npx tsx --conditions=@llmops/source tools/bench/retrieval/minilm-cost.ts \
 *     --weights packages/serving/models/minilm-l6-int8.bin [--corpus /tmp/real-man] [--sample 40] [--rounds 3]
 *
 * Per passage (index time, once per passage text): the CPU time of embedding `--sample` passages spread over the
 * corpus (`--corpus`, by default the skerry manual), as the reranker embeds them (title › section, then text), with
 * their word-piece counts. Per query, on the skerry manual with every passage's vector already cached (the steady
 * state): the shipped retrieval (improved spec: 50 candidates, lexical rerank, k 5, support compression 0.55) and the
 * same with the dense signal at 0.15, paired and interleaved question by question for `--rounds` rounds. CPU time is
 * `process.cpuUsage()` (user + system) of this one process; print `uptime` beside it, the machine is shared.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { countTokens, splitSentences } from '@llmops/providers';
import {
  CorpusIndex,
  DenseReranker,
  FileCorpusSource,
  LexicalReranker,
  MiniLmEncoder,
  chunkWith,
  passageEmbeddingText,
  retrievePassages,
} from '@llmops/serving';
import { benchRetrieval } from '../answerer/answer-bench-data.js';
import { option } from '../command-line.js';

const weightsPath = option('weights');
if (!weightsPath) {
  console.error('usage: minilm-cost.ts --weights FILE [--corpus DIR] [--sample 40] [--rounds 3]');
  process.exit(2);
}
const sample = Number(option('sample') ?? 40);
const rounds = Number(option('rounds') ?? 3);
const settings = benchRetrieval(true);
const tools = { countTokens: (text: string) => countTokens(text), splitSentences };

function cpuMs(work: () => unknown): number {
  const before = process.cpuUsage();
  work();
  const spent = process.cpuUsage(before);
  return (spent.user + spent.system) / 1000;
}
async function cpuMsAsync(work: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const spent = process.cpuUsage(before);
  return (spent.user + spent.system) / 1000;
}
function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
const bytes = readFileSync(weightsPath);
let encoder: MiniLmEncoder | undefined;
const loadMs = cpuMs(() => (encoder = new MiniLmEncoder(bytes, weightsPath)));
const minilm = encoder as MiniLmEncoder;
console.log(
  `load ${load()}; weights ${(bytes.length / 1e6).toFixed(1)} MB read into the encoder in ${loadMs.toFixed(0)} ms of CPU`,
);

async function passagesOf(root: string, corpus: string) {
  const snapshot = await new FileCorpusSource({ root }).read(corpus);
  return snapshot.documents.flatMap((document) => chunkWith(document, settings.chunking, tools));
}

// Per passage.
const extra = option('corpus');
const costPassages = extra
  ? await passagesOf(resolve(extra), '.')
  : await passagesOf(process.cwd(), 'confs/data/manual/');
const step = Math.max(1, Math.floor(costPassages.length / sample));
const sampled = costPassages.filter((_, position) => position % step === 0).slice(0, sample);
const perPassage: number[] = [];
const pieces: number[] = [];
for (const passage of sampled) {
  const text = passageEmbeddingText(passage);
  pieces.push(minilm.tokenizer.encode(text).length);
  perPassage.push(cpuMs(() => minilm.encode(text)));
}
const perPiece = perPassage.map((ms, index) => ms / (pieces[index] as number));
console.log(
  `per passage (${extra ?? 'skerry manual'}, ${sampled.length} of ${costPassages.length}): CPU ms median ${quantile(perPassage, 0.5).toFixed(1)}, p90 ${quantile(perPassage, 0.9).toFixed(1)}; word pieces median ${quantile(pieces, 0.5)}, p90 ${quantile(pieces, 0.9)}; ms per piece median ${quantile(perPiece, 0.5).toFixed(3)}; load ${load()}`,
);

// Per query, warm cache, paired.
const manual = await passagesOf(process.cwd(), 'confs/data/manual/');
const index = new CorpusIndex(manual);
const questions = readFileSync('confs/data/eval/manual-qa.jsonl', 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => (JSON.parse(line) as { input: string }).input);
const lexical = new LexicalReranker();
const dense = new DenseReranker({ lexical: new LexicalReranker(), encoder: minilm, weight: 0.15 });
for (const query of questions) await retrievePassages({ index, query, settings, reranker: dense });
const shipped: number[] = [];
const withDense: number[] = [];
const questionOnly: number[] = [];
for (let round = 0; round < rounds; round += 1)
  for (const query of questions) {
    shipped.push(await cpuMsAsync(() => retrievePassages({ index, query, settings, reranker: lexical })));
    withDense.push(await cpuMsAsync(() => retrievePassages({ index, query, settings, reranker: dense })));
    questionOnly.push(cpuMs(() => minilm.encode(query)));
  }
const row = (name: string, values: number[]) =>
  `| ${name} | ${quantile(values, 0.5).toFixed(2)} | ${quantile(values, 0.9).toFixed(2)} |`;
console.log(
  `per query (skerry manual, ${questions.length} questions × ${rounds} rounds, vectors cached); load ${load()}`,
);
console.log('| retrieval | CPU ms median | p90 |\n| --- | --- | --- |');
console.log(row('shipped (lexical rerank)', shipped));
console.log(row('with dense 0.15', withDense));
console.log(row('the question embedding alone', questionOnly));
