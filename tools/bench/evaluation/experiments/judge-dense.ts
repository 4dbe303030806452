/**
 * Does a dense similarity (all-MiniLM-L6-v2) make the offline judge track a careful reading? An experiment for
 * issue 11, not a shipped path:
 *
 *   npx tsx --conditions=@llmops/source tools/bench/evaluation/experiments/judge-dense.ts \
 *     --real-man-pages /tmp/real-man [--weights /tmp/minilm-l6-int8.bin] [--cache /tmp/judge-dense-vectors.json] [--check]
 *
 * The statements are the judge-validation bench's (judge-validation-sets.ts), each as the pipeline gives it
 * (`title › section` line, then the statement); every example's context is all its labelled statements, as the bench
 * takes it. For each statement: the judge's relevance score in that context, as today (offline-heuristic@9, in
 * context, per statement the judge makes of the passage), and the MiniLM cosine between the question and the passage
 * (location line + statement, the text the retrieval experiments embedded). Vectors are cached in `--cache` by
 * SHA-256 of the text.
 *
 * Variants, fixed before measuring (j is the judge's statement score, c the cosine; a statement is relevant when
 * its variant score is at least 0.5, as the judge's relevance threshold, except in (a)):
 * - (a) `cosine ≥ t`: the cosine alone; relevant when c ≥ t; its score for the AUC is c;
 * - (b) `rescue t`: a paraphrase rescue: when c ≥ t the score becomes max(j, 0.5) (relevant), else j; the judge's
 *   own relevant verdicts are kept;
 * - (c) `sum w`: (1 − w) × j + w × clamp((c − c0) / (c1 − c0), 0, 1), w in 0.15, 0.3, 0.5.
 * Chosen on the develop halves only (hand-picked kb and manual, `jv-ctx` kb and manual, `jv-cc` kb and manual, the
 * real man pages' develop half), pooled or averaged, never looking at a check half:
 * - t of (a) and of (b): the value in 0.05, 0.06, …, 0.95 with the lowest mean absolute difference per example,
 *   averaged over the seven develop halves (the first such value on a tie);
 * - c0, c1 of (c): the 10th and 90th percentiles of the cosine over every develop statement, labels not looked at.
 * Measured per half: the AUC of each statement's score in its context (the bench's "statement score in context"),
 * Spearman per example, and the mean absolute (and signed) difference per example against the careful share.
 * The rule: among (a), (b), (c 0.15), (c 0.3), (c 0.5), the variants that lower no develop half's AUC by more than
 * 0.01 against the judge alone, the one with the lowest mean absolute difference averaged over the develop halves.
 * If none qualifies, nothing is kept and no check half is measured. With `--check`, the chosen variant and the judge
 * alone are then measured once on the check / report halves (real man pages' check half included).
 * Cost: the CPU time (`process.cpuUsage`, user + system) of embedding 40 passages and 20 questions afresh, with the
 * load average beside it; the machine is shared.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { areaUnderRoc, OfflineHeuristicJudge } from '@llmops/evaluation';
import { miniLmEncoderAt } from '@llmops/serving';
import type { MiniLmEncoder } from '@llmops/serving';
import { option } from '../../command-line.js';
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
} from '../judge-validation-sets.js';
import type { Half, Label } from '../judge-validation-sets.js';

const realManDirectory = option('real-man-pages');
if (!realManDirectory) {
  console.error(
    'usage: judge-dense.ts --real-man-pages DIR [--weights FILE] [--cache FILE] [--check] (DIR: tools/bench/retrieval/real-man-pages/lay-out.sh)',
  );
  process.exit(2);
}
const weightsPath = resolve(option('weights') ?? '/tmp/minilm-l6-int8.bin');
const cachePath = resolve(option('cache') ?? '/tmp/judge-dense-vectors.json');
const measureCheck = process.argv.includes('--check');
const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
console.log(`start: ${uptime()}`);

const realMan = await realManPageLabels(realManDirectory);
if (realMan.missing.length > 0) console.log(`real man pages: contexts left out: ${realMan.missing.join(', ')}`);
const allLabels = [...labels, ...realMan.labels];

// Vectors by SHA-256 of the embedded text; the encoder is read only when a text is missing.
const vectorCache = new Map<string, number[]>(
  existsSync(cachePath) ? Object.entries(JSON.parse(readFileSync(cachePath, 'utf8')) as Record<string, number[]>) : [],
);
let encoder: MiniLmEncoder | undefined;
const encoderNow = () => (encoder ??= miniLmEncoderAt(weightsPath, '--weights'));
const keyOf = (text: string) => createHash('sha256').update(text).digest('hex');
function vectorOf(text: string): number[] {
  const key = keyOf(text);
  let vector = vectorCache.get(key);
  if (!vector) {
    vector = [...encoderNow().encode(text)];
    vectorCache.set(key, vector);
  }
  return vector;
}
const cosine = (left: readonly number[], right: readonly number[]) =>
  left.reduce((sum, value, index) => sum + value * (right[index] as number), 0);

/** The judge's verdict on one statement it makes of a passage: its score (rounded to 2 places) and its yes. */
interface Judged {
  score: number;
  relevant: boolean;
}
/** One labelled statement: its label, the judge's verdict on each statement it makes in its context, and the cosine. */
interface Scored {
  label: Label;
  judged: Judged[];
  cosine: number;
}
/** One example: its labelled statements as its context, and the careful reading's share of relevant statements. */
interface Example {
  half: Half;
  careful: number;
  statements: Scored[];
}

