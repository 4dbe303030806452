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
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { areaUnderRoc, contextualRelevancyScore, OfflineHeuristicJudge } from '@llmops/evaluation';
import type { StatementVerdict } from '@llmops/evaluation';
import { inDevelopHalfOfLine } from '../answerer/answer-bench-data.js';
import { questionContexts, statementHash } from './context-statements.js';

const workspace = resolve(import.meta.dirname, '..', '..', '..');
const labelSchema = z.object({
  id: z.string(),
  corpus: z.enum(['kb', 'manual', 'realman']),
  question: z.string(),
  statement: z.string(),
  source: z.string(),
  relevant: z.boolean(),
  note: z.string().optional(),
  /** The example whose real retrieval context this statement comes from (`jv-ctx-…` labels only). */
  context: z.string().optional(),
  /** The passage's `title › section` line as the pipeline gave it (`jv-ctx-…` labels only; may be empty). */
  location: z.string().optional(),
});
type Label = z.infer<typeof labelSchema>;

const labels: Label[] = readFileSync(resolve(workspace, 'confs/data/eval/judge-validation.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line, index) => {
    const parsed = labelSchema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`judge-validation.jsonl line ${index + 1}: ${parsed.error.message}`);
    return parsed.data;
  });

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A page's lines, with the offset of each line's first character in the whitespace-collapsed page. */
interface Page {
  lines: string[];
  collapsed: string;
  lineStarts: number[];
}

const pages = new Map<string, Page>();
function page(label: Label): Page {
  const path = resolve(workspace, 'confs/data', label.corpus, label.source);
  const cached = pages.get(path);
  if (cached) return cached;
  const lines = readFileSync(path, 'utf8').split('\n');
  let collapsed = '';
  const lineStarts: number[] = [];
  for (const line of lines) {
    const clean = collapse(line);
    if (clean !== '' && collapsed !== '') collapsed += ' ';
    lineStarts.push(collapsed.length);
    collapsed += clean;
  }
  const loaded = { lines, collapsed, lineStarts };
  pages.set(path, loaded);
  return loaded;
}

function lineOf(source: Page, statement: string, where: string): number {
  const offset = source.collapsed.indexOf(collapse(statement));
  if (offset < 0) throw new Error(`${where}: statement not found in its source`);
  let line = 0;
  while (line + 1 < source.lineStarts.length && (source.lineStarts[line + 1] as number) <= offset) line += 1;
  // An empty line shares its offset with the next line: step to the line holding text.
  while (source.lines[line]?.trim() === '' && line + 1 < source.lines.length) line += 1;
  return line;
}

const indent = (line: string) => line.match(/^ */)?.[0].length ?? 0;
const isHeading = (line: string) => /^[A-Z][A-Z0-9 ,.'()/&-]*$/.test(line.trimEnd()) && indent(line) === 0;

/** The man-page location: title from the NAME line, section the capitals heading above, plus the entry's term. */
function manualLocation(source: Page, line: number): string {
  const nameAt = source.lines.findIndex((text) => text.trim() === 'NAME');
  const nameLine = source.lines[nameAt + 1] ?? '';
  const title = collapse(nameLine).split(' - ')[0] ?? '';
  let headingAt = line;
  while (headingAt > 0 && !isHeading(source.lines[headingAt] as string)) headingAt -= 1;
  const section = source.lines[headingAt]?.trim() ?? '';
  const path = [title, section];
  const here = source.lines[line] as string;
  let termAt = -1;
  if (indent(here) >= 14) {
    termAt = line;
    while (termAt > headingAt && (indent(source.lines[termAt] as string) >= 14 || source.lines[termAt]?.trim() === ''))
      termAt -= 1;
  } else if (indent(here) === 7 && indent(source.lines[line + 1] ?? '') >= 14) termAt = line;
  else if (/^ {7}\S+(?: \S+)*? {2,}\S/.test(here)) termAt = line;
  if (termAt > headingAt && indent(source.lines[termAt] as string) === 7) {
    const term = (source.lines[termAt] as string).trim().split(/\s{2,}/)[0] as string;
    path.push(term);
  }
  return path.filter((part) => part !== '').join(' › ');
}

/** The Markdown location: the `# ` title, and the nearest `## ` heading above when there is one. */
function markdownLocation(source: Page, line: number): string {
  const title = (source.lines.find((text) => text.startsWith('# ')) ?? '').slice(2).trim();
  let headingAt = line;
  while (headingAt >= 0 && !/^##\s/.test(source.lines[headingAt] as string)) headingAt -= 1;
  const section = headingAt >= 0 ? (source.lines[headingAt] as string).replace(/^#+\s*/, '').trim() : '';
  return [title, section].filter((part) => part !== '').join(' › ');
}

/** The statement as the pipeline gives it to evaluation: the location line, then the text. */
function contextOf(label: Label): string {
  if (label.location !== undefined)
    return label.location === '' ? label.statement : `${label.location}\n${label.statement}`;
  const source = page(label);
  const line = lineOf(source, label.statement, label.id);
  const location = label.corpus === 'kb' ? markdownLocation(source, line) : manualLocation(source, line);
  return location === '' ? label.statement : `${location}\n${label.statement}`;
}

function ranks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((left, right) => left.value - right.value);
  const result = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]?.value === order[start]?.value) end += 1;
    for (let position = start; position <= end; position += 1)
      result[(order[position] as { index: number }).index] = (start + end) / 2 + 1;
    start = end + 1;
  }
  return result;
}

