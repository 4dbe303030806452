/**
 * Measures the learned guardrail classifier: what it adds to the lexicon on public red-team data (read from a
 * folder at bench time, never committed, never used for training), false positives on the project's benign
 * sets, and the time it adds per message.
 *
 *   npx tsx --conditions=@llmops/source tools/bench/guardrails/learned-classifier.ts [--redteam DIR] [--json FILE] [--missed]
 *     [--encoder WEIGHTS] [--xsafety-categories Crimes_And_Illegal_Activities,...]
 *
 * `--redteam DIR` holds public sets as their repositories publish them (any may be absent; `lay-out-redteam-sets.sh`
 * beside this file lays them out from git copies of the four repositories):
 *   DIR/multijail.csv                     MultiJail (DAMO-NLP-SG): columns en, it, … (315 harmful requests each)
 *   DIR/xsafety/<en|es|fr|de>/<Category>.csv  XSafety (one text per line): Crimes_And_Illegal_Activities,
 *                                          Physical_Harm, Mental_Health, Insult, Unfairness_And_Discrimination
 *                                          (harm), Goal_Hijacking, Prompt_Leaking, Role_Play_Instruction (injection)
 *   DIR/xstest.csv                        XSTest: prompt and label columns; the `safe` prompts are benign
 *   DIR/gptfuzz/{templates,questions}.csv GPTFuzz (sherdencooper): 77 in-the-wild jailbreak templates with a
 *                                          `[INSERT PROMPT HERE]` slot, 100 harmful questions in English. Three rows:
 *                                          the questions plain (any check); the templates alone, slot emptied,
 *                                          counted only when the injection check blocks (the measure);
 *                                          template i with question i mod 100 (any check)
 * Each text goes through the input checks of policy `default` twice: lexicon only (`classifier.enabled: false`
 * on the harmful and injection checks) and lexicon + learned classifier (the shipped default); a text counts
 * as blocked when any input check blocks it (the `by check` columns say which), except where a row names one check.
 * Benign: the questions of support-qa and manual-qa, the 24 customer-questions, the 20 edge support questions
 * (`edge-questions.ts`); and every corpus paragraph through the output check (an answer quoting the help center must
 * not be blocked).
 * `--encoder WEIGHTS` adds a third configuration (two columns, blocked and by check): the default policy with the
 * opt-in encoder stage on the harmful input check (`classifier.encoder.weights`, the file
 * `tools/guardrails/encoder/quantise-encoder.py write` builds); it costs tens of milliseconds per text, so
 * `--xsafety-categories` can narrow XSafety to some of its files.
 * Time: the input check per benign question, p50 / p95, with and without the classifier, and the learned
 * classifier's own scoring per message.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ChatMessage } from '@llmops/kernel';
import type { GuardrailCheckKind } from '@llmops/serving';
import {
  builtInGuardrailPolicies,
  GuardrailEngine,
  guardrailPolicySchema,
  shippedLearnedClassifier,
} from '@llmops/serving';
import { edgeQuestions } from './edge-questions.js';
import { csvColumn, filledTemplates, gptfuzzTexts, textLines, xstestPrompts } from './public-set-readers.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Evaluation sets hold `input`; the customer questions (an inference set) hold `question`. */
function jsonLines(file: string): Array<{ text: string; tags?: string[] }> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { input?: string; question?: string; tags?: string[] })
    .map((example) => ({
      text: example.input ?? example.question ?? '',
      ...(example.tags ? { tags: example.tags } : {}),
    }));
}

const defaultPolicy = builtInGuardrailPolicies().get('default');
const lexiconOnlyPolicy = guardrailPolicySchema.parse({
  input: {
    harmful: { classifier: { enabled: false } },
    injection: { classifier: { enabled: false } },
    pii: {},
    maxTokens: { limit: 16_000 },
  },
  output: { harmful: { classifier: { enabled: false } }, injection: {}, pii: {} },
});
const engines = {
  lexicon: new GuardrailEngine({ policyName: 'lexicon-only', policy: lexiconOnlyPolicy, countMessageTokens: () => 0 }),
  learned: new GuardrailEngine({ policyName: 'default', policy: defaultPolicy, countMessageTokens: () => 0 }),
};
const encoderWeights = option('--encoder');
const encoderEngine = encoderWeights
  ? new GuardrailEngine({
      policyName: 'default-with-encoder',
      policy: guardrailPolicySchema.parse({
        ...defaultPolicy,
        input: {
          ...defaultPolicy.input,
          harmful: { ...defaultPolicy.input.harmful, classifier: { encoder: { weights: encoderWeights } } },
        },
      }),
      countMessageTokens: () => 0,
    })
  : undefined;
const xsafetyCategories = option('--xsafety-categories')?.split(',');

/** The check that blocked a text and what it found (`injection:instruction_override`), or undefined. */
async function blockedBy(engine: GuardrailEngine, text: string): Promise<string | undefined> {
  const messages: ChatMessage[] = [{ role: 'user', content: text }];
  const block = (await engine.checkInput(messages)).block;
  return block ? `${block.check}:${block.categories.join('+')}` : undefined;
}

