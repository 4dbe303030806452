/**
 * Which signal tells an answerable question from an unanswerable one, on both shipped corpora: for
 * every question it computes the features available when the answer is made, and prints how well
 * each separates the two kinds (ROC AUC per corpus, answerable as the positive class, a higher
 * value meaning "answer") and the threshold each corpus alone would pick.
 *
 *   npx tsx --conditions=@llmops/source tools/bench/answerer/decline-signals.ts [--baseline] [--dump]
 *
 * Contexts are those of the improved spec (confs/models/support-rag-improved.yaml) unless
 * `--baseline`. `--dump` prints every question's features. Features (IDF is the corpus index's):
 * - support: the offline model's support of its best unit (the signal `minSupport` thresholds);
 * - topScoreNorm: the best first-stage BM25F score over the sum of the query terms' IDF;
 * - rerankTop: the best passage's rerank score (in [0, 1]);
 * - gap: the first-stage score gap between passages 1 and 2, relative to passage 1;
 * - corpusCoverage: the share of the question's IDF mass whose terms occur anywhere in the corpus;
 * - contextCoverage: the share of the question's IDF mass whose terms occur in the context given;
 * - topTermInCorpus: 1 when the question's highest-IDF term occurs in the corpus;
 * - missingIdf: minus the highest IDF of a question term that occurs in the corpus but not in the
 *   context (a distinctive term the corpus has and the context lacks), over the corpus's highest IDF.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OfflineExtractiveChatModel } from '@llmops/providers';
import type { CorpusIndex } from '@llmops/serving';
import { benchRetrieval, contextPassages, corpora, prepareQuestions } from './answer-bench-data.js';
import type { Question } from './answer-bench-data.js';

const retrieval = benchRetrieval(!process.argv.includes('--baseline'));

type Features = Record<string, number>;

/** The features of one question and its context. */
async function featuresOf(question: Question, index: CorpusIndex): Promise<Features> {
  const model = new OfflineExtractiveChatModel({ minSupport: 0 });
  const support = model.answer(question.messages).citations[0]?.relevance ?? 0;
  const tools = index.lexical;
  const terms = [...new Set(tools.terms(question.question))];
  const absentIdf = Math.log(1 + (index.passages.length + 0.5) / 0.5);
  const idf = new Map(terms.map((term) => [term, tools.idf(term)]));
  const total = terms.reduce((sum, term) => sum + (idf.get(term) as number), 0);
  const inCorpus = terms.filter((term) => (idf.get(term) as number) < absentIdf);
  const contextTerms = new Set(
    contextPassages(question.messages).flatMap((passage) =>
      tools.terms(`${passage.title ?? ''} ${passage.section ?? ''} ${passage.text}`),
    ),
  );
  const inContext = terms.filter((term) => contextTerms.has(term));
  const mass = (list: readonly string[]) => list.reduce((sum, term) => sum + (idf.get(term) as number), 0);
  const candidates = await index.search(question.question, { k: 2 });
  const first = candidates[0]?.score ?? 0;
  const second = candidates[1]?.score ?? 0;
  const highest = [...terms].sort((left, right) => (idf.get(right) as number) - (idf.get(left) as number))[0];
  const missing = inCorpus.filter((term) => !contextTerms.has(term)).map((term) => idf.get(term) as number);
  return {
    support,
    topScoreNorm: total === 0 ? 0 : first / total,
    rerankTop: question.rankedScores[0] ?? 0,
    gap: first === 0 ? 0 : (first - second) / first,
    corpusCoverage: total === 0 ? 0 : mass(inCorpus) / total,
    contextCoverage: total === 0 ? 0 : mass(inContext) / total,
    topTermInCorpus: highest !== undefined && inCorpus.includes(highest) ? 1 : 0,
    missingIdf: -Math.max(0, ...missing) / absentIdf,
  };
}

/** ROC AUC of `score` for answerable (positive) against unanswerable questions; ties count half. */
function rocAuc(positives: readonly number[], negatives: readonly number[]): number {
  let wins = 0;
  for (const positive of positives)
    for (const negative of negatives) wins += positive > negative ? 1 : positive === negative ? 0.5 : 0;
  return wins / (positives.length * negatives.length);
}

