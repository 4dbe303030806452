/**
 * Top 1 / 3 / 5 and MRR by corpus and half from the `--ranks` files of retrieval-quality.ts (one run over the whole
 * sets gives the develop, check and whole tables without embedding a passage twice), and the questions a change
 * moves up and down against a baseline's ranks (beyond 5 counts 6):
 *
 *   npx tsx --conditions=@llmops/source tools/bench/retrieval/ranks-by-half.ts --ranks CHANGED.json \
 *     --baseline SHIPPED.json [--dataset tools/bench/retrieval/real-man-pages/questions.jsonl]
 *
 * The halves are retrieval-quality.ts's `--split` (`inDevelopHalfOfLine`).
 */
import { readFileSync } from 'node:fs';
import { answerableLines, inDevelopHalfOfLine } from '../answerer/answer-bench-data.js';
import { option } from '../command-line.js';

const ranksFile = option('ranks');
const baselineFile = option('baseline');
if (!ranksFile || !baselineFile) {
  console.error('usage: ranks-by-half.ts --ranks CHANGED.json --baseline SHIPPED.json [--dataset FILE]');
  process.exit(2);
}
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
const [changed, baseline] = [read(ranksFile), read(baselineFile)];
const datasets: [string, string][] = [
  ['help center', 'confs/data/eval/support-qa.jsonl'],
  ['skerry manual', 'confs/data/eval/manual-qa.jsonl'],
  ...(option('dataset') ? [['third corpus', option('dataset') as string] as [string, string]] : []),
];
const cell = (ranks: number[]) => {
  const share = (limit: number) => ranks.filter((rank) => rank >= 1 && rank <= limit).length / ranks.length;
  const mrr = ranks.reduce((sum, rank) => sum + (rank >= 1 ? 1 / rank : 0), 0) / ranks.length;
  return [share(1), share(3), share(5), mrr].map((value) => value.toFixed(3).replace(/^0/, '')).join('/');
};
const beyond = (rank: number) => (rank === 0 ? 6 : rank);
console.log('| corpus | half | questions | shipped top 1/3/5/MRR | changed top 1/3/5/MRR | up | down |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const [name, path] of datasets) {
  const lines = answerableLines(path);
  for (const half of ['develop', 'check', 'whole'] as const) {
    const keys = lines
      .filter((line) => half === 'whole' || inDevelopHalfOfLine(line) === (half === 'develop'))
      .map((line) => line.id ?? line.input);
    const before = keys.map((key) => baseline[key] ?? 0);
    const after = keys.map((key) => changed[key] ?? 0);
    const up = keys.filter((_, index) => beyond(after[index] as number) < beyond(before[index] as number)).length;
    const down = keys.filter((_, index) => beyond(after[index] as number) > beyond(before[index] as number)).length;
    console.log(`| ${name} | ${half} | ${keys.length} | ${cell(before)} | ${cell(after)} | ${up} | ${down} |`);
  }
}
