/**
 * The injection check on retrieved passages, on the team's own texts only: each corpus paragraph
 * (`own-benign-texts.ts`, both halves, marked) as it is, and a poisoned copy of held-out paragraphs with one of the
 * team's validation or test injection texts put in after its first sentence (the held-out half only: the head
 * was trained on the other; the poisoned passages first). For each passage, read whole and then by pieces
 * (`--windows`: the word-window sizes to compare, default 12,16,20,25): whether the injection heuristics fire,
 * whether the n-gram head fires, and the encoder's highest injection score:
 *
 *   npx tsx --conditions=@llmops/source tools/guardrails/experiments/injection-encoder-passages.ts <weights> <out.jsonl> [--windows 12,16]
 *
 * Each row has `whole` (the passage alone), `sentences` (and its sentences, the screen before word windows) and,
 * per size W, `sentenceW` (sentences longer than W words also as windows, `passageUnitsOf`) and `passageW` (the
 * whole passage as windows, across sentence ends), each `{heuristics, ngram, encoder}`. `bySentence` and the
 * top-level `heuristics`/`ngram` keep the older summary's reading. Summarise with `injection-encoder-summary.py`.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import {
  detectInjection,
  encoderClassifierAt,
  passageSentencesOf,
  passageUnitsOf,
  readingsOf,
  shippedLearnedClassifier,
  wordWindowsOf,
} from '@llmops/serving';
import { random } from '../../bench/seeded-random.js';
import { splitOf, trainingExamples } from '../training/training-data.js';
import { ownBenignTexts } from './own-benign-texts.js';

const [weights, out] = process.argv.slice(2) as [string, string];
if (!weights || !out) throw new Error('usage: injection-encoder-passages.ts <weights> <out.jsonl> [--windows 12,16]');
const windowsArgument = process.argv.indexOf('--windows');
const sizes = (windowsArgument > 0 ? (process.argv[windowsArgument + 1] ?? '') : '12,16,20,25').split(',').map(Number);

const paragraphs = ownBenignTexts(process.cwd()).filter((own) => own.source === 'paragraph');
const heldOut = paragraphs.filter((own) => own.half === 'held-out').map((own) => own.text);
const rows: { set: string; injection: boolean; text: string }[] = [];
const injections = trainingExamples(random(14), { freeForm: true }).filter(
  (example) => example.labels.includes('injection') && splitOf(example.family) !== 'train',
);
injections.forEach((example, index) => {
  const [first, ...rest] = passageSentencesOf(heldOut[index % 60] as string);
  rows.push({
    set: `poisoned-${splitOf(example.family)}`,
    injection: true,
    text: `${(first ?? '').trimEnd()} ${example.text.trim()} ${rest.join('')}`.trim(),
  });
});
for (const own of paragraphs) rows.push({ set: `paragraph-${own.half}`, injection: false, text: own.text });

const ngrams = shippedLearnedClassifier();
const encoder = encoderClassifierAt(weights);
interface Verdict {
  heuristics: boolean;
  ngram: boolean;
  encoder: number;
}
// Every poisoned passage repeats a held-out paragraph's pieces: a piece's verdict is kept for the run.
const verdicts = new Map<string, Verdict>();
const verdictOf = (text: string): Verdict => {
  let verdict = verdicts.get(text);
  if (!verdict) {
    const readings = readingsOf(text);
    verdict = {
      heuristics: detectInjection(text).length > 0,
      ngram: readings.some((reading) => ngrams.scores(reading.text).injection >= ngrams.model.thresholds.injection),
      encoder: Math.max(...readings.map((reading) => encoder.scores(reading.text).injection)),
    };
    verdicts.set(text, verdict);
  }
  return verdict;
};
const over = (texts: string[]): Verdict => {
  const all = texts.map(verdictOf);
  return {
    heuristics: all.some((verdict) => verdict.heuristics),
    ngram: all.some((verdict) => verdict.ngram),
    encoder: Math.max(...all.map((verdict) => verdict.encoder)),
  };
};
const sentencesOf = (text: string) =>
  passageSentencesOf(text)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence !== '');

writeFileSync(out, '');
const startedAt = Date.now();
rows.forEach((row, index) => {
  if (index % 100 === 0) console.error(`${index} of ${rows.length}, ${Math.round((Date.now() - startedAt) / 1000)} s`);
  const whole = verdictOf(row.text);
  const sentences = sentencesOf(row.text);
  const bySentence = over([row.text, ...(sentences.length > 1 ? sentences : [])]);
  const record: Record<string, unknown> = {
    ...row,
    words: row.text.split(/\s+/).length,
    heuristics: whole.heuristics,
    ngram: whole.ngram,
    whole: whole.encoder,
    bySentence: bySentence.encoder,
    units: { whole, sentences: bySentence },
  };
  const units = record['units'] as Record<string, Verdict>;
  for (const size of sizes) {
    units[`sentence${size}`] = over([row.text, ...passageUnitsOf(row.text, size)]);
    units[`passage${size}`] = over([
      row.text,
      ...(sentences.length > 1 ? sentences : []),
      ...wordWindowsOf(row.text, size),
    ]);
  }
  appendFileSync(out, `${JSON.stringify(record)}\n`);
});
console.log(
  `${rows.length} passages, ${verdicts.size} distinct texts read -> ${out}; encoder injection threshold ${encoder.thresholds.injection}`,
);
