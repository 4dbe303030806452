// How well the offline heuristic judge tracks a careful reading, on the labelled statements of
// confs/data/eval/judge-validation.jsonl (both corpora). Each statement is given to the judge the way the
// RAG pipeline gives passages: "<title> › <section path>\n<text>", the location looked up in its source page.
//   (a) per-statement AUC: each labelled statement alone as a retrieval context, scored as
//       contextual_relevancy does (statements, then relevance); AUC of the metric score and of the judge's
//       mean statement score against the labels;
//   (b) per-example Spearman: for each question, its labelled statements as the retrieval context; the
//       judge's contextual relevancy vs the share of statements the careful reading marks relevant;
//   (c) the mean absolute difference of those two per question.
// Three label sets, reported apart: the hand-picked statements (4 to 6 per question, hard negatives), the
// compressed contexts of compression v2 (`jv-cc-…`, held out from the judge's development until version 7 read
// its develop half), and the real retrieval contexts (`jv-ctx-…`: every statement of the context the improved
// model gives the metric for 26 questions per corpus, each with its own `location` line as the pipeline gave it),
// where (b) and (c) are taken per context, as the metric is used.
// Split for honesty: the questions of each corpus and set are split in two fixed halves by id (see `halfOf`);
// the judge is developed on the `develop` half and reported on the `report` half, and on the full set.
// Calibration: the relevance threshold that brings (c) lowest on one corpus is reported on the other
// corpus, both directions (hand-picked set).
// A fourth set, in the style of the owners' held-out text: with `--real-man-pages DIR` (the pages
// tools/bench/retrieval/real-man-pages/lay-out.sh renders), the labels of
// tools/bench/retrieval/real-man-pages/judge-labels.jsonl, whose statements are re-derived from the pages (the
// improved model's real context, see context-statements.ts) and checked against each label's hash. Held out whole
// until judge version 9; since then split by page (`inDevelopHalfOfLine`): its develop half is read, its check half
// is reported.
// Run: npx tsx --conditions=@llmops/source tools/bench/evaluation/judge-validation.ts [--threshold T] [--dump [--reasons]] [--develop-only]
//   [--real-man-pages DIR]
// (--develop-only prints the develop halves only, of every set: hand-picked, real contexts, compressed contexts and
// the real man pages when given; never a check or report half.)
// (--dump first prints every statement of the develop halves, grouped by label set and example, with its location and
// the judge's score in its context; since judge version 7 that includes the develop half of the `jv-cc-…` set, so only
// its report half stays held out; with --real-man-pages, the develop half of the real man pages too. The report and
// check halves are never dumped, so rules are not chosen by reading them.)
// (c) is also given signed, judge minus careful: below 0 when the judge errs low.
import { areaUnderRoc, contextualRelevancyScore, OfflineHeuristicJudge } from '@llmops/evaluation';
import type { StatementVerdict } from '@llmops/evaluation';
import {
  carefulShare,
  contexts,
  groupOf,
  halfOf,
  judgeContext,
  labels,
  pearson,
  ranks,
  realManPageLabels,
  setOf,
  statementsOf,
} from './judge-validation-sets.js';
import type { Label } from './judge-validation-sets.js';

interface Row {
  corpus: string;
  statements: number;
  questions: number;
  auc: number | null;
  scoreAuc: number | null;
  /** The AUC of each statement's score when judged with the other statements of its question, as the metric judges. */
  inContextAuc: number | null;
  truePositiveRate: number;
  falsePositiveRate: number;
  spearman: number | null;
  meanAbsoluteDifference: number;
  /** The mean of (judge's contextual relevancy − careful share) per example: below 0 when the judge errs low. */
  meanDifference: number;
}

const realManPagesArgument = process.argv.indexOf('--real-man-pages');
const realManPageSet =
  realManPagesArgument > 0 ? await realManPageLabels(process.argv[realManPagesArgument + 1] as string) : undefined;
const realManPages = realManPageSet?.labels ?? [];
if (realManPageSet && realManPageSet.missing.length > 0) {
  console.log(
    `real man pages: ${realManPageSet.missing.length} of ${realManPageSet.contexts} labelled contexts left out, a statement found in no passage (${realManPageSet.missing.join(', ')})`,
  );
}

