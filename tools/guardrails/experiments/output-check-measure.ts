/**
 * The default policy's output check as wired (`GuardrailEngine.checkOutput`), on answer-like texts the team owns,
 * for two implementations at once: the serving package is imported from each `<serving-index>` given (before and
 * after a change), and each text goes through both, one after the other, so their CPU is paired text by text on a
 * shared machine. Sets: the planted passages of `harmful-passages.ts` read as answers (validation texts in
 * training-half paragraphs: develop; test texts in held-out paragraphs: check; harmful texts, and benign texts with
 * alarming words), the corpus paragraphs as answers (by half), and the offline model's real answers to the own
 * questions on both corpora (`offline-answers.ts`, `--answers FILE`). `--stream` also checks every answer as a
 * stream does (the text so far at each window of 48 characters, 96 held back: the default stream settings) and
 * prints the CPU per streamed answer. `--tool-results` reads the same texts as agents' tool outputs instead, with
 * the last index given: A is the tool-output screen before this pass (the injection rules on the text whole), B the
 * screen now (a `PassageScreen` with the default policy's retrieved checks). Every run also reads the team's
 * validation and test injection texts put after the first sentence of a held-out paragraph (`poisoned`, as
 * `passage-screen-measure.ts` plants them: an answer that echoes an injection). `--learned-echo` runs the default policy's output checks with the learned
 * injection head on the echo check too (opt-in in a policy: `output.injection.classifier`). No public set is read.
 *
 *   npx tsx --conditions=@llmops/source tools/guardrails/experiments/output-check-measure.ts <serving-index> [<serving-index>] \
 *     [--answers FILE] [--only develop,check,paragraph,answer,poisoned] [--stream] [--rounds N] [--tool-results] [--learned-echo]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { random } from '../../bench/seeded-random.js';
import { splitOf, trainingExamples } from '../training/training-data.js';
import { plantedPassages } from './harmful-passages.js';
import { ownBenignTexts } from './own-benign-texts.js';

interface Engine {
  checkOutput(text: string): Promise<{ block?: { check: string } }>;
}
interface Serving {
  GuardrailEngine: new (options: unknown) => Engine;
  builtInGuardrailPolicies: () => { get: (name: string) => unknown };
  detectInjection: (text: string) => unknown[];
  PassageScreen: new (checks: unknown) => {
    screen(passages: { id: string; source: string; text: string; tokens: number; score: number }[]): {
      screenings: { action: string; checks: string[] }[];
    };
  };
  retrievedChecksOf: (policy: unknown) => unknown;
  guardrailPolicySchema: { parse: (policy: unknown) => unknown };
}

/** A tool output's fate under one screen, as `checkOutput`'s result (a block when it is withheld or flagged). */
function toolScreens(serving: Serving): Engine[] {
  const rulesWhole: Engine = {
    checkOutput: async (text) => (serving.detectInjection(text).length > 0 ? { block: { check: 'injection' } } : {}),
  };
  const screen = new serving.PassageScreen(
    serving.retrievedChecksOf(serving.builtInGuardrailPolicies().get('default')),
  );
  const passageScreen: Engine = {
    checkOutput: async (text) => {
      const [screening] = screen.screen([{ id: 'tool-output', source: 'tool', text, tokens: 0, score: 1 }]).screenings;
      return screening ? { block: { check: screening.checks[0] ?? '' } } : {};
    },
  };
  return [rulesWhole, passageScreen];
}

const argument = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
};
const valued = new Set(['--answers', '--only', '--rounds']);
const indexes = process.argv
  .slice(2)
  .filter((value, position, all) => !value.startsWith('--') && !valued.has(all[position - 1] ?? ''));
if (indexes.length === 0) throw new Error('usage: output-check-measure.ts <serving-index> [<serving-index>] [options]');
const toolResults = process.argv.includes('--tool-results');
const learnedEcho = process.argv.includes('--learned-echo');
const engines: Engine[] = [];
for (const index of toolResults ? indexes.slice(-1) : indexes) {
  const serving = (await import(resolve(index))) as Serving;
  if (toolResults) {
    engines.push(...toolScreens(serving));
    continue;
  }
  engines.push(
    new serving.GuardrailEngine({
      policyName: 'default',
      policy: learnedEcho
        ? serving.guardrailPolicySchema.parse({
            input: { harmful: {}, injection: {} },
            output: { harmful: {}, injection: { classifier: {} }, urls: {}, pii: {} },
          })
        : serving.builtInGuardrailPolicies().get('default'),
      countMessageTokens: () => 0,
    }),
  );
}

const paragraphs = ownBenignTexts(process.cwd()).filter((own) => own.source === 'paragraph');
const half = (name: 'train' | 'held-out') => paragraphs.filter((own) => own.half === name);
const sets = new Map<string, string[]>();
const add = (name: string, text: string) => sets.set(name, [...(sets.get(name) ?? []), text]);
for (const planted of plantedPassages(half('train')))
  if (planted.set.endsWith('-validation')) add(`develop ${planted.set} ${planted.corpus ?? ''}`, planted.text);