function pearson(left: readonly number[], right: readonly number[]): number | null {
  const count = left.length;
  const meanLeft = left.reduce((sum, value) => sum + value, 0) / count;
  const meanRight = right.reduce((sum, value) => sum + value, 0) / count;
  let covariance = 0;
  let varianceLeft = 0;
  let varianceRight = 0;
  for (let index = 0; index < count; index += 1) {
    const deltaLeft = (left[index] as number) - meanLeft;
    const deltaRight = (right[index] as number) - meanRight;
    covariance += deltaLeft * deltaRight;
    varianceLeft += deltaLeft * deltaLeft;
    varianceRight += deltaRight * deltaRight;
  }
  return varianceLeft === 0 || varianceRight === 0 ? null : covariance / Math.sqrt(varianceLeft * varianceRight);
}

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

const contexts = new Map(labels.map((label) => [label.id, contextOf(label)]));

type Half = 'develop' | 'report';

/**
 * The real man pages' halves: the project's fixed split by page (`inDevelopHalfOfLine` of the question's line, keyed
 * by its `page:` tag), so every question of a page falls in one half. Fixed before any of the set was read; judge
 * rules are chosen on its develop half, and its other half (printed as `check`) is reported once.
 */
const realManHalves = new Map<string, Half>();

const realManPageLabelSchema = z.object({
  id: z.string(),
  context: z.string(),
  position: z.number().int().positive(),
  hash: z.string(),
  snippet: z.string(),
  relevant: z.boolean(),
  note: z.string().optional(),
});

/**
 * The real-man-page labels with their statements re-derived from the rendered pages in `directory`: each label's
 * statement is looked up by its hash in its question's context as the improved model builds it today, else among the
 * statements of the corpus's whole passages (retrieval and compression change from one version to the next, the
 * labelled statements do not). A labelled context with a statement found nowhere (other page versions, or a change to
 * chunking or to the statements task) is left out whole, and counted.
 */
