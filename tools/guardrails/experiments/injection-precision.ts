/**
 * The default policy's injection check (rules and n-gram head, as a user turn) on a precision set: benign texts
 * flagged and injections caught, by construction and language, and by the rules alone.
 *
 *   npx tsx --conditions=@llmops/source tools/guardrails/experiments/injection-precision.ts [--set seventeenth|fresh] [--half develop|check|all] [--show]
 *
 * `--set seventeenth` (the default) is the seventeenth pass's set (`training/jailbreaks/injection-precision-set.ts`),
 * measured by half: without `--half` only the develop half, `--half all` both. `--set fresh` is the eighteenth pass's
 * fresh check set (`training/jailbreaks/injection-precision-fresh-set.ts`), always whole (`--half` is refused).
 * `--show` prints the seventeenth set's develop half's flagged benign texts and missed injections with their rules
 * (never a check text). Decision rules: see the sets' headers.
 */
import { builtInGuardrailPolicies, detectInjection, GuardrailEngine, guardrailPolicySchema } from '@llmops/serving';
import { injectionPrecisionFreshSet } from '../training/jailbreaks/injection-precision-fresh-set.js';
import { injectionPrecisionSet, precisionHalf } from '../training/jailbreaks/injection-precision-set.js';

const args = process.argv.slice(2);
const setName = args.includes('--set') ? args[args.indexOf('--set') + 1] : 'seventeenth';
if (setName !== 'seventeenth' && setName !== 'fresh')
  throw new Error(`--set: expected seventeenth or fresh, got ${setName}`);
if (setName === 'fresh' && args.includes('--half'))
  throw new Error('--half: the fresh set is a check set and is measured whole; leave --half out with --set fresh');
const half = setName === 'fresh' ? 'all' : args.includes('--half') ? args[args.indexOf('--half') + 1] : 'develop';
const show = args.includes('--show') && setName === 'seventeenth' && half === 'develop';
if (half !== 'develop' && half !== 'check' && half !== 'all')
  throw new Error(`--half: expected develop, check or all, got ${half}`);
const precisionSet = setName === 'fresh' ? injectionPrecisionFreshSet : injectionPrecisionSet;

const defaultPolicy = builtInGuardrailPolicies().get('default');
const injectionOnly = new GuardrailEngine({
  policyName: 'default-injection',
  policy: guardrailPolicySchema.parse({ input: { injection: defaultPolicy.input.injection } }),
  countMessageTokens: () => 0,
});

async function hit(text: string): Promise<boolean> {
  const result = await injectionOnly.checkInput([{ role: 'user', content: text }]);
  return result.verdicts.some((verdict) => verdict.check === 'injection' && verdict.outcome !== 'pass');
}

async function main(): Promise<void> {
  const rows = new Map<string, { n: number; hit: number; rules: number }>();
  for (const [language, texts] of Object.entries(precisionSet)) {
    for (const [kind, lists] of [
      ['benign', texts.benign],
      ['injection', texts.injections],
    ] as const) {
      for (const [construction, items] of Object.entries(lists)) {
        for (const [index, text] of items.entries()) {
          if (half !== 'all' && precisionHalf(index) !== half) continue;
          const flagged = await hit(text);
          const rules = detectInjection(text).map((finding) => finding.rule);
          for (const key of [
            `${kind} all all`,
            `${kind} ${construction} all`,
            `${kind} all ${language}`,
            `${kind} ${construction} ${language}`,
          ]) {
            const row = rows.get(key) ?? { n: 0, hit: 0, rules: 0 };
            row.n += 1;
            if (flagged) row.hit += 1;
            if (rules.length > 0) row.rules += 1;
            rows.set(key, row);
          }
          if (show && flagged !== (kind === 'injection'))
            console.log(`${flagged ? 'FLAGGED' : 'MISSED'} ${construction} ${language} [${rules.join(',')}] ${text}`);
        }
      }
    }
  }
  console.log(
    `set ${setName}, half ${half}: kind, construction, language, n, hit by the injection check, hit by the rules alone`,
  );
  for (const [key, row] of [...rows].sort(([a], [b]) => a.localeCompare(b)))
    console.log(`${key.replace(/ /g, '\t')}\t${row.n}\t${row.hit}\t${row.rules}`);
}

await main();