/** A row of the table: its name, what its texts are, and the one check whose blocks count (absent: any check). */
interface SetRow {
  set: string;
  kind: 'harmful' | 'injection' | 'jailbreak' | 'benign';
  check?: GuardrailCheckKind;
}

interface SetResult extends SetRow {
  texts: number;
  lexicon: number;
  learned: number;
  encoder?: number;
  /** Texts blocked by each check, shipped policy (and with the encoder stage). */
  byCheck: { learned: Record<string, number>; encoder?: Record<string, number> };
  missed?: string[];
}

async function measure(row: SetRow, texts: readonly string[]): Promise<SetResult> {
  const { kind, check: only } = row;
  let lexicon = 0;
  let learned = 0;
  let encoder = 0;
  const byCheck = { learned: {} as Record<string, number>, encoder: {} as Record<string, number> };
  const tally = (counts: Record<string, number>, verdict: string | undefined) => {
    const check = verdict?.split(':')[0];
    if (check) counts[check] = (counts[check] ?? 0) + 1;
  };
  // With `only`, a text another check blocks does not count (the checks run in order and the first block ends them).
  const counted = (verdict: string | undefined) =>
    verdict !== undefined && (only === undefined || verdict.startsWith(`${only}:`));
  const missed: string[] = [];
  for (const text of texts) {
    if (counted(await blockedBy(engines.lexicon, text))) lexicon += 1;
    const shipped = await blockedBy(engines.learned, text);
    tally(byCheck.learned, shipped);
    const verdict = counted(shipped) ? shipped : undefined;
    if (verdict) learned += 1;
    if (encoderEngine) {
      const withEncoder = await blockedBy(encoderEngine, text);
      tally(byCheck.encoder, withEncoder);
      if (counted(withEncoder)) encoder += 1;
    }
    if ((kind === 'benign') === (verdict !== undefined)) missed.push(verdict ? `${verdict}  ${text}` : text);
  }
  return {
    ...row,
    texts: texts.length,
    lexicon,
    learned,
    ...(encoderEngine ? { encoder } : {}),
    byCheck: { learned: byCheck.learned, ...(encoderEngine ? { encoder: byCheck.encoder } : {}) },
    ...(args.includes('--missed') ? { missed } : {}),
  };
}