async function realManPageLabels(directory: string): Promise<{ labels: Label[]; contexts: number; missing: string[] }> {
  const file = resolve(workspace, 'tools/bench/retrieval/real-man-pages/judge-labels.jsonl');
  const stored = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => realManPageLabelSchema.parse(JSON.parse(line)));
  const index = mkdtempSync(join(tmpdir(), 'judge-validation-'));
  try {
    let wholePassages: ReadonlyMap<string, { statement: string; location: string; source: string }> = new Map();
    const derived = await questionContexts(
      {
        name: 'real-man-pages',
        root: resolve(directory),
        corpus: '.',
        dataset: resolve(workspace, 'tools/bench/retrieval/real-man-pages/questions.jsonl'),
      },
      { indexDirectory: index, wholePassages: (statements) => (wholePassages = statements) },
    );
    const questions = new Map(
      readFileSync(resolve(workspace, 'tools/bench/retrieval/real-man-pages/questions.jsonl'), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as { id: string; input: string; tags: string[] })
        .map((line) => [line.id, line]),
    );
    const byId = new Map(derived.map((context) => [context.id, context]));
    const recovered = stored.map((label) => {
      const inContext = byId
        .get(label.context)
        ?.statements.find((found) => statementHash(found.statement) === label.hash);
      const statement = inContext ?? wholePassages.get(label.hash);
      const question = questions.get(label.context);
      if (!statement || question === undefined) return { label, found: undefined };
      realManHalves.set(label.context, inDevelopHalfOfLine(question) ? 'develop' : 'report');
      const found: Label = {
        id: label.id,
        corpus: 'realman',
        question: question.input,
        statement: statement.statement,
        source: statement.source,
        relevant: label.relevant,
        context: label.context,
        location: statement.location,
      };
      return { label, found };
    });
    const missing = [...new Set(recovered.filter((item) => !item.found).map((item) => item.label.context))];
    const labels = recovered.filter((item) => !missing.includes(item.label.context)).map((item) => item.found as Label);
    return { labels, contexts: new Set(stored.map((label) => label.context)).size, missing };
  } finally {
    rmSync(index, { recursive: true, force: true });
  }
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
for (const label of realManPages) contexts.set(label.id, contextOf(label));

/** What one example's retrieval context is made of: a real context's statements, or a question's hand-picked ones. */
function groupOf(label: Label): string {
  return label.context ?? `${label.corpus}: ${label.question}`;
}

/**
 * Which label set a label belongs to: the hand-picked statements, the real retrieval contexts the judge was developed
 * on (`jv-ctx-…`, compression v1), or the compressed contexts of compression v2 (`jv-cc-…`), labelled by another
 * engineer while judge version 5 was being written, so never seen during its development: both halves are held out.
 */
function setOf(label: Label): 'hand-picked' | 'real' | 'compressed' {
  if (label.context === undefined) return 'hand-picked';
  return label.id.startsWith('jv-cc-') ? 'compressed' : 'real';
}

/**
 * The fixed split: within each corpus and label set, the groups (contexts or questions) in order of their
 * first label's id, alternately to the develop half (1st, 3rd, …) and the report half (2nd, 4th, …). Judge
 * rules are chosen on the develop half only.
 */
const halves = new Map<string, Half>();
for (const corpus of ['kb', 'manual'] as const)
  for (const set of ['hand-picked', 'real', 'compressed'] as const) {
    const firsts = new Map<string, string>();
    for (const label of labels)
      if (label.corpus === corpus && setOf(label) === set && !firsts.has(groupOf(label)))
        firsts.set(groupOf(label), label.id);
    [...firsts.entries()]
      .sort((left, right) => left[1].localeCompare(right[1]))
      .forEach(([group], position) => halves.set(group, position % 2 === 0 ? 'develop' : 'report'));
  }
function halfOf(label: Label): Half {
  if (label.corpus === 'realman') return realManHalves.get(label.context as string) as Half;
  return halves.get(groupOf(label)) as Half;
}

function statementsOf(judge: OfflineHeuristicJudge, passage: string): string[] {
  return (judge.answer({ kind: 'statements', text: passage, purpose: 'statements' }) as { statements: string[] })
    .statements;
}

/** The judge's verdicts on a retrieval context made of these passages, as contextual_relevancy asks them. */
function judgeContext(judge: OfflineHeuristicJudge, question: string, passages: readonly string[]): StatementVerdict[] {
  const statements = passages.flatMap((passage) => statementsOf(judge, passage));
  if (statements.length === 0) return [];
  return (judge.answer({ kind: 'relevance', input: question, statements }) as { verdicts: StatementVerdict[] })
    .verdicts;
}

/**
 * The careful reading's contextual relevancy of a question's context, in the metric's own units: each
 * labelled statement counts once per statement the judge makes of it (an option entry of two sentences
 * counts twice, a heading the judge drops not at all), so both shares are taken over the same statements.
 */
function carefulShare(judge: OfflineHeuristicJudge, group: readonly Label[]): number {
  let relevant = 0;
  let total = 0;
  for (const label of group) {
    const units = statementsOf(judge, contexts.get(label.id) as string).length;
    total += units;
    if (label.relevant) relevant += units;
  }
  return total === 0 ? 0 : relevant / total;
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