const judge = new OfflineHeuristicJudge();
const groups = new Map<string, Label[]>();
for (const label of allLabels) {
  const key = `${setOf(label)} ${groupOf(label)}`;
  groups.set(key, [...(groups.get(key) ?? []), label]);
}
const setNames = { 'hand-picked': 'hand-picked', real: 'jv-ctx', compressed: 'jv-cc' } as const;
/** The half-set an example belongs to: `hand-picked kb`, `jv-ctx manual`, `real man pages`… */
function setNameOf(label: Label): string {
  return label.corpus === 'realman' ? 'real man pages' : `${setNames[setOf(label)]} ${label.corpus}`;
}
const examplesBySet = new Map<string, Example[]>();
for (const group of groups.values()) {
  const first = group[0] as Label;
  const verdicts = judgeContext(
    judge,
    first.question,
    group.map((label) => contexts.get(label.id) as string),
  );
  const question = vectorOf(first.question);
  let next = 0;
  const statements = group.map((label) => {
    const passage = contexts.get(label.id) as string;
    const count = statementsOf(judge, passage).length;
    const judged = verdicts
      .slice(next, next + count)
      .map((verdict) => ({ score: verdict.score ?? 0, relevant: verdict.verdict === 'yes' }));
    next += count;
    return { label, judged, cosine: cosine(question, vectorOf(passage)) };
  });
  const example = { half: halfOf(first), careful: carefulShare(judge, group), statements };
  const name = setNameOf(first);
  examplesBySet.set(name, [...(examplesBySet.get(name) ?? []), example]);
}
writeFileSync(cachePath, JSON.stringify(Object.fromEntries(vectorCache)));

/** A way to score one statement from the judge's verdict and the cosine, and to call it relevant. */
interface Variant {
  name: string;
  score: (judged: Judged, cosine: number) => number;
  relevant: (judged: Judged, cosine: number) => boolean;
}
const judgeAlone: Variant = {
  name: 'v9 (judge alone)',
  score: (judged) => judged.score,
  relevant: (judged) => judged.relevant,
};
const cosineAlone = (threshold: number): Variant => ({
  name: `(a) cosine ≥ ${threshold.toFixed(2)}`,
  score: (_, c) => c,
  relevant: (_, c) => c >= threshold,
});
const rescue = (threshold: number): Variant => ({
  name: `(b) rescue ${threshold.toFixed(2)}`,
  score: (judged, c) => (c >= threshold ? Math.max(judged.score, 0.5) : judged.score),
  relevant: (judged, c) => judged.relevant || c >= threshold,
});
const weightedSum = (weight: number, low: number, high: number): Variant => {
  const score = (judged: Judged, c: number) =>
    (1 - weight) * judged.score + weight * Math.min(1, Math.max(0, (c - low) / (high - low)));
  return { name: `(c) sum ${weight}`, score, relevant: (judged, c) => score(judged, c) >= 0.5 };
};

