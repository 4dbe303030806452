/**
 * Writes the texts of the distillation experiment (`static-distil.py` beside this file) as JSON lines:
 *
 *   npx tsx --conditions=@llmops/source tools/guardrails/experiments/dump-texts.ts <out.jsonl>
 *
 * The team's training texts with the free-form texts (their split by family), then the own benign texts of
 * `own-benign-texts.ts` (split `train` for the training half, `held-out` for the half the bench measures).
 * Each line: `{"split", "language", "labels", "freeForm", "source", "text"}`.
 */
import { writeFileSync } from 'node:fs';
import { random } from '../../bench/seeded-random.js';
import { isFreeForm, splitOf, trainingExamples } from '../training/training-data.js';
import { ownBenignTexts } from './own-benign-texts.js';

const [out] = process.argv.slice(2) as [string];
const lines = trainingExamples(random(14), { freeForm: true }).map((example) =>
  JSON.stringify({
    split: splitOf(example.family),
    language: example.language,
    labels: example.labels,
    freeForm: isFreeForm(example),
    source: 'training',
    text: example.text,
  }),
);
for (const own of ownBenignTexts(process.cwd()))
  lines.push(
    JSON.stringify({
      split: own.half,
      language: 'eng',
      labels: [],
      freeForm: false,
      source: own.source,
      text: own.text,
    }),
  );
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`${lines.length} texts -> ${out}`);
