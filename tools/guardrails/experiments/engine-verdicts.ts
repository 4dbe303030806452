/**
 * The verdicts of policy `default` on each text of a `public-texts.py` file, with the lexicon only and as
 * shipped (lexicon + learned classifier), for joining with an experimental model's flags:
 *
 *   npx tsx --conditions=@llmops/source tools/guardrails/experiments/engine-verdicts.ts <texts.jsonl> <out.json>
 *
 * Input texts go through the input checks as one user message, corpus paragraphs through the output checks,
 * as `tools/bench/guardrails/learned-classifier.ts` does. Writes `{lexicon: boolean[], shipped: boolean[]}`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { builtInGuardrailPolicies, GuardrailEngine, guardrailPolicySchema } from '@llmops/serving';

const [source, out] = process.argv.slice(2) as [string, string];
const rows = readFileSync(source, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as { text: string; check: 'input' | 'output' });
const lexiconOnly = guardrailPolicySchema.parse({
  input: {
    harmful: { classifier: { enabled: false } },
    injection: { classifier: { enabled: false } },
    pii: {},
    maxTokens: { limit: 16_000 },
  },
  output: { harmful: { classifier: { enabled: false } }, injection: {}, pii: {} },
});
const engines = {
  lexicon: new GuardrailEngine({ policyName: 'lexicon-only', policy: lexiconOnly, countMessageTokens: () => 0 }),
  shipped: new GuardrailEngine({
    policyName: 'default',
    policy: builtInGuardrailPolicies().get('default'),
    countMessageTokens: () => 0,
  }),
};

async function blocked(engine: GuardrailEngine, row: (typeof rows)[number]): Promise<boolean> {
  const verdict =
    row.check === 'output'
      ? await engine.checkOutput(row.text)
      : await engine.checkInput([{ role: 'user', content: row.text }]);
  return verdict.block !== undefined;
}

const verdicts = { lexicon: [] as boolean[], shipped: [] as boolean[] };
for (const row of rows) {
  verdicts.lexicon.push(await blocked(engines.lexicon, row));
  verdicts.shipped.push(await blocked(engines.shipped, row));
}
writeFileSync(out, JSON.stringify(verdicts));
console.log(`${rows.length} texts -> ${out}`);
