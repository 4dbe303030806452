/**
 * Writes the texts of the distillation experiment (`static-distil.py` beside this file) and of the encoder's
 * head as JSON lines:
 *
 *   npx tsx --conditions=@llmops/source tools/guardrails/experiments/dump-texts.ts <out.jsonl> [--only hard-negatives|minimal-pairs|conversational]
 *
 * The team's training texts with the free-form texts (their split by family), then the own benign texts of
 * `own-benign-texts.ts` (split `train` for the training half, `held-out` for the half the bench measures).
 * `--only` writes instead only the hard negatives, the minimal pairs or the conversational texts (source
 * `hard-negatives`, `minimal-pairs` or `conversational`), to append to the first file without changing its texts.
 * Each line: `{"split", "language", "labels", "freeForm", "source", "family", "text"}`.
 */
import { writeFileSync } from 'node:fs';
import { random } from '../../bench/seeded-random.js';
import {
  conversationalExamples,
  hardNegativeExamples,
  isFreeForm,
  minimalPairExamples,
  splitOf,
  trainingExamples,
  type TrainingExample,
} from '../training/training-data.js';
import { ownBenignTexts } from './own-benign-texts.js';

const [out, flag, only] = process.argv.slice(2) as [string, string | undefined, string | undefined];
const parts: Record<string, (pick: () => number) => TrainingExample[]> = {
  'hard-negatives': hardNegativeExamples,
  'minimal-pairs': minimalPairExamples,
  conversational: conversationalExamples,
};
if (!out || (flag !== undefined && (flag !== '--only' || !only || !(only in parts))))
  throw new Error(
    `usage: dump-texts.ts <out.jsonl> [--only ${Object.keys(parts).join('|')}] (got ${process.argv.slice(2).join(' ')})`,
  );
const source = only ?? 'training';
const examples = only
  ? (parts[only] as (pick: () => number) => TrainingExample[])(random(14))
  : trainingExamples(random(14), { freeForm: true });
const lines = examples.map((example) =>
  JSON.stringify({
    split: splitOf(example.family),
    language: example.language,
    labels: example.labels,
    freeForm: isFreeForm(example),
    source,
    family: example.family,
    text: example.text,
  }),
);
if (!only)
  for (const own of ownBenignTexts(process.cwd()))
    lines.push(
      JSON.stringify({
        split: own.half,
        language: 'eng',
        labels: [],
        freeForm: false,
        source: own.source,
        family: own.source,
        text: own.text,
      }),
    );
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`${lines.length} texts -> ${out}`);