interface Measured {
  auc: number | null;
  spearman: number | null;
  meanAbsoluteDifference: number;
  meanDifference: number;
}
function measure(variant: Variant, examples: readonly Example[]): Measured {
  const samples: Array<{ score: number; positive: boolean }> = [];
  const judged: number[] = [];
  const careful: number[] = [];
  for (const example of examples) {
    let relevant = 0;
    let total = 0;
    for (const { label, judged: verdicts, cosine: similarity } of example.statements) {
      // A passage the judge makes no statement of scores as one statement scored 0 (as the bench scores it).
      const scored = verdicts.length === 0 ? [{ score: 0, relevant: false }] : verdicts;
      samples.push({
        score: scored.reduce((sum, verdict) => sum + variant.score(verdict, similarity), 0) / scored.length,
        positive: label.relevant,
      });
      total += verdicts.length;
      relevant += verdicts.filter((verdict) => variant.relevant(verdict, similarity)).length;
    }
    judged.push(total === 0 ? 0 : relevant / total);
    careful.push(example.careful);
  }
  const differences = judged.map((value, index) => value - (careful[index] as number));
  return {
    auc: areaUnderRoc(samples),
    spearman: pearson(ranks(judged), ranks(careful)),
    meanAbsoluteDifference: differences.reduce((sum, value) => sum + Math.abs(value), 0) / differences.length,
    meanDifference: differences.reduce((sum, value) => sum + value, 0) / differences.length,
  };
}

const setOrder = [
  'hand-picked kb',
  'hand-picked manual',
  'jv-ctx kb',
  'jv-ctx manual',
  'jv-cc kb',
  'jv-cc manual',
  'real man pages',
];
const halfSets = (half: Half) =>
  setOrder.map((name) => ({
    name,
    examples: (examplesBySet.get(name) ?? []).filter((example) => example.half === half),
  }));
const develop = halfSets('develop');
const averageDifference = (variant: Variant) =>
  develop.reduce((sum, set) => sum + measure(variant, set.examples).meanAbsoluteDifference, 0) / develop.length;

// Choices on the develop halves only.
const grid = Array.from({ length: 91 }, (_, index) => Math.round((0.05 + index * 0.01) * 100) / 100);
const bestOf = (make: (threshold: number) => Variant) =>
  grid.reduce((best, threshold) =>
    averageDifference(make(threshold)) < averageDifference(make(best)) ? threshold : best,
  );
const developCosines = develop
  .flatMap((set) => set.examples)
  .flatMap((example) => example.statements.map((statement) => statement.cosine))
  .sort((left, right) => left - right);
const percentile = (share: number) =>
  developCosines[Math.min(developCosines.length - 1, Math.floor(share * developCosines.length))] as number;
const low = percentile(0.1);
const high = percentile(0.9);
const candidates = [
  cosineAlone(bestOf(cosineAlone)),
  rescue(bestOf(rescue)),
  ...[0.15, 0.3, 0.5].map((weight) => weightedSum(weight, low, high)),
];
console.log(
  `chosen on develop: (a) t = ${candidates[0]?.name.split(' ').pop()}, (b) t = ${candidates[1]?.name.split(' ').pop()}, (c) c0 = ${low.toFixed(3)}, c1 = ${high.toFixed(3)} (10th / 90th percentile of ${developCosines.length} develop cosines)`,
);

