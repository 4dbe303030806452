/**
 * The encoder's `injection` head on retrieved passages, on the team's own texts only: each corpus paragraph
 * (`own-benign-texts.ts`, both halves, marked) as it is, and a poisoned copy of held-out paragraphs with one of the
 * team's validation or test injection texts put in after its first sentence (the held-out half only: the head
 * was trained on the other; the poisoned passages first). For each passage: the injection
 * heuristics, the n-gram head, the encoder's score of the whole passage and its highest score over the passage's
 * sentences (three words or more):
 *
 *   npx tsx --conditions=@llmops/source tools/guardrails/experiments/injection-encoder-passages.ts <weights> <out.jsonl>
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { detectInjection, encoderClassifierAt, readingsOf, shippedLearnedClassifier } from '@llmops/serving';
import { random } from '../../bench/seeded-random.js';
import { splitOf, trainingExamples } from '../training/training-data.js';
import { ownBenignTexts } from './own-benign-texts.js';

const [weights, out] = process.argv.slice(2) as [string, string];
if (!weights || !out) throw new Error('usage: injection-encoder-passages.ts <weights> <out.jsonl>');

/** The passage screen's sentence split (`passage-screen.ts`). */
const sentencesOf = (text: string): string[] => text.match(/[^\n]+?(?:[.!?]+(?=\s|$)|(?=\n)|$)\s*/g) ?? [text];

const paragraphs = ownBenignTexts(process.cwd()).filter((own) => own.source === 'paragraph');
const heldOut = paragraphs.filter((own) => own.half === 'held-out').map((own) => own.text);
const rows: { set: string; injection: boolean; text: string }[] = [];
const injections = trainingExamples(random(14), { freeForm: true }).filter(
  (example) => example.labels.includes('injection') && splitOf(example.family) !== 'train',
);
injections.forEach((example, index) => {
  // The first 60 held-out paragraphs, in turn: their sentences' scores are kept, so a poisoned copy costs two texts.
  const [first, ...rest] = sentencesOf(heldOut[index % 60] as string);
  rows.push({
    set: `poisoned-${splitOf(example.family)}`,
    injection: true,
    text: `${(first ?? '').trimEnd()} ${example.text.trim()} ${rest.join('')}`.trim(),
  });
});

for (const text of heldOut) rows.push({ set: 'paragraph-held-out', injection: false, text });

const ngrams = shippedLearnedClassifier();
const encoder = encoderClassifierAt(weights);
// Sentence scores are kept for the run: every poisoned passage repeats a held-out paragraph's sentences.
const sentenceScores = new Map<string, number>();
const scoreOf = (text: string): number => {
  let score = sentenceScores.get(text);
  if (score === undefined) {
    score = encoder.scores(text).injection;
    sentenceScores.set(text, score);
  }
  return score;
};
writeFileSync(out, '');
rows.forEach((row, index) => {
  if (index % 100 === 0) console.error(`${index} of ${rows.length}`);
  const readings = readingsOf(row.text);
  const ngram = readings.some((reading) => ngrams.scores(reading.text).injection >= ngrams.model.thresholds.injection);
  const whole = scoreOf(row.text);
  const sentences = sentencesOf(row.text).filter((sentence) => sentence.trim().split(/\s+/).length >= 3);
  const bySentence = Math.max(whole, ...sentences.map((sentence) => scoreOf(sentence.trim())));
  const heuristics = detectInjection(row.text).length > 0;
  appendFileSync(out, `${JSON.stringify({ ...row, heuristics, ngram, whole, bySentence })}\n`);
});
console.log(`${rows.length} passages -> ${out}; encoder injection threshold ${encoder.thresholds.injection}`);
