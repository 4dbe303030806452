/**
 * The default policy's injection check (rules and n-gram head, as a user turn) on the seventeenth pass's texts
 * (`training/jailbreaks/injection-precision-set.ts`): benign texts flagged and injections caught, by half, construction
 * and language, and by the rules alone.
 *
 *   npx tsx --conditions=@llmops/source tools/guardrails/experiments/injection-precision.ts [--half check] [--show]
 *
 * Without `--half` only the develop half is measured. `--show` prints the develop half's flagged benign texts and
 * missed injections with their rules (never the check half's). Decision rule: see the set's header.
 */
import { builtInGuardrailPolicies, detectInjection, GuardrailEngine, guardrailPolicySchema } from '@llmops/serving';
import { injectionPrecisionSet, precisionHalf } from '../training/jailbreaks/injection-precision-set.js';

const args = process.argv.slice(2);
const half = args.includes('--half') ? args[args.indexOf('--half') + 1] : 'develop';
const show = args.includes('--show') && half === 'develop';
if (half !== 'develop' && half !== 'check') throw new Error(`--half: expected develop or check, got ${half}`);

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
  for (const [language, texts] of Object.entries(injectionPrecisionSet)) {
    for (const [kind, lists] of [
      ['benign', texts.benign],
      ['injection', texts.injections],
    ] as const) {
      for (const [construction, items] of Object.entries(lists)) {
        for (const [index, text] of items.entries()) {
          if (precisionHalf(index) !== half) continue;
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
  console.log(`half ${half}: kind, construction, language, n, hit by the injection check, hit by the rules alone`);
  for (const [key, row] of [...rows].sort(([a], [b]) => a.localeCompare(b)))
    console.log(`${key.replace(/ /g, '\t')}\t${row.n}\t${row.hit}\t${row.rules}`);
}

await main();