function measure(judge: OfflineHeuristicJudge, corpus: string, subset: readonly Label[]): Row {
  const metricScores: Array<{ score: number; positive: boolean }> = [];
  const statementScores: Array<{ score: number; positive: boolean }> = [];
  for (const label of subset) {
    const verdicts = judgeContext(judge, label.question, [contexts.get(label.id) as string]);
    const scores = verdicts.map((verdict) => verdict.score ?? (verdict.verdict === 'yes' ? 1 : 0));
    // An undefined score (no decided verdict) counts as not relevant here, as it did before scores could be undefined.
    metricScores.push({ score: contextualRelevancyScore(verdicts) ?? 0, positive: label.relevant });
    statementScores.push({
      score: scores.length === 0 ? 0 : scores.reduce((sum, value) => sum + value, 0) / scores.length,
      positive: label.relevant,
    });
  }
  const byQuestion = new Map<string, Label[]>();
  for (const label of subset) byQuestion.set(groupOf(label), [...(byQuestion.get(groupOf(label)) ?? []), label]);
  const judged: number[] = [];
  const careful: number[] = [];
  const inContextScores: Array<{ score: number; positive: boolean }> = [];
  for (const group of byQuestion.values()) {
    const verdicts = judgeContext(
      judge,
      (group[0] as Label).question,
      group.map((label) => contexts.get(label.id) as string),
    );
    judged.push(contextualRelevancyScore(verdicts) ?? 0);
    careful.push(carefulShare(judge, group));
    // Each label's own verdicts, in the order judgeContext made them: the label's statement score in context.
    let next = 0;
    for (const label of group) {
      const count = statementsOf(judge, contexts.get(label.id) as string).length;
      const own = verdicts.slice(next, next + count).map((verdict) => verdict.score ?? 0);
      next += count;
      inContextScores.push({
        score: own.length === 0 ? 0 : own.reduce((sum, value) => sum + value, 0) / own.length,
        positive: label.relevant,
      });
    }
  }
  const differences = judged.map((value, index) => Math.abs(value - (careful[index] as number)));
  const positives = metricScores.filter((item) => item.positive);
  const negatives = metricScores.filter((item) => !item.positive);
  return {
    corpus,
    statements: subset.length,
    questions: byQuestion.size,
    auc: areaUnderRoc(metricScores),
    scoreAuc: areaUnderRoc(statementScores),
    inContextAuc: areaUnderRoc(inContextScores),
    truePositiveRate: positives.filter((item) => item.score > 0.5).length / positives.length,
    falsePositiveRate: negatives.filter((item) => item.score > 0.5).length / negatives.length,
    spearman: pearson(ranks(judged), ranks(careful)),
    meanAbsoluteDifference: differences.reduce((sum, value) => sum + value, 0) / differences.length,
    meanDifference:
      judged.reduce((sum, value, index) => sum + value - (careful[index] as number), 0) / Math.max(judged.length, 1),
  };
}

const format = (value: number | null) => (value === null ? '-' : value.toFixed(3));
function tableRow(row: Row, label = row.corpus): string {
  return `| ${label} | ${row.statements} / ${row.questions} | ${format(row.auc)} | ${format(row.scoreAuc)} | ${format(row.inContextAuc)} | ${row.truePositiveRate.toFixed(2)} / ${row.falsePositiveRate.toFixed(2)} | ${format(row.spearman)} | ${format(row.meanAbsoluteDifference)} | ${format(row.meanDifference)} |`;
}
const header = [
  '| Corpus | Statements / questions | AUC (metric score) | AUC (statement score) | AUC (statement score in context) | TPR / FPR at 0.5 | Spearman per example | Mean abs. difference | Mean difference (judge − careful) |',
  '| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |',
];

/** While developing a rule: print the develop half only, and no calibration. */
const developOnly = process.argv.includes('--develop-only');
const handPicked = labels.filter((label) => setOf(label) === 'hand-picked');
const realContexts = labels.filter((label) => setOf(label) === 'real');
const compressedContexts = labels.filter((label) => setOf(label) === 'compressed');
const corpora: Array<[string, Label[]]> = [
  ['kb', handPicked.filter((label) => label.corpus === 'kb')],
  ['manual', handPicked.filter((label) => label.corpus === 'manual')],
  ['both', handPicked],
];

/** The rows of one label set: each corpus's develop half, report half and whole, then both corpora. */
function splitRows(judge: OfflineHeuristicJudge, set: readonly Label[]): string[] {
  const rows: string[] = [];
  for (const corpus of ['kb', 'manual'] as const) {
    const own = set.filter((label) => label.corpus === corpus);
    for (const half of developOnly ? (['develop'] as const) : (['develop', 'report'] as const))
      rows.push(
        tableRow(
          measure(
            judge,
            corpus,
            own.filter((label) => halfOf(label) === half),
          ),
          `${corpus} ${half}`,
        ),
      );
    if (!developOnly) rows.push(tableRow(measure(judge, corpus, own), `${corpus} all`));
  }
  if (!developOnly) rows.push(tableRow(measure(judge, 'both', set), 'both all'));
  return rows;
}

