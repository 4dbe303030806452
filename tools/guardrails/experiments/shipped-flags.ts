/**
 * The heads of the shipped hashed-n-gram classifier that fire on each text of a JSON-lines file, scored the way
 * serving scores (windows, three-word minimum, the model's thresholds), for comparing with the distillation
 * experiment's heads (`static-distil.py`, `embedding-classifier.py --score-out`):
 *
 *   npx tsx --conditions=@llmops/source tools/guardrails/experiments/shipped-flags.ts <texts.jsonl> <out.json>
 *
 * Writes one list of labels per line of the texts file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { learnedClassifierLabels, shippedLearnedClassifier } from '@llmops/serving';

const [source, out] = process.argv.slice(2) as [string, string];
const classifier = shippedLearnedClassifier();
const flags = readFileSync(source, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => {
    const scores = classifier.scores((JSON.parse(line) as { text: string }).text);
    return learnedClassifierLabels.filter((label) => scores[label] >= classifier.model.thresholds[label]);
  });
writeFileSync(out, JSON.stringify(flags));
console.log(`${flags.length} texts -> ${out}`);
