// Runs the PII detector over the shipped data and prints what it finds, by rule: the two corpora
// (confs/data/kb/*.md, confs/data/manual/*.txt) and the inputs, expected outputs and reference contexts
// of their datasets (confs/data/eval/support-qa.jsonl, manual-qa.jsonl). None of this data holds
// personal data except the help center's own public addresses, so every other match is a false positive.
// Matched values are printed (they are the repository's own text) so each can be judged by hand.
// Usage: npx tsx tools/guardrails/pii-scan.ts [--values]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { detectPii } from '../../packages/serving/src/domain/guardrails/pii-detectors.js';

const root = join(import.meta.dirname, '..', '..');
const { values: options } = parseArgs({ options: { values: { type: 'boolean', default: false } } });

interface Sample {
  where: string;
  text: string;
}

function corpus(folder: string): Sample[] {
  const directory = join(root, 'confs', 'data', folder);
  return readdirSync(directory)
    .sort()
    .map((name) => ({ where: `${folder}/${name}`, text: readFileSync(join(directory, name), 'utf8') }));
}

function dataset(file: string): Sample[] {
  const lines = readFileSync(join(root, 'confs', 'data', 'eval', file), 'utf8')
    .split('\n')
    .filter(Boolean);
  return lines.flatMap((line) => {
    const example = JSON.parse(line) as {
      id: string;
      input: string;
      expected_output?: string;
      reference_contexts?: string[];
    };
    return [
      { where: `${example.id} input`, text: example.input },
      ...(example.expected_output ? [{ where: `${example.id} expected_output`, text: example.expected_output }] : []),
      ...(example.reference_contexts ?? []).map((text, index) => ({
        where: `${example.id} context ${index + 1}`,
        text,
      })),
    ];
  });
}

const sets: Array<[string, Sample[]]> = [
  ['kb corpus', corpus('kb')],
  ['manual corpus', corpus('manual')],
  ['support-qa', dataset('support-qa.jsonl')],
  ['manual-qa', dataset('manual-qa.jsonl')],
];

console.log('| set | texts | characters | matches | by rule |');
console.log('| --- | --- | --- | --- | --- |');
for (const [name, samples] of sets) {
  const byRule = new Map<string, number>();
  const found: string[] = [];
  let matches = 0;
  for (const sample of samples) {
    for (const match of detectPii(sample.text)) {
      matches += 1;
      byRule.set(match.rule, (byRule.get(match.rule) ?? 0) + 1);
      found.push(`  ${sample.where}: ${match.rule} ${JSON.stringify(sample.text.slice(match.start, match.end))}`);
    }
  }
  const characters = samples.reduce((sum, sample) => sum + sample.text.length, 0);
  const rules = [...byRule].map(([rule, count]) => `${rule} ${count}`).join(', ') || '-';
  console.log(`| ${name} | ${samples.length} | ${characters} | ${matches} | ${rules} |`);
  if (options.values) for (const line of found) console.error(line);
}
