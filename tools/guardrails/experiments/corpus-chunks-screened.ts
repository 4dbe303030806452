/**
 * The passage screen on the team's corpora as they are indexed: every chunk of the help center (`confs/data/kb`) and
 * the skerry manual (`confs/data/manual`), cut by the two chunking strategies the model specs use (`tokens` 200/40, the
 * default; `structure` 160/0), screened by a fresh screen of the `default` policy. Prints how many chunks are flagged
 * and, for each, its id and rules (both corpora are ours and benign: every flag is a false alarm). The serving package
 * is imported from `<serving-index>`, so two checkouts can be compared:
 *
 *   npx tsx --conditions=@llmops/source tools/guardrails/experiments/corpus-chunks-screened.ts <serving-index>
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { countTokens, splitSentences } from '@llmops/providers';

const [index] = process.argv.slice(2);
if (!index) throw new Error('usage: corpus-chunks-screened.ts <serving-index.ts>');
interface Passage {
  id: string;
  source: string;
  text: string;
  tokens: number;
  score: number;
}
const serving = (await import(resolve(index))) as {
  PassageScreen: new (checks: unknown) => {
    screen(passages: Passage[]): { screenings: { passage_id: string; rules: string[] }[] };
  };
  retrievedChecksOf: (policy: unknown) => unknown;
  builtInGuardrailPolicies: () => { get: (name: string) => unknown };
  chunkWith: (
    document: { source: string; text: string },
    chunking: { strategy: 'tokens' | 'structure'; maxTokens: number; overlapTokens: number },
    tools: { countTokens: (text: string) => number; splitSentences: (text: string) => string[] },
  ) => Omit<Passage, 'score'>[];
};
const checks = serving.retrievedChecksOf(serving.builtInGuardrailPolicies().get('default'));
const strategies = [
  { strategy: 'tokens', maxTokens: 200, overlapTokens: 40 },
  { strategy: 'structure', maxTokens: 160, overlapTokens: 0 },
] as const;
for (const corpus of ['kb', 'manual']) {
  const folder = join(process.cwd(), 'confs/data', corpus);
  for (const chunking of strategies) {
    const chunks = readdirSync(folder)
      .sort()
      .flatMap((name) =>
        serving.chunkWith({ source: name, text: readFileSync(join(folder, name), 'utf8') }, chunking, {
          countTokens,
          splitSentences,
        }),
      );
    const flagged = chunks.flatMap(
      (chunk) => new serving.PassageScreen(checks).screen([{ ...chunk, score: 1 }]).screenings,
    );
    console.log(`${corpus} ${chunking.strategy}: ${flagged.length} of ${chunks.length} chunks flagged`);
    for (const screening of flagged) console.log(`  ${screening.passage_id} ${screening.rules.join(',')}`);
  }
}
