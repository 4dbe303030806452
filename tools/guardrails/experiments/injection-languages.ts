/**
 * The default policy's injection check by language (issue 14): what its input check catches and flags, and what its
 * passage screen flags, on the team's own texts and, with `--redteam DIR`, once on public sets for the record.
 *
 *   npx tsx --conditions=@llmops/source tools/guardrails/experiments/injection-languages.ts [--redteam DIR] [--show]
 *
 * Sets (a row per set; `hit` is caught for injection sets, flagged for benign ones):
 * - the team's injection texts of the validation and test splits, by `missHalf` of their family (`develop` may be
 *   read, `check` is counted only) and by language; the train split's, for the record;
 * - the team's benign texts of every language (templated, hard negatives, free-form, minimal pairs, all splits);
 * - the own benign questions and the 20 edge questions (`benign-questions.ts`);
 * - the corpus paragraphs through the passage screen, train and held-out halves (`own-benign-texts.ts`);
 * - `--redteam DIR` (laid out by `tools/bench/guardrails/lay-out-redteam-sets.sh`): XSafety's Goal_Hijacking,
 *   Prompt_Leaking and Role_Play_Instruction (injection-like) and commonsense (benign) per language, XSTest safe.
 *   Measuring only: the public sets' texts are never printed.
 * `--show` prints the flagged team benign texts and the missed develop texts (never check or public ones).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  builtInGuardrailPolicies,
  GuardrailEngine,
  guardrailPolicySchema,
  PassageScreen,
  retrievedChecksOf,
} from '@llmops/serving';
import { benignQuestions } from '../../bench/guardrails/benign-questions.js';
import { edgeQuestions } from '../../bench/guardrails/edge-questions.js';
import { textLines, xstestPrompts } from '../../bench/guardrails/public-set-readers.js';
import { random } from '../../bench/seeded-random.js';
import { minimalPairExamples, splitOf, trainingExamples } from '../training/training-data.js';
import { missHalf } from './miss-halves.js';
import { ownBenignTexts } from './own-benign-texts.js';

const args = process.argv.slice(2);
const redteam = args.includes('--redteam') ? args[args.indexOf('--redteam') + 1] : undefined;
const show = args.includes('--show');

const defaultPolicy = builtInGuardrailPolicies().get('default');
const injectionOnly = new GuardrailEngine({
  policyName: 'default-injection',
  policy: guardrailPolicySchema.parse({ input: { injection: defaultPolicy.input.injection } }),
  countMessageTokens: () => 0,
});
const screen = new PassageScreen(retrievedChecksOf(defaultPolicy));

async function inputHit(text: string): Promise<boolean> {
  const result = await injectionOnly.checkInput([{ role: 'user', content: text }]);
  return result.verdicts.some((verdict) => verdict.check === 'injection' && verdict.outcome !== 'pass');
}

function screenHit(text: string): boolean {
  const screened = screen.screen([{ id: 'p', source: 'p.md', text, tokens: 0, score: 1 }]);
  return screened.screenings.some((screening) => screening.checks.includes('injection'));
}

const rows: { set: string; n: number; hit: number }[] = [];
async function measure(
  set: string,
  texts: readonly string[],
  options: { passage?: boolean; print?: 'hits' | 'misses' } = {},
): Promise<void> {
  let hit = 0;
  for (const text of texts) {
    const flagged = options.passage ? screenHit(text) : await inputHit(text);
    if (flagged) hit += 1;
    if (show && options.print && (options.print === 'hits') === flagged) console.log(`  ${set}: ${text}`);
  }
  rows.push({ set, n: texts.length, hit });
}

async function main(): Promise<void> {
  const pick = random(14);
  const examples = [...trainingExamples(pick, { freeForm: true, hardNegatives: true }), ...minimalPairExamples(pick)];
  const languages = [...new Set(examples.map((example) => example.language))];
  const injections = examples.filter((example) => example.labels.includes('injection'));
  for (const half of ['develop', 'check'] as const) {
    for (const language of languages) {
      const texts = injections
        .filter((example) => splitOf(example.family) !== 'train' && missHalf(example.family) === half)
        .filter((example) => example.language === language)
        .map((example) => example.text);
      await measure(`team injection ${half} ${language}`, texts, half === 'develop' ? { print: 'misses' } : {});
    }
  }
  await measure(
    'team injection train split (all languages)',
    injections.filter((example) => splitOf(example.family) === 'train').map((example) => example.text),
  );
  for (const language of languages) {
    const texts = [
      ...new Set(
        examples
          .filter((example) => example.labels.length === 0 && example.language === language)
          .map((example) => example.text),
      ),
    ];
    await measure(`team benign ${language}`, texts, { print: 'hits' });
  }
  const edge = new Set(edgeQuestions);
  await measure(
    'own benign questions',
    benignQuestions(process.cwd()).filter((text) => !edge.has(text)),
  );
  await measure('own edge questions', edgeQuestions);
  const own = ownBenignTexts(process.cwd()).filter((text) => text.source === 'paragraph');
  for (const half of ['train', 'held-out'] as const) {
    await measure(
      `paragraphs ${half} (passage screen)`,
      own.filter((text) => text.half === half).map((text) => text.text),
      { passage: true },
    );
  }
  if (redteam) {
    for (const language of ['en', 'es', 'fr', 'de']) {
      const folder = join(redteam, 'xsafety', language);
      if (!existsSync(folder)) continue;
      const files = readdirSync(folder);
      for (const name of ['Goal_Hijacking', 'Prompt_Leaking', 'Role_Play_Instruction', 'commonsense']) {
        const file = files.find((candidate) => candidate.startsWith(name));
        if (file) await measure(`XSafety ${language} ${name}`, textLines(join(folder, file)));
      }
    }
    const xstest = join(redteam, 'xstest.csv');
    if (existsSync(xstest)) await measure('XSTest safe', xstestPrompts(xstest, 'safe'));
  }
  for (const row of rows) {
    const share = row.n === 0 ? 0 : (100 * row.hit) / row.n;
    console.log(
      `${row.set.padEnd(48)} ${String(row.hit).padStart(5)} of ${String(row.n).padEnd(6)} ${share.toFixed(1)} %`,
    );
  }
}

await main();
