/**
 * The passage screen as wired, on the team's own texts: how many of the poisoned passages of
 * `injection-encoder-passages.ts` (a validation or test injection text put after the first sentence of one of the
 * first 60 held-out corpus paragraphs), of the planted passages of `harmful-passages.ts` (a validation or test
 * harmful text, or a benign text with alarming words, as first, middle or last sentence of a held-out paragraph of
 * either corpus) and of the held-out corpus paragraphs it drops (and by which check), and the CPU (user and system)
 * a fresh screen spends on each held-out paragraph, the first time it reads one. The serving package is imported
 * from `<serving-index>`, so two checkouts (before and after a change) can be run alternately on the same machine;
 * the policy is `default`, or with `--weights FILE` the encoder stage on the injection check:
 *
 *   npx tsx --conditions=@llmops/source tools/guardrails/experiments/passage-screen-measure.ts <serving-index> [--weights FILE] [--cost-only] [--only poisoned,paragraph]
 *
 * `--only` keeps the sets whose names start with one of the prefixes given.
 */
import { resolve } from 'node:path';
import { random } from '../../bench/seeded-random.js';
import { splitOf, trainingExamples } from '../training/training-data.js';
import { plantedPassages } from './harmful-passages.js';
import { ownBenignTexts } from './own-benign-texts.js';

const [index] = process.argv.slice(2);
if (!index) throw new Error('usage: passage-screen-measure.ts <serving-index.ts> [--weights FILE] [--cost-only]');
const weightsArgument = process.argv.indexOf('--weights');
const weights = weightsArgument > 0 ? resolve(process.argv[weightsArgument + 1] ?? '') : undefined;

interface Passage {
  id: string;
  source: string;
  text: string;
  tokens: number;
  score: number;
}
const serving = (await import(resolve(index))) as {
  PassageScreen: new (checks: unknown) => { screen(passages: Passage[]): { screenings: { checks: string[] }[] } };
  retrievedChecksOf: (policy: unknown) => unknown;
  guardrailPolicySchema: { parse: (policy: unknown) => unknown };
  builtInGuardrailPolicies: () => { get: (name: string) => unknown };
};
const checks = serving.retrievedChecksOf(
  weights
    ? serving.guardrailPolicySchema.parse({
        input: { harmful: {}, injection: { classifier: { encoder: { weights } } } },
      })
    : serving.builtInGuardrailPolicies().get('default'),
);

// The screen's sentence split, written out: a checkout before this file may not export `passageSentencesOf`.
const sentencesOf = (text: string): string[] => text.match(/[^\n]+?(?:[.!?]+(?=\s|$)|(?=\n)|$)\s*/g) ?? [text];
const heldOutParagraphs = ownBenignTexts(process.cwd()).filter(
  (own) => own.source === 'paragraph' && own.half === 'held-out',
);
const heldOut = heldOutParagraphs.map((own) => own.text);
const sets = new Map<string, string[]>();
if (!process.argv.includes('--cost-only')) {
  const injections = trainingExamples(random(14), { freeForm: true }).filter(
    (example) => example.labels.includes('injection') && splitOf(example.family) !== 'train',
  );
  injections.forEach((example, position) => {
    const [first, ...rest] = sentencesOf(heldOut[position % 60] as string);
    const name = `poisoned-${splitOf(example.family)}`;
    sets.set(name, [
      ...(sets.get(name) ?? []),
      `${(first ?? '').trimEnd()} ${example.text.trim()} ${rest.join('')}`.trim(),
    ]);
  });
  for (const planted of plantedPassages(heldOutParagraphs)) {
    const name = `${planted.set}-${planted.corpus ?? ''}`;
    sets.set(name, [...(sets.get(name) ?? []), planted.text]);
  }
}
sets.set('paragraph-held-out', heldOut);
const onlyArgument = process.argv.indexOf('--only');
const only = onlyArgument > 0 ? (process.argv[onlyArgument + 1] ?? '').split(',') : undefined;
if (only) for (const name of sets.keys()) if (!only.some((prefix) => name.startsWith(prefix))) sets.delete(name);

// The encoder's weights are read once per process: a first screen loads them before anything is timed.
new serving.PassageScreen(checks).screen([{ id: 'warm', source: 'warm.md', text: 'Warm up.', tokens: 0, score: 1 }]);
for (const [name, texts] of sets) {
  const costs: number[] = [];
  const flagged = { any: 0, injection: 0, harmful: 0 };
  texts.forEach((text, position) => {
    const screen = new serving.PassageScreen(checks);
    const before = process.cpuUsage();
    const { screenings } = screen.screen([{ id: `p${position}`, source: 'p.md', text, tokens: 0, score: 1 }]);
    const used = process.cpuUsage(before);
    const checksFound = screenings.flatMap((screening) => screening.checks);
    if (screenings.length > 0) flagged.any += 1;
    if (checksFound.includes('injection')) flagged.injection += 1;
    if (checksFound.includes('harmful')) flagged.harmful += 1;
    costs.push((used.user + used.system) / 1000);
  });
  costs.sort((left, right) => left - right);
  const at = (quantile: number) => costs[Math.min(costs.length - 1, Math.floor(quantile * costs.length))] ?? 0;
  const mean = costs.reduce((sum, cost) => sum + cost, 0) / costs.length;
  console.log(
    `${weights ? 'encoder' : 'default'} ${name.padEnd(24)} ${String(flagged.any).padStart(4)} of ${texts.length} flagged` +
      ` (injection ${flagged.injection}, harmful ${flagged.harmful});` +
      ` CPU ms per passage p50 ${at(0.5).toFixed(2)} p95 ${at(0.95).toFixed(2)} mean ${mean.toFixed(2)}`,
  );
}
