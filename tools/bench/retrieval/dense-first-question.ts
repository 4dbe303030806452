/**
 * What the first question with the MiniLM dense rerank costs in a fresh process, with and without the passage vectors
 * kept beside the stored indexes (issue 11):
 *
 *   npx tsx --conditions=@llmops/source tools/bench/retrieval/dense-first-question.ts \
 *     --weights /tmp/minilm-l6-int8.bin --vectors DIR [--question 0]
 *
 * Over the skerry manual with the improved spec (50 candidates), one process answers one question of
 * `confs/data/eval/manual-qa.jsonl`: the CPU time (`process.cpuUsage()`) of reading the vector file (if any) plus
 * the retrieval with the dense rerank, how many passages it embedded, and the file's size afterwards. Run it twice
 * with the same empty `--vectors` folder: the first run is the cold start, the second the restart. Print `uptime`
 * beside it; the machine is shared.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { countTokens, splitSentences } from '@llmops/providers';
import {
  CorpusIndex,
  DenseReranker,
  FileCorpusSource,
  FilePassageVectorStore,
  LexicalReranker,
  chunkWith,
  miniLmEncoderAt,
  miniLmWeightsIdentityAt,
  retrievePassages,
} from '@llmops/serving';
import { benchRetrieval } from '../answerer/answer-bench-data.js';
import { option } from '../command-line.js';

const weightsPath = option('weights');
const directory = option('vectors');
if (!weightsPath || !directory) {
  console.error('usage: dense-first-question.ts --weights FILE --vectors DIR [--question 0]');
  process.exit(2);
}
const settings = benchRetrieval(true);
const corpus = 'confs/data/manual/';
const tools = { countTokens: (text: string) => countTokens(text), splitSentences };
const snapshot = await new FileCorpusSource({ root: process.cwd() }).read(corpus);
const index = new CorpusIndex(snapshot.documents.flatMap((document) => chunkWith(document, settings.chunking, tools)));
const question = readFileSync('confs/data/eval/manual-qa.jsonl', 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => (JSON.parse(line) as { input: string }).input)[Number(option('question') ?? 0)] as string;
const minilm = miniLmEncoderAt(weightsPath, '--weights');
let embedded = 0;
const counting = {
  encode: (text: string) => {
    embedded += 1;
    return minilm.encode(text);
  },
};
const store = new FilePassageVectorStore({
  directory,
  corpus,
  weights: miniLmWeightsIdentityAt(weightsPath, '--weights'),
});
const dense = new DenseReranker({ lexical: new LexicalReranker(), encoder: counting, weight: 0.15, store });
const before = process.cpuUsage();
await dense.load();
await retrievePassages({ index, query: question, settings, reranker: dense });
const spent = process.cpuUsage(before);
await dense.flush();
const files = readdirSync(directory).filter((name) => name.startsWith('dense-'));
const size = files.reduce((total, name) => total + statSync(join(directory, name)).size, 0);
console.log(
  `first question: CPU ${((spent.user + spent.system) / 1000).toFixed(0)} ms, ${embedded} texts embedded (question included); vector file ${size} bytes; load ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}`,
);
