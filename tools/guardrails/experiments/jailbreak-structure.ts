/**
 * The default policy's injection check on the team's jailbreak-structure set (issue 14, fourteenth and fifteenth
 * passes): jailbreak prompts caught and benign prompts flagged (look-alikes and scoped user turns as the user turn,
 * operator prompts as the system turn, as a deployment sends them), by half, list and language.
 *
 *   npx tsx --conditions=@llmops/source tools/guardrails/experiments/jailbreak-structure.ts [--half check] [--show]
 *
 * Without `--half` only the develop half is measured. `--show` prints the develop half's missed jailbreaks and
 * flagged benign texts with their rules (never the check half's).
 *
 * Sixteenth pass (minimal pairs in five languages, `scoped-pairs-benign` / `scoped-pairs-jailbreak`), decision rule
 * fixed before any check half was measured: ship if the check half's scoped benign flags fall (`scoped-user-turns` and
 * `scoped-pairs-benign`), the team jailbreak check half (`jailbreaks` and `scoped-pairs-jailbreak`) loses at most 2
 * texts, `operator-prompts` stay at 0 flagged, and every public row of `learned-classifier.ts --redteam` (before and
 * after, numbers only) loses at most 1 caught text.
 */
import { builtInGuardrailPolicies, detectInjection, GuardrailEngine, guardrailPolicySchema } from '@llmops/serving';
import { type JailbreakSetText, jailbreakSet } from '../training/jailbreaks/index.js';

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

async function hit(item: JailbreakSetText): Promise<boolean> {
  const result = await injectionOnly.checkInput([{ role: item.role, content: item.text }]);
  return result.verdicts.some((verdict) => verdict.check === 'injection' && verdict.outcome !== 'pass');
}

async function main(): Promise<void> {
  const rows = new Map<string, { n: number; hit: number; rules: number }>();
  for (const item of jailbreakSet().filter((text) => text.half === half)) {
    const flagged = await hit(item);
    const findings = () =>
      detectInjection(item.text, item.role === 'system' ? { ignoreNegated: true, jailbreakStructure: false } : {});
    const byRules = findings().length > 0;
    for (const key of [`${item.source} ${item.language}`, `${item.source} all`]) {
      const row = rows.get(key) ?? { n: 0, hit: 0, rules: 0 };
      row.n += 1;
      if (flagged) row.hit += 1;
      if (byRules) row.rules += 1;
      rows.set(key, row);
    }
    if (show && flagged !== item.jailbreak) {
      const rules = findings().map((finding) => finding.rule);
      console.log(
        `${item.jailbreak ? 'MISSED' : 'FLAGGED'} ${item.source} ${item.language} ${item.family ?? ''} [${rules.join(',')}] ${item.text.replace(/\n/g, ' ')}`,
      );
    }
  }
  console.log(`half ${half}: set, n, hit by the injection check (rules + n-gram head), hit by the rules alone`);
  for (const [key, row] of [...rows].sort(([a], [b]) => a.localeCompare(b)))
    console.log(`${key}\t${row.n}\t${row.hit}\t${row.rules}`);
}

await main();
