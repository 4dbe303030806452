/**
 * Writes the team's training texts as WordLlama token ids, for the embedding-classifier experiment
 * (`embedding-classifier.py` beside this file):
 *
 *   npx tsx --conditions=@llmops/source tools/guardrails/experiments/dump-token-ids.ts <wordllama folder> <out.jsonl> [--with-free-form]
 *
 * `<wordllama folder>` is the `wordllama/` folder of the unpacked PyPI wheel (`pip download --no-deps wordllama`).
 * Each line: `{"split", "language", "labels", "freeForm", "text", "ids"}` (`text` as written, `ids` of the normalised text); texts are normalised as the classifier reads them
 * (`normalizeForMatching`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeForMatching } from '@llmops/serving';
import { random } from '../../bench/seeded-random.js';
import { LlamaBpeTokenizer, wordLlamaFiles } from '../../bench/retrieval/experiments/wordllama/wordllama-model.js';
import { isFreeForm, splitOf, trainingExamples } from '../training/training-data.js';

const [folder, out] = process.argv.slice(2) as [string, string];
const tokenizer = LlamaBpeTokenizer.fromFile(join(folder, wordLlamaFiles.tokenizer));
const idsOf = (text: string) => tokenizer.encode(normalizeForMatching(text).trim());

const lines = trainingExamples(random(14), { freeForm: process.argv.includes('--with-free-form') }).map((example) =>
  JSON.stringify({
    split: splitOf(example.family),
    language: example.language,
    labels: example.labels,
    freeForm: isFreeForm(example),
    text: example.text,
    ids: idsOf(example.text),
  }),
);
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`${lines.length} texts -> ${out}`);