const format = (value: number | null) => (value === null ? '-' : value.toFixed(3));
const signed = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(3)}`;
const cell = (row: Measured) =>
  `${format(row.auc)} / ${format(row.spearman)} / ${format(row.meanAbsoluteDifference)} / ${signed(row.meanDifference)}`;
const sizeOf = (examples: readonly Example[]) =>
  `${examples.reduce((sum, example) => sum + example.statements.length, 0)} / ${examples.length}`;
function table(title: string, sets: ReturnType<typeof halfSets>, variants: readonly Variant[]): void {
  console.log(`\n${title} (AUC in context / Spearman per example / mean abs. difference / signed, judge − careful)`);
  console.log(`| Half (statements / examples) | ${variants.map((variant) => variant.name).join(' | ')} |`);
  console.log(`| --- | ${variants.map(() => '---').join(' | ')} |`);
  for (const set of sets)
    console.log(
      `| ${set.name} (${sizeOf(set.examples)}) | ${variants.map((variant) => cell(measure(variant, set.examples))).join(' | ')} |`,
    );
  console.log(
    `| mean abs. difference, averaged over the halves | ${variants
      .map((variant) =>
        format(sets.reduce((sum, set) => sum + measure(variant, set.examples).meanAbsoluteDifference, 0) / sets.length),
      )
      .join(' | ')} |`,
  );
}

table('develop halves', develop, [judgeAlone, ...candidates]);
const baseAuc = new Map(develop.map((set) => [set.name, measure(judgeAlone, set.examples).auc ?? 0]));
const qualifying = candidates.filter((variant) =>
  develop.every((set) => (measure(variant, set.examples).auc ?? 0) >= (baseAuc.get(set.name) as number) - 0.01),
);
console.log(
  `\nvariants that lower no develop AUC by more than 0.01: ${qualifying.map((variant) => variant.name).join(', ') || 'none'}`,
);
const chosen = qualifying.reduce<Variant | undefined>(
  (best, variant) => (best === undefined || averageDifference(variant) < averageDifference(best) ? variant : best),
  undefined,
);
console.log(`chosen: ${chosen?.name ?? 'none (nothing kept; no check half measured)'}`);

if (measureCheck && chosen) table('check / report halves, measured once', halfSets('report'), [judgeAlone, chosen]);

// Cost: embedding afresh, 40 passages spread over the labels and 20 questions.
const passages = [...new Set(allLabels.map((label) => contexts.get(label.id) as string))];
const questions = [...new Set(allLabels.map((label) => label.question))];
const spread = <T>(items: readonly T[], count: number) =>
  items.filter((_, index) => index % Math.max(1, Math.floor(items.length / count)) === 0).slice(0, count);
function cpuPerText(texts: readonly string[]): number[] {
  return texts.map((text) => {
    const before = process.cpuUsage();
    encoderNow().encode(text);
    const spent = process.cpuUsage(before);
    return (spent.user + spent.system) / 1000;
  });
}
const quantile = (values: readonly number[], share: number) =>
  [...values].sort((left, right) => left - right)[
    Math.min(values.length - 1, Math.floor(share * values.length))
  ] as number;
const loadBefore = uptime();
const passageCost = cpuPerText(spread(passages, 40));
const questionCost = cpuPerText(spread(questions, 20));
console.log(`\ncost (${loadBefore}; after: ${uptime()})`);
for (const [name, values] of [
  ['passage (location line + statement)', passageCost],
  ['question', questionCost],
] as const)
  console.log(
    `CPU per ${name} embedding: median ${quantile(values, 0.5).toFixed(1)} ms, p90 ${quantile(values, 0.9).toFixed(1)} ms, mean ${(values.reduce((sum, value) => sum + value, 0) / values.length).toFixed(1)} ms over ${values.length}`,
  );
console.log(`${passages.length} distinct passages and ${questions.length} questions in the label sets`);
