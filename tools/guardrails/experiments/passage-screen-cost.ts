/**
 * What the passage screen costs per passage, the first time it reads one: CPU milliseconds (user and system) of a
 * fresh screen per held-out corpus paragraph (`own-benign-texts.ts`), under the default policy or with the encoder
 * stage on the injection check. The serving package is imported from `<serving-index>`, so two checkouts (before and
 * after a change) can be run alternately on the same machine:
 *
 *   npx tsx --conditions=@llmops/source tools/guardrails/experiments/passage-screen-cost.ts <serving-index> [--weights FILE]
 */
import { resolve } from 'node:path';
import { ownBenignTexts } from './own-benign-texts.js';

const [index] = process.argv.slice(2);
if (!index) throw new Error('usage: passage-screen-cost.ts <serving-index.ts> [--weights FILE]');
const weightsArgument = process.argv.indexOf('--weights');
const weights = weightsArgument > 0 ? resolve(process.argv[weightsArgument + 1] ?? '') : undefined;

interface Screen {
  screen(passages: unknown[]): { screenings: unknown[] };
}
const serving = (await import(resolve(index))) as {
  PassageScreen: new (checks: unknown) => Screen;
  retrievedChecksOf: (policy: unknown) => unknown;
  guardrailPolicySchema: { parse: (policy: unknown) => unknown };
  builtInGuardrailPolicies: () => { get: (name: string) => unknown };
};
const policy = weights
  ? serving.guardrailPolicySchema.parse({
      input: { harmful: {}, injection: { classifier: { encoder: { weights } } } },
    })
  : serving.builtInGuardrailPolicies().get('default');
const checks = serving.retrievedChecksOf(policy);
const paragraphs = ownBenignTexts(process.cwd()).filter((own) => own.source === 'paragraph' && own.half === 'held-out');
// The encoder's weights are read once per process: a first screen loads them before anything is timed.
new serving.PassageScreen(checks).screen([{ id: 'warm', source: 'warm.md', text: 'Warm up.', tokens: 0, score: 1 }]);

const costs: number[] = [];
let flagged = 0;
for (const [position, own] of paragraphs.entries()) {
  const screen = new serving.PassageScreen(checks);
  const passage = { id: `p${position}`, source: 'p.md', text: own.text, tokens: 0, score: 1 };
  const before = process.cpuUsage();
  flagged += screen.screen([passage]).screenings.length;
  const used = process.cpuUsage(before);
  costs.push((used.user + used.system) / 1000);
}
costs.sort((left, right) => left - right);
const at = (quantile: number) => costs[Math.min(costs.length - 1, Math.floor(quantile * costs.length))] ?? 0;
const mean = costs.reduce((sum, cost) => sum + cost, 0) / costs.length;
console.log(
  `${weights ? 'encoder on ' : 'default    '} ${paragraphs.length} passages, ${flagged} flagged;` +
    ` CPU ms per passage p50 ${at(0.5).toFixed(3)} p95 ${at(0.95).toFixed(3)} mean ${mean.toFixed(3)}`,
);
