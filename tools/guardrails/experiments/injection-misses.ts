/**
 * The poisoned passages (`passage-screen-measure.ts`: each validation or test injection text of the team put after
 * the first sentence of one of the first 60 held-out paragraphs) the default policy's injection check misses, split by
 * a rule fixed before anyone looked at them: the first byte of the SHA-256 of the injection text's family (so a
 * text and its variant, lower case without punctuation, fall in the same half), even for the develop half, odd for
 * the check half. Only the develop misses are printed, with what each reading of the passage
 * scored (the injection text alone, the passage whole, its units); the check half is counted only, with how many of
 * its misses are caught when the injection text is read alone (the misses the passage's cutting causes):
 *
 *   npx tsx --conditions=@llmops/source tools/guardrails/experiments/injection-misses.ts
 */
import {
  PassageScreen,
  builtInGuardrailPolicies,
  detectInjection,
  passageSentencesOf,
  passageUnitsOf,
  retrievedChecksOf,
  shippedLearnedClassifier,
} from '@llmops/serving';
import { random } from '../../bench/seeded-random.js';
import { splitOf, trainingExamples } from '../training/training-data.js';
import { missHalf } from './miss-halves.js';
import { ownBenignTexts } from './own-benign-texts.js';

const heldOut = ownBenignTexts(process.cwd())
  .filter((own) => own.source === 'paragraph' && own.half === 'held-out')
  .map((own) => own.text);
const checks = retrievedChecksOf(builtInGuardrailPolicies().get('default'));
const ngrams = shippedLearnedClassifier();
const score = (text: string) => ngrams.scores(text).injection;
// A miss whose injection text alone is caught is the passage's doing (how it is cut into units); one whose text alone
// passes is the rules' vocabulary or the head's score.
const tally = new Map<string, { n: number; missed: number; caughtAlone: number }>();
const caughtAlone = (injection: string) =>
  detectInjection(injection).length > 0 || score(injection) >= ngrams.model.thresholds.injection;
const injections = trainingExamples(random(14), { freeForm: true }).filter(
  (example) => example.labels.includes('injection') && splitOf(example.family) !== 'train',
);
injections.forEach((example, position) => {
  const [first, ...rest] = passageSentencesOf(heldOut[position % 60] as string);
  const text = `${(first ?? '').trimEnd()} ${example.text.trim()} ${rest.join('')}`.trim();
  const half = missHalf(example.family);
  const key = `${half} ${splitOf(example.family)}`;
  const entry = tally.get(key) ?? { n: 0, missed: 0, caughtAlone: 0 };
  entry.n += 1;
  const screened = new PassageScreen(checks).screen([{ id: 'p', source: 'p.md', text, tokens: 0, score: 1 }]);
  if (!screened.screenings.some((screening) => screening.checks.includes('injection'))) {
    entry.missed += 1;
    if (caughtAlone(example.text)) entry.caughtAlone += 1;
    if (half === 'develop') {
      const units = passageUnitsOf(text);
      const best = units.reduce((top, unit) => (score(unit) > score(top) ? unit : top), text);
      console.log(
        JSON.stringify({
          family: example.family,
          injection: example.text,
          alone: { rules: detectInjection(example.text).length > 0, ngram: Number(score(example.text).toFixed(3)) },
          whole: Number(score(text).toFixed(3)),
          units: units.length,
          best: { unit: best, ngram: Number(score(best).toFixed(3)) },
          harmful: screened.screenings.length > 0,
        }),
      );
    }
  }
  tally.set(key, entry);
});
console.log(`threshold ${ngrams.model.thresholds.injection}`);
for (const [key, entry] of [...tally].sort())
  console.log(`${key}: ${entry.missed} of ${entry.n} missed, ${entry.caughtAlone} of them caught alone`);