/** Balanced accuracy of "answer when the feature is >= threshold". */
function balancedAccuracy(positives: readonly number[], negatives: readonly number[], threshold: number): number {
  const answered = positives.filter((value) => value >= threshold).length / positives.length;
  const declined = negatives.filter((value) => value < threshold).length / negatives.length;
  return (answered + declined) / 2;
}

/**
 * The share of answerable questions declined by the lowest threshold that declines at least 90 % of
 * the unanswerable ones (the held-out target's operating point).
 */
function answerableDeclinedAt90(positives: readonly number[], negatives: readonly number[]): string {
  const sorted = [...negatives].sort((left, right) => left - right);
  const index = Math.ceil(0.9 * sorted.length) - 1;
  const threshold = (sorted[index] as number) + 1e-9;
  const declined = positives.filter((value) => value < threshold).length;
  return `${declined}/${positives.length} (${((100 * declined) / positives.length).toFixed(0)} %)`;
}

interface Sample {
  answerable: boolean;
  features: Features;
}

function split(samples: readonly Sample[], feature: string): { positives: number[]; negatives: number[] } {
  return {
    positives: samples.filter((sample) => sample.answerable).map((sample) => sample.features[feature] as number),
    negatives: samples.filter((sample) => !sample.answerable).map((sample) => sample.features[feature] as number),
  };
}

async function main(): Promise<void> {
  const indexDirectory = mkdtempSync(join(tmpdir(), 'llmops-bench-signals-'));
  try {
    const byCorpus: Array<{ name: string; samples: Sample[] }> = [];
    for (const corpus of corpora) {
      const { questions, index } = await prepareQuestions(corpus, { indexDirectory, retrieval });
      const samples: Sample[] = [];
      for (const question of questions)
        samples.push({ answerable: question.answerable, features: await featuresOf(question, index) });
      byCorpus.push({ name: corpus.name, samples });
      if (process.argv.includes('--dump')) {
        questions.forEach((question, position) => {
          const features = (samples[position] as Sample).features;
          const values = Object.entries(features).map(([name, value]) => `${name}=${value.toFixed(3)}`);
          console.log(`${question.id}\t${question.answerable ? 'A' : 'U'}\t${values.join(' ')}\t${question.question}`);
        });
      }
    }
    const names = Object.keys(byCorpus[0]?.samples[0]?.features ?? {});
    console.log(`retrieval ${JSON.stringify(retrieval)}`);
    console.table(
      names.map((feature) => {
        const row: Record<string, string> = { feature };
        const candidates = [
          ...new Set(
            byCorpus.flatMap(({ samples }) =>
              split(samples, feature).positives.concat(split(samples, feature).negatives),
            ),
          ),
        ];
        for (const { name, samples } of byCorpus) {
          const { positives, negatives } = split(samples, feature);
          const best = candidates.reduce(
            (left, right) =>
              balancedAccuracy(positives, negatives, right) > balancedAccuracy(positives, negatives, left)
                ? right
                : left,
            candidates[0] as number,
          );
          row[`${name} AUC`] = rocAuc(positives, negatives).toFixed(3);
          row[`${name} own pick (bal. acc.)`] =
            `${best.toFixed(3)} (${balancedAccuracy(positives, negatives, best).toFixed(3)})`;
          row[`${name} answerable declined at 90 % unanswerable declined`] = answerableDeclinedAt90(
            positives,
            negatives,
          );
        }
        const joint = candidates.reduce((left, right) => {
          const worst = (threshold: number) =>
            Math.min(
              ...byCorpus.map(({ samples }) => {
                const { positives, negatives } = split(samples, feature);
                return balancedAccuracy(positives, negatives, threshold);
              }),
            );
          return worst(right) > worst(left) ? right : left;
        }, candidates[0] as number);
        row['joint pick (bal. acc. per corpus)'] = `${joint.toFixed(3)} (${byCorpus
          .map(({ samples }) => {
            const { positives, negatives } = split(samples, feature);
            return balancedAccuracy(positives, negatives, joint).toFixed(3);
          })
          .join(' / ')})`;
        return row;
      }),
    );
  } finally {
    rmSync(indexDirectory, { recursive: true, force: true });
  }
}

await main();
