/**
 * Measures what the semantic cache would do on the shipped question sets (help center `support-qa`, man pages
 * `manual-qa`): with the offline lexical embedder (the default), how often a question would be answered with the
 * cached answer of a *different* question (a false hit), and how often a surface variant of a cached question
 * (lowercased without punctuation; "please" added; the same words reordered) would be answered with its own answer
 * (a true hit), per threshold.
 *
 *   npx tsx --conditions=@llmops/source tools/bench/gateway/semantic-cache-false-hits.ts
 *
 * Questions arrive in file order; each is compared with the questions before it (the cache then holds their
 * answers). Distinct dataset questions have distinct expected answers, so any hit among them is false. A second
 * false-hit probe swaps one word of each question (its longest) for the longest word of another question: a
 * different question worded almost the same, the case a lexical embedder is weakest on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cosineSimilarity, OfflineLexicalEmbedder } from '@llmops/providers';

const thresholds = [0.8, 0.85, 0.9, 0.95, 0.98];
const datasets = ['support-qa', 'manual-qa'];

const variants: Array<[string, (question: string) => string]> = [
  ['lowercase, no punctuation', (question) => question.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, '')],
  ['"please" added', (question) => `Please, ${question.charAt(0).toLowerCase()}${question.slice(1)}`],
  [
    'words reordered',
    (question) => {
      const words = question.replace(/\?$/, '').split(/\s+/);
      return `${[...words.slice(Math.ceil(words.length / 2)), ...words.slice(0, Math.ceil(words.length / 2))].join(' ')}?`;
    },
  ],
];

async function main(): Promise<void> {
  const embedder = new OfflineLexicalEmbedder();
  for (const dataset of datasets) {
    const file = join(process.cwd(), 'confs', 'data', 'eval', `${dataset}.jsonl`);
    const questions = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => (JSON.parse(line) as { input: string }).input);
    const vectors = (await embedder.embed(questions)).embeddings;
    // The closest earlier question of each question.
    const nearestEarlier = vectors.map((vector, index) =>
      vectors.slice(0, index).reduce((best, other) => Math.max(best, cosineSimilarity(vector, other)), -1),
    );
    const sorted = nearestEarlier.slice(1).sort((left, right) => left - right);
    process.stdout.write(
      `\n${dataset}: ${questions.length} questions; closest earlier question cosine p50 ${sorted[Math.floor(sorted.length / 2)]?.toFixed(3)}, ` +
        `p95 ${sorted[Math.floor(sorted.length * 0.95)]?.toFixed(3)}, max ${sorted.at(-1)?.toFixed(3)}\n`,
    );
    const variantVectors = await Promise.all(
      variants.map(async ([, make]) => (await embedder.embed(questions.map(make))).embeddings),
    );
    // A harder false-hit probe: the question with its longest word (usually its most specific one) replaced by the
    // longest word of the next question, a different question that shares most of its words.
    const longest = (question: string) =>
      question.split(/[^\p{L}\p{N}-]+/u).reduce((best, word) => (word.length > best.length ? word : best), '');
    const swapped = questions.map((question, index) =>
      question.replace(longest(question), longest(questions[(index + 1) % questions.length] as string)),
    );
    const swappedVectors = (await embedder.embed(swapped)).embeddings;
    const swappedSimilarity = swappedVectors.map((vector, index) =>
      cosineSimilarity(vector, vectors[index] as number[]),
    );
    process.stdout.write(
      `threshold  false hits  one word swapped  ${variants.map(([name]) => `true hits (${name})`).join('  ')}\n`,
    );
    for (const threshold of thresholds) {
      const falseHits = nearestEarlier.filter((similarity) => similarity >= threshold).length;
      const swappedHits = swappedSimilarity.filter(
        (similarity, index) => swapped[index] !== questions[index] && similarity >= threshold,
      ).length;
      const trueHits = variantVectors.map(
        (made) =>
          made.filter((vector, index) => {
            // A true hit: the variant's closest cached question is its own original, at or above the threshold.
            let best = -1;
            let bestIndex = -1;
            vectors.forEach((original, originalIndex) => {
              const similarity = cosineSimilarity(vector, original);
              if (similarity > best) [best, bestIndex] = [similarity, originalIndex];
            });
            return best >= threshold && bestIndex === index;
          }).length,
      );
      const share = (count: number) =>
        `${count}/${questions.length} (${((count / questions.length) * 100).toFixed(1)} %)`;
      process.stdout.write(
        `${threshold.toFixed(2).padEnd(9)}  ${share(falseHits).padEnd(10)}  ${share(swappedHits).padEnd(16)}  ${trueHits
          .map((count, column) => share(count).padEnd(`true hits (${variants[column]?.[0]})`.length))
          .join('  ')}\n`,
      );
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
