/**
 * Checks the TypeScript port of WordLlama against the Python package on the same texts:
 *
 *   npx tsx tools/bench/retrieval/experiments/wordllama/wordllama-check.ts <wordllama folder> <python with wordllama>
 *
 * Texts: hand-written edge cases (spaces, tabs, newlines, accents, CJK, emoji, special tokens) and every
 * paragraph of both shipped corpora and every question of both datasets. Prints how many texts have the
 * same token ids and the lowest cosine between the two embeddings (target >= 0.999).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WordLlamaEmbedder, dot } from './wordllama-model.js';

const [folder, python] = process.argv.slice(2) as [string, string];
const handWritten = [
  'Hello world',
  'Hello world, héllo  wörld\n\ttab 日本 🦙',
  'How do I reset my password?',
  '  leading spaces and trailing   ',
  'skerry ship --retries=N -r N',
  'Try each shard up to N times before giving up (default 3).',
  'The <s> start and </s> end tokens and <unk>',
  'Ctrl-C interrupted from the keyboard; exit status 130.',
  'Ünïcödé ñ ç ß æ ø å — “quotes” ‘single’ … ellipsis',
  'garbage collection reclaims unreachable bales',
  'tilde ~ expands to $HOME; 42 % of 3.14',
  'Emoji: 😀👍🏽 and symbols ©®™',
  'A\nB\n\nC',
  'UPPER lower MiXeD',
  'x',
  ' ',
  '',
  'parallel uploads: how many shards at the same time?',
  'Refunds usually appear within 5 to 10 business days.',
  'Привет мир и Ελληνικά',
];
const corpusTexts = ['confs/data/manual', 'confs/data/kb'].flatMap((directory) =>
  readdirSync(directory).flatMap((file) =>
    readFileSync(join(directory, file), 'utf8')
      .split(/\n\s*\n/)
      .filter((paragraph) => paragraph.trim() !== ''),
  ),
);
const questions = ['confs/data/eval/manual-qa.jsonl', 'confs/data/eval/support-qa.jsonl'].flatMap((file) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { input: string }).input),
);
const texts = [...handWritten, ...corpusTexts, ...questions];

const scratch = mkdtempSync(join(tmpdir(), 'wordllama-check-'));
writeFileSync(join(scratch, 'texts.json'), JSON.stringify(texts));
execFileSync(python, [
  join(import.meta.dirname, 'wordllama-reference.py'),
  join(scratch, 'texts.json'),
  join(scratch, 'out.json'),
]);
const expected = JSON.parse(readFileSync(join(scratch, 'out.json'), 'utf8')) as Array<{
  ids: number[];
  embedding: number[];
}>;

const model = WordLlamaEmbedder.load(folder);
let sameIds = 0;
let lowest = 1;
for (const [position, text] of texts.entries()) {
  const want = expected[position] as { ids: number[]; embedding: number[] };
  const ids = model.tokenize(text);
  if (JSON.stringify(ids) === JSON.stringify(want.ids)) sameIds += 1;
  else if (sameIds + 20 > position)
    console.log(`ids differ for ${JSON.stringify(text.slice(0, 80))}: ${ids.slice(0, 20)} vs ${want.ids.slice(0, 20)}`);
  const mine = model.vector(text);
  const theirs = Float32Array.from(want.embedding);
  const norm = Math.sqrt(dot(theirs, theirs));
  const cosine = norm === 0 ? (Math.sqrt(dot(mine, mine)) === 0 ? 1 : 0) : dot(mine, theirs) / norm;
  if (cosine < lowest) lowest = cosine;
  if (cosine < 0.999) console.log(`cosine ${cosine.toFixed(5)} for ${JSON.stringify(text.slice(0, 80))}`);
}
console.log(`texts ${texts.length}, same token ids ${sameIds}, lowest embedding cosine ${lowest.toFixed(6)}`);