for (const planted of plantedPassages(half('held-out')))
  if (planted.set.endsWith('-test')) add(`check ${planted.set} ${planted.corpus ?? ''}`, planted.text);
for (const own of paragraphs) add(`paragraph-${own.half} ${own.corpus ?? ''}`, own.text);
{
  const sentencesOf = (text: string): string[] => text.match(/[^\n]+?(?:[.!?]+(?=\s|$)|(?=\n)|$)\s*/g) ?? [text];
  const heldOut = half('held-out').map((own) => own.text);
  trainingExamples(random(14), { freeForm: true })
    .filter((example) => example.labels.includes('injection') && splitOf(example.family) !== 'train')
    .forEach((example, position) => {
      const [first, ...rest] = sentencesOf(heldOut[position % 60] as string);
      add(
        `poisoned-${splitOf(example.family)}`,
        `${(first ?? '').trimEnd()} ${example.text.trim()} ${rest.join('')}`.trim(),
      );
    });
}
const answers = argument('answers');
if (answers)
  for (const line of readFileSync(answers, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')) {
    const { corpus, answer } = JSON.parse(line) as { corpus: string; answer: string };
    add(`answer ${corpus.split(' ')[0] ?? ''}`, answer);
  }
const only = argument('only')?.split(',');
if (only) for (const name of sets.keys()) if (!only.some((prefix) => name.startsWith(prefix))) sets.delete(name);

/** The prefixes a stream's output check reads: the text so far at each window, then the whole answer. */
function streamedPrefixes(text: string, windowChars = 48, holdBackChars = 96): string[] {
  const prefixes: string[] = [];
  for (let end = windowChars + holdBackChars; end < text.length; end += windowChars)
    prefixes.push(text.slice(0, end - holdBackChars));
  prefixes.push(text);
  return prefixes;
}

async function cpuOf(engine: Engine, texts: readonly string[]): Promise<{ ms: number; block?: string }> {
  const before = process.cpuUsage();
  let block: string | undefined;
  for (const text of texts) {
    const result = await engine.checkOutput(text);
    if (result.block) {
      block = result.block.check;
      break;
    }
  }
  const used = process.cpuUsage(before);
  return { ms: (used.user + used.system) / 1000, ...(block ? { block } : {}) };
}

const quantiles = (costs: number[]) => {
  const sorted = [...costs].sort((left, right) => left - right);
  const at = (quantile: number) => sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] ?? 0;
  const mean = sorted.reduce((sum, cost) => sum + cost, 0) / Math.max(1, sorted.length);
  return `p50 ${at(0.5).toFixed(3)} p95 ${at(0.95).toFixed(3)} mean ${mean.toFixed(3)}`;
};

const stream = process.argv.includes('--stream');
const rounds = Number(argument('rounds') ?? '1');
for (let round = 1; round <= rounds; round += 1) {
  for (const [name, texts] of sets) {
    const blocked = engines.map(() => ({ any: 0, harmful: 0, injection: 0 }));
    const costs = engines.map(() => [] as number[]);
    const streamCosts = engines.map(() => [] as number[]);
    for (const [number, text] of texts.entries()) {
      // The order turns with the text, so neither implementation always runs first.
      const order = [...engines.entries()];
      if (number % 2 === 1) order.reverse();
      for (const [position, engine] of order) {
        const whole = await cpuOf(engine, [text]);
        costs[position]?.push(whole.ms);
        const count = blocked[position] as { any: number; harmful: number; injection: number };
        if (whole.block) count.any += 1;
        if (whole.block === 'harmful') count.harmful += 1;
        if (whole.block === 'injection') count.injection += 1;
      }
    }
    // Streams are measured in a pass of their own: after the whole answer, the classifiers' memory of recent texts
    // would already hold its last check.
    if (stream)
      for (const [number, text] of texts.entries()) {
        const order = [...engines.entries()];
        if (number % 2 === 1) order.reverse();
        for (const [position, engine] of order)
          streamCosts[position]?.push((await cpuOf(engine, streamedPrefixes(text))).ms);
      }
    engines.forEach((_, position) => {
      const count = blocked[position] as { any: number; harmful: number; injection: number };
      console.log(
        `round ${round} ${position === 0 ? 'A' : 'B'} ${name.padEnd(34)} ${String(count.any).padStart(4)} of ${texts.length} blocked` +
          ` (harmful ${count.harmful}, injection ${count.injection}); CPU ms per answer ${quantiles(costs[position] ?? [])}` +
          (stream ? `; streamed ${quantiles(streamCosts[position] ?? [])}` : ''),
      );
    });
  }
}