const thresholdArgument = process.argv.indexOf('--threshold');
const threshold = thresholdArgument > 0 ? Number(process.argv[thresholdArgument + 1]) : undefined;
const judge = new OfflineHeuristicJudge(threshold === undefined ? {} : { relevanceThreshold: threshold });
if (process.argv.includes('--dump')) {
  const groups = new Map<string, Label[]>();
  for (const label of [...labels, ...realManPages].filter((candidate) => halfOf(candidate) === 'develop')) {
    const key = `${setOf(label)} ${groupOf(label)}`;
    groups.set(key, [...(groups.get(key) ?? []), label]);
  }
  for (const group of groups.values()) {
    const verdicts = judgeContext(
      judge,
      (group[0] as Label).question,
      group.map((label) => contexts.get(label.id) as string),
    );
    console.log(`\n${setOf(group[0] as Label)} ${groupOf(group[0] as Label)} ${(group[0] as Label).question}`);
    let next = 0;
    for (const label of group) {
      const count = statementsOf(judge, contexts.get(label.id) as string).length;
      const own = verdicts.slice(next, next + count);
      next += count;
      const best = own.reduce<StatementVerdict | undefined>(
        (top, verdict) => (top === undefined || (verdict.score ?? 0) > (top.score ?? 0) ? verdict : top),
        undefined,
      );
      console.log(
        `  ${label.relevant ? 'R' : '-'} ${(best?.score ?? 0).toFixed(2)} ${(contexts.get(label.id) as string).replace('\n', ' ## ').slice(0, 170)}`,
      );
      if (process.argv.includes('--reasons') && best !== undefined) console.log(`         ${best.reason}`);
    }
  }
}
console.log(`judge ${judge.fingerprint}`);
console.log('hand-picked statements (4 to 6 per question)');
console.log([...header, ...splitRows(judge, handPicked)].join('\n'));
console.log(
  '\nreal retrieval contexts of the improved model (every statement of each context; per example = per context)',
);
console.log([...header, ...splitRows(judge, realContexts)].join('\n'));
console.log(
  '\ncompressed contexts of the shipped model (compression v2; labelled apart; develop half read since judge version 7, report half held out)',
);
console.log([...header, ...splitRows(judge, compressedContexts)].join('\n'));
if (realManPages.length > 0) {
  console.log(
    '\nreal man pages: compressed contexts of the improved model (halves by page, inDevelopHalfOfLine; per example = per context)',
  );
  const rows = [
    tableRow(
      measure(
        judge,
        'realman',
        realManPages.filter((label) => halfOf(label) === 'develop'),
      ),
      'real man pages develop',
    ),
  ];
  if (!developOnly)
    rows.push(
      tableRow(
        measure(
          judge,
          'realman',
          realManPages.filter((label) => halfOf(label) === 'report'),
        ),
        'real man pages check',
      ),
      tableRow(measure(judge, 'realman', realManPages), 'real man pages all'),
    );
  console.log([...header, ...rows].join('\n'));
}

if (developOnly) process.exit(0);
// Calibration: pick the threshold with the lowest mean absolute difference on one corpus, report on the other.
const candidates = Array.from({ length: 19 }, (_, index) => Math.round((0.05 + index * 0.05) * 100) / 100);
console.log('\ncalibration (threshold with the lowest mean abs. difference on one corpus, reported on the other)');
console.log(
  [
    '| Calibrated on | Threshold | Reported on | Statements / questions | AUC (metric score) | AUC (statement score) | AUC (statement score in context) | TPR / FPR at 0.5 | Spearman per example | Mean abs. difference | Mean difference (judge − careful) |',
    '| --- | ---: | --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |',
  ].join('\n'),
);
for (const [from, to] of [
  ['kb', 'manual'],
  ['manual', 'kb'],
] as const) {
  const source = corpora.find(([name]) => name === from)?.[1] ?? [];
  const target = corpora.find(([name]) => name === to)?.[1] ?? [];
  let best = { threshold: 0.5, difference: Number.POSITIVE_INFINITY };
  for (const candidate of candidates) {
    const row = measure(new OfflineHeuristicJudge({ relevanceThreshold: candidate }), from, source);
    if (row.meanAbsoluteDifference < best.difference)
      best = { threshold: candidate, difference: row.meanAbsoluteDifference };
  }
  const calibrated = new OfflineHeuristicJudge({ relevanceThreshold: best.threshold });
  const ownRow = measure(calibrated, from, source);
  const otherRow = measure(calibrated, to, target);
  console.log(`| ${from} | ${best.threshold} ${tableRow(ownRow, `${from} (in sample)`)}`);
  console.log(`| ${from} | ${best.threshold} ${tableRow(otherRow, `${to} (held out)`)}`);
}
