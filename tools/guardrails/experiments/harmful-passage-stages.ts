/**
 * Which pieces of a passage each stage of the harmful check should read, on the team's own texts only: the planted
 * passages of `harmful-passages.ts`, harmful and benign (validation texts planted in training-half paragraphs:
 * develop; test texts planted in held-out paragraphs: check) and the corpus paragraphs as they are, by half. For each passage and each
 * stage (the lexicon, the n-gram head, and with `--weights` the encoder on every `--encoder-every`-th passage and
 * every paragraph) whether it finds harm reading the passage whole, whole and by sentence, and whole, by sentence
 * and in 12-word windows of long sentences (`passageUnitsOf`), and reading the planted text alone (the ceiling).
 * `--show-develop-flags` prints the pieces of training-half paragraphs the lexicon or the n-gram head flags:
 *
 *   npx tsx --conditions=@llmops/source tools/guardrails/experiments/harmful-passage-stages.ts [--weights FILE] [--encoder-every 8] [--show-develop-flags]
 */
import { resolve } from 'node:path';
import {
  HarmClassifier,
  encoderClassifierAt,
  passageSentenceUnitsOf,
  passageUnitsOf,
  readingsOf,
  shippedLearnedClassifier,
} from '@llmops/serving';
import { option } from '../../bench/command-line.js';
import { plantedPassages } from './harmful-passages.js';
import { ownBenignTexts } from './own-benign-texts.js';

const weights = option('weights');
const encoderEvery = Number(option('encoder-every') ?? '8');
const harmLabels = ['violence', 'self_harm', 'hate_harassment', 'sexual_minors', 'dangerous'] as const;

const paragraphs = ownBenignTexts(process.cwd()).filter((own) => own.source === 'paragraph');
const half = (name: 'train' | 'held-out') => paragraphs.filter((own) => own.half === name);
const rows: { set: string; text: string; planted?: string; encoder: boolean }[] = [];
const develop = plantedPassages(half('train')).filter((passage) => passage.set.endsWith('-validation'));
const check = plantedPassages(half('held-out')).filter((passage) => passage.set.endsWith('-test'));
for (const passages of [develop, check])
  passages.forEach((passage, index) =>
    rows.push({
      set: `${passage.set} ${passage.corpus} ${passage.position}`,
      text: passage.text,
      planted: passage.planted,
      encoder: index % encoderEvery === 0,
    }),
  );
for (const own of paragraphs) rows.push({ set: `paragraph-${own.half} ${own.corpus}`, text: own.text, encoder: true });

const lexicon = new HarmClassifier({});
const ngrams = shippedLearnedClassifier();
const encoder = weights ? encoderClassifierAt(resolve(weights)) : undefined;
type Stage = 'lexicon' | 'ngram' | 'encoder';
const found = (
  readings: string[],
  scores: (text: string) => Record<string, number>,
  thresholds: Record<string, number>,
) =>
  readings.some((reading) => {
    const scored = scores(reading);
    return harmLabels.some((label) => (scored[label] ?? 0) >= (thresholds[label] ?? 1));
  });
const verdicts = new Map<string, { lexicon: boolean; ngram: boolean }>();
const encoded = new Map<string, boolean>();
const verdictOf = (text: string, withEncoder: boolean): Record<Stage, boolean> => {
  const readings = readingsOf(text).map((reading) => reading.text);
  let verdict = verdicts.get(text);
  if (!verdict) {
    verdict = {
      lexicon: lexicon.classify(text).length > 0,
      ngram: found(readings, (reading) => ngrams.scores(reading), ngrams.model.thresholds),
    };
    verdicts.set(text, verdict);
  }
  let byEncoder = false;
  if (withEncoder && encoder) {
    byEncoder = encoded.get(text) ?? found(readings, (reading) => encoder.scores(reading), encoder.thresholds);
    encoded.set(text, byEncoder);
  }
  return { ...verdict, encoder: byEncoder };
};

const readingNames = ['alone', 'whole', 'sentences', 'windows'] as const;
type Reading = (typeof readingNames)[number];
const tally = new Map<string, { n: number; encoded: number; flags: Record<string, number> }>();
const startedAt = Date.now();
rows.forEach((row, index) => {
  if (index % 2000 === 0) console.error(`${index} of ${rows.length}, ${Math.round((Date.now() - startedAt) / 1000)} s`);
  const withEncoder = row.encoder && encoder !== undefined;
  const pieces: Record<Reading, string[]> = {
    alone: row.planted === undefined ? [] : [row.planted],
    whole: [row.text],
    sentences: [row.text, ...passageSentenceUnitsOf(row.text)],
    windows: [row.text, ...passageUnitsOf(row.text)],
  };
  const flagged = new Set<string>();
  for (const reading of readingNames) {
    const all = pieces[reading].map((piece) => verdictOf(piece, withEncoder));
    for (const stage of ['lexicon', 'ngram', 'encoder'] as const)
      if (all.some((verdict) => verdict[stage])) flagged.add(`${stage}/${reading}`);
  }
  const any = (...keys: string[]) => keys.some((key) => flagged.has(key));
  if (any('lexicon/whole', 'ngram/whole')) flagged.add('shipped');
  if (any('lexicon/whole', 'ngram/windows')) flagged.add('l+n/windows');
  if (any('lexicon/windows', 'ngram/windows')) flagged.add('l/w+n/windows');
  if (withEncoder) {
    if (any('lexicon/whole', 'ngram/whole', 'encoder/whole')) flagged.add('shipped+e');
    if (any('lexicon/whole', 'ngram/windows', 'encoder/sentences')) flagged.add('l+n/w+e/s');
    if (any('lexicon/whole', 'ngram/windows', 'encoder/windows')) flagged.add('l+n/w+e/w');
  }
  const entry = tally.get(row.set) ?? { n: 0, encoded: 0, flags: {} };
  entry.n += 1;
  if (withEncoder) entry.encoded += 1;
  for (const key of flagged) entry.flags[key] = (entry.flags[key] ?? 0) + 1;
  tally.set(row.set, entry);
});
const encoderColumns = [
  'encoder/alone',
  'encoder/whole',
  'encoder/sentences',
  'encoder/windows',
  'shipped+e',
  'l+n/w+e/s',
  'l+n/w+e/w',
];
const columns = [
  ...['lexicon', 'ngram'].flatMap((stage) => readingNames.map((reading) => `${stage}/${reading}`)),
  'shipped',
  'l+n/windows',
  'l/w+n/windows',
  ...(encoder ? encoderColumns : []),
];
console.log(
  ['set'.padEnd(34), 'n'.padStart(5), ...columns.map((column) => column.padStart(column.length + 1))].join(' '),
);
for (const [set, entry] of [...tally].sort(([left], [right]) => left.localeCompare(right)))
  console.log(
    [
      set.padEnd(34),
      String(entry.n).padStart(5),
      ...columns.map((column) =>
        `${entry.flags[column] ?? 0}${encoderColumns.includes(column) ? `/${entry.encoded}` : ''}`.padStart(
          column.length + 1,
        ),
      ),
    ].join(' '),
  );
if (process.argv.includes('--show-develop-flags'))
  for (const row of rows)
    if (row.set.startsWith('paragraph-train'))
      for (const piece of [row.text, ...passageUnitsOf(row.text)])
        if (verdictOf(piece, false).ngram || verdictOf(piece, false).lexicon)
          console.log(`develop paragraph flag: ${piece}`);
