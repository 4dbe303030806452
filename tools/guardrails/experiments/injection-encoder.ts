/**
 * What the encoder's `injection` head adds to the injection check, on the team's own texts only: for each text,
 * whether the injection heuristics fire, whether the n-gram classifier's injection head fires (the shipped
 * threshold), and the encoder head's injection score (highest over the text's readings):
 *
 *   npx tsx --conditions=@llmops/source tools/guardrails/experiments/injection-encoder.ts <weights> <out.jsonl>
 *
 * Texts: the validation and test splits of the team's texts (templated, free-form, hard negatives, minimal pairs)
 * that are injections or benign (every fourth templated benign text), the own benign questions (`own-benign-texts.ts`, both halves, marked), and the edge
 * questions; corpus paragraphs are measured as passages by `injection-encoder-passages.ts`. No public set is read. Summarise with `injection-encoder-summary.ts`.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { detectInjection, encoderClassifierAt, readingsOf, shippedLearnedClassifier } from '@llmops/serving';
import { edgeQuestions } from '../../bench/guardrails/edge-questions.js';
import { random } from '../../bench/seeded-random.js';
import { hardNegativeExamples, minimalPairExamples, splitOf, trainingExamples } from '../training/training-data.js';
import { ownBenignTexts } from './own-benign-texts.js';

const [weights, out] = process.argv.slice(2) as [string, string];
if (!weights || !out) throw new Error('usage: injection-encoder.ts <weights> <out.jsonl>');

interface Row {
  set: string;
  injection: boolean;
  text: string;
}
const rows: Row[] = [];
const pick = random(14);
const team = [
  ...trainingExamples(pick, { freeForm: true }),
  ...hardNegativeExamples(pick),
  ...minimalPairExamples(pick),
];
let templatedBenign = 0;
for (const example of team) {
  const split = splitOf(example.family);
  if (split === 'train') continue;
  const injection = example.labels.includes('injection');
  if (!injection && example.labels.length > 0) continue;
  // Every fourth templated benign text (in file order): the encoder costs tens of ms per text on a shared machine.
  if (!injection && !/:(free|hard|pair)/.test(example.family) && templatedBenign++ % 4 !== 0) continue;
  rows.push({ set: `team-${split}`, injection, text: example.text });
}
for (const own of ownBenignTexts(process.cwd()))
  if (own.source === 'question') rows.push({ set: `own-question-${own.half}`, injection: false, text: own.text });
for (const text of edgeQuestions) rows.push({ set: 'edge', injection: false, text });
// The edge and own questions and the injections first, then the team's benign texts in a fixed shuffled order, so
// that a run cut short has measured a sample of every kind (the lines are written as they are scored).
const rank = (row: Row) => (row.set === 'edge' || row.set.startsWith('own-') ? 0 : row.injection ? 1 : 2 + pick());
const ranked = rows.map((row) => ({ row, rank: rank(row) })).sort((left, right) => left.rank - right.rank);
rows.splice(0, rows.length, ...ranked.map(({ row }) => row));

const ngrams = shippedLearnedClassifier();
const encoder = encoderClassifierAt(weights);
writeFileSync(out, '');
rows.forEach((row, index) => {
  const readings = readingsOf(row.text);
  const heuristics = detectInjection(row.text).length > 0;
  const ngram = readings.some((reading) => ngrams.scores(reading.text).injection >= ngrams.model.thresholds.injection);
  const score = Math.max(...readings.map((reading) => encoder.scores(reading.text).injection));
  appendFileSync(out, `${JSON.stringify({ ...row, heuristics, ngram, score })}\n`);
  if (index % 500 === 0) console.error(`${index} of ${rows.length}`);
});
console.log(`${rows.length} texts -> ${out}; encoder injection threshold ${encoder.thresholds.injection}`);