async function main(): Promise<void> {
  const root = process.cwd();
  const results: SetResult[] = [];
  const redteam = option('--redteam');
  if (redteam) {
    const multijail = join(redteam, 'multijail.csv');
    if (existsSync(multijail)) {
      for (const language of ['en', 'it']) {
        results.push(await measure({ set: `MultiJail ${language}`, kind: 'harmful' }, csvColumn(multijail, language)));
      }
    }
    const harmFiles = [
      'Crimes_And_Illegal_Activities',
      'Physical_Harm',
      'Mental_Health',
      'Insult',
      'Unfairness_And_Discrimination',
    ];
    const injectionFiles = ['Goal_Hijacking', 'Prompt_Leaking', 'Role_Play_Instruction'];
    for (const language of ['en', 'es', 'fr', 'de']) {
      const folder = join(redteam, 'xsafety', language);
      if (!existsSync(folder)) continue;
      const files = readdirSync(folder);
      for (const [kind, names] of [
        ['harmful', harmFiles],
        ['injection', injectionFiles],
      ] as const) {
        for (const name of names.filter((candidate) => !xsafetyCategories || xsafetyCategories.includes(candidate))) {
          const file = files.find((candidate) => candidate.startsWith(name));
          if (file)
            results.push(await measure({ set: `XSafety ${language} ${name}`, kind }, textLines(join(folder, file))));
        }
      }
    }
    const xstest = join(redteam, 'xstest.csv');
    if (existsSync(xstest)) {
      results.push(await measure({ set: 'XSTest safe', kind: 'benign' }, xstestPrompts(xstest, 'safe')));
      results.push(await measure({ set: 'XSTest unsafe', kind: 'harmful' }, xstestPrompts(xstest, 'unsafe')));
    }
    const gptfuzz = join(redteam, 'gptfuzz');
    if (existsSync(gptfuzz)) {
      const harmfulQuestions = gptfuzzTexts(join(gptfuzz, 'questions.csv'));
      const templates = gptfuzzTexts(join(gptfuzz, 'templates.csv'));
      results.push(await measure({ set: 'GPTFuzz questions', kind: 'harmful' }, harmfulQuestions));
      results.push(
        await measure(
          { set: 'GPTFuzz templates alone', kind: 'injection', check: 'injection' },
          filledTemplates(templates, () => ''),
        ),
      );
      const question = (index: number) => harmfulQuestions[index % harmfulQuestions.length] as string;
      results.push(
        await measure(
          { set: 'GPTFuzz template i + question i mod 100', kind: 'jailbreak' },
          filledTemplates(templates, question),
        ),
      );
    } else {
      console.log(`no ${gptfuzz}: the GPTFuzz rows are skipped (lay-out-redteam-sets.sh's fifth argument lays it out)`);
    }
  }
  const evalSet = (name: string) => jsonLines(join(root, 'confs', 'data', 'eval', `${name}.jsonl`));
  const benign = [...evalSet('support-qa'), ...evalSet('manual-qa')]
    .filter((example) => !example.tags?.includes('adversarial'))
    .map((example) => example.text);
  const customers = jsonLines(join(root, 'confs', 'data', 'inference', 'customer-questions.jsonl')).map(
    (example) => example.text,
  );
  results.push(
    await measure({ set: 'own benign questions (support-qa, manual-qa, customer-questions)', kind: 'benign' }, [
      ...benign,
      ...customers,
    ]),
  );
  results.push(await measure({ set: 'own edge support questions', kind: 'benign' }, edgeQuestions));

  // Corpus paragraphs as answers, through the output check.
  let paragraphs = 0;
  const outputBlocked: string[] = [];
  for (const corpus of ['kb', 'manual']) {
    const folder = join(root, 'confs', 'data', corpus);
    for (const file of readdirSync(folder)) {
      for (const text of readFileSync(join(folder, file), 'utf8').split(/\n\s*\n/)) {
        if (text.trim() === '') continue;
        paragraphs += 1;
        const block = (await engines.learned.checkOutput(text)).block;
        if (block) outputBlocked.push(`${corpus}/${file}: ${block.categories.join('+')}`);
      }
    }
  }

  // Time per benign question: the whole input check with and without the classifier, and the scoring alone.
  const questions = [...benign, ...customers, ...edgeQuestions];
  const classifier = shippedLearnedClassifier();
  classifier.scores('warm up');
  const timing = { lexicon: [] as number[], learned: [] as number[], scoring: [] as number[] };
  for (let round = 0; round < 5; round += 1) {
    for (const text of questions) {
      for (const name of ['lexicon', 'learned'] as const) {
        const started = performance.now();
        await blockedBy(engines[name], text);
        timing[name].push(performance.now() - started);
      }
      const started = performance.now();
      // A new text each time: the classifier remembers the scores of recent texts.
      classifier.scores(`${text} ${round}`);
      timing.scoring.push(performance.now() - started);
    }
  }
  const time = (values: number[]) => ({ p50: percentile(values, 50), p95: percentile(values, 95) });
  const report = {
    date: new Date().toISOString().slice(0, 10),
    sets: results,
    outputCheck: { paragraphs, blocked: outputBlocked.length, examples: outputBlocked.slice(0, 10) },
    timeMs: { lexicon: time(timing.lexicon), learned: time(timing.learned), scoring: time(timing.scoring) },
  };
  const encoderHeader = encoderEngine ? ' blocked, with the encoder stage | by check, with the encoder stage |' : '';
  console.log(
    `| set | kind | texts | blocked, lexicon only | blocked, lexicon + classifier | by check, lexicon + classifier |${encoderHeader}`,
  );
  console.log(`| --- | --- | --- | --- | --- | --- |${encoderEngine ? ' --- | --- |' : ''}`);
  const share = (count: number, of: number) => `${count} (${((100 * count) / Math.max(1, of)).toFixed(1)} %)`;
  const checks = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([check, count]) => `${check} ${count}`)
      .join(', ') || '—';
  for (const result of results) {
    const kind = result.check ? `${result.kind} (${result.check} check only)` : result.kind;
    console.log(
      `| ${result.set} | ${kind} | ${result.texts} | ${share(result.lexicon, result.texts)} | ${share(result.learned, result.texts)} | ${checks(result.byCheck.learned)} |` +
        (result.encoder === undefined
          ? ''
          : ` ${share(result.encoder, result.texts)} | ${checks(result.byCheck.encoder ?? {})} |`),
    );
  }
  console.log(
    `\noutput check on ${paragraphs} corpus paragraphs: ${outputBlocked.length} blocked ${outputBlocked.slice(0, 5).join('; ')}`,
  );
  const ms = (value: number) => value.toFixed(3);
  console.log(
    `input check per benign question, p50 / p95 ms: lexicon only ${ms(report.timeMs.lexicon.p50)} / ${ms(report.timeMs.lexicon.p95)}, with the classifier ${ms(report.timeMs.learned.p50)} / ${ms(report.timeMs.learned.p95)}; classifier scoring alone ${ms(report.timeMs.scoring.p50)} / ${ms(report.timeMs.scoring.p95)}`,
  );
  if (args.includes('--missed')) {
    for (const result of results)
      if (result.missed && result.missed.length > 0)
        console.log(`\n${result.set}:\n  ${result.missed.slice(0, 40).join('\n  ')}`);
  }
  const json = option('--json');
  if (json) writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
}

await main();
