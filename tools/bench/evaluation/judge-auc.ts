// How well the offline heuristic judge separates relevant from irrelevant contexts on the shipped
// dataset: the AUC of the contextual_relevancy score it gives (question, context) pairs.
//   1. reference contexts: each answerable question with its own reference contexts (relevant) and
//      3 reference contexts of other questions (irrelevant; easy negatives);
//   2. knowledge-base paragraphs: the KB paragraph holding the reference context (relevant), every
//      other paragraph of the same article (irrelevant but on the same topic: hard negatives) and 3
//      paragraphs of other articles (easy negatives).
// Run: npx tsx tools/bench/evaluation/judge-auc.ts
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  measureJudgeSeparation,
  OfflineHeuristicJudge,
  parseDataset,
  referenceContextSamples,
  seededRandom,
} from '@llmops/evaluation';
import type { RelevanceSample, SeparationResult } from '@llmops/evaluation';

const workspace = resolve(import.meta.dirname, '..', '..', '..');
const dataset = parseDataset(readFileSync(resolve(workspace, 'confs/data/eval/support-qa.jsonl'), 'utf8'), {
  source: 'confs/data/eval/support-qa.jsonl',
});
const kbFolder = resolve(workspace, 'confs/data/kb');
const articles = readdirSync(kbFolder)
  .filter((file) => file.endsWith('.md'))
  .sort()
  .map((file) => ({
    file,
    paragraphs: readFileSync(join(kbFolder, file), 'utf8')
      .split(/\n\s*\n/)
      .map((paragraph) => paragraph.trim())
      .filter((paragraph) => paragraph !== '' && !paragraph.startsWith('#')),
  }));

function kbSamples(): { all: RelevanceSample[]; hard: RelevanceSample[]; unmatched: number } {
  const random = seededRandom(5);
  const all: RelevanceSample[] = [];
  const hard: RelevanceSample[] = [];
  let unmatched = 0;
  for (const example of dataset.examples) {
    const input = typeof example.input === 'string' ? example.input : '';
    for (const reference of example.reference_contexts ?? []) {
      const article = articles.find((candidate) =>
        candidate.paragraphs.some((paragraph) => paragraph.includes(reference)),
      );
      if (!article) {
        unmatched += 1;
        continue;
      }
      const positive = article.paragraphs.find((paragraph) => paragraph.includes(reference)) as string;
      const sameArticle = article.paragraphs.filter(
        (paragraph) =>
          paragraph !== positive && !(example.reference_contexts ?? []).some((other) => paragraph.includes(other)),
      );
      all.push({ input, context: positive, relevant: true });
      hard.push({ input, context: positive, relevant: true });
      for (const paragraph of sameArticle) {
        all.push({ input, context: paragraph, relevant: false });
        hard.push({ input, context: paragraph, relevant: false });
      }
      const others = articles.filter((candidate) => candidate !== article).flatMap((candidate) => candidate.paragraphs);
      for (let count = 0; count < 3; count += 1)
        all.push({ input, context: others[Math.floor(random() * others.length)] as string, relevant: false });
    }
  }
  return { all, hard, unmatched };
}

function line(label: string, result: SeparationResult): string {
  const format = (value: number | null) => (value === null ? '-' : value.toFixed(3));
  return `${label.padEnd(58)} AUC ${format(result.auc)}  AUC(mean statement score) ${format(result.scoreAuc)}  ${result.positives}+/${result.negatives}-  TPR@0.5 ${result.truePositiveRate.toFixed(2)}  FPR@0.5 ${result.falsePositiveRate.toFixed(2)}`;
}

console.log(
  `offline-heuristic judge separation on ${dataset.source} (${dataset.examples.length} examples, digest ${dataset.digest}), KB ${articles.length} articles`,
);
const references = referenceContextSamples(dataset);
const kb = kbSamples();
for (const threshold of [0.3, 0.4, 0.5, 0.6]) {
  const judge = new OfflineHeuristicJudge({ relevanceThreshold: threshold });
  console.log(`relevanceThreshold ${threshold}${threshold === 0.5 ? ' (default)' : ''}`);
  console.log(
    `  ${line('reference contexts vs other questions’ (easy)', await measureJudgeSeparation(judge, references))}`,
  );
  console.log(
    `  ${line('KB paragraphs, same-article + other-article negatives', await measureJudgeSeparation(judge, kb.all))}`,
  );
  console.log(
    `  ${line('KB paragraphs, same-article negatives only (hard)', await measureJudgeSeparation(judge, kb.hard))}`,
  );
}
if (kb.unmatched > 0)
  console.log(`${kb.unmatched} reference contexts were not found verbatim in a KB paragraph and were left out`);
