// The labelled statements of the judge-validation bench and how they are grouped and split, shared by
// judge-validation.ts and the judge experiments (tools/bench/evaluation/experiments/): the hand-picked, real-context
// and compressed-context labels of confs/data/eval/judge-validation.jsonl, each with its passage as the pipeline gives
// it ("<title> › <section path>\n<text>"), the real man pages' labels re-derived from the rendered pages, the fixed
// develop / report halves, and the judge's verdicts on a context as contextual_relevancy asks them.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { OfflineHeuristicJudge, StatementVerdict } from '@llmops/evaluation';
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
/** One labelled statement: a question, a statement of the corpus, and the careful reading's verdict. */
export type Label = z.infer<typeof labelSchema>;

/** The labels of confs/data/eval/judge-validation.jsonl (hand-picked, real contexts, compressed contexts). */
export const labels: Label[] = readFileSync(resolve(workspace, 'confs/data/eval/judge-validation.jsonl'), 'utf8')
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
export function contextOf(label: Label): string {
  if (label.location !== undefined)
    return label.location === '' ? label.statement : `${label.location}\n${label.statement}`;
  const source = page(label);
  const line = lineOf(source, label.statement, label.id);
  const location = label.corpus === 'kb' ? markdownLocation(source, line) : manualLocation(source, line);
  return location === '' ? label.statement : `${location}\n${label.statement}`;
}

/** Ranks from 1, ties sharing their mean rank (for Spearman). */
export function ranks(values: readonly number[]): number[] {
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

/** Pearson's correlation; `null` when either side does not vary. */
export function pearson(left: readonly number[], right: readonly number[]): number | null {
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

/** Each label's passage as the pipeline gives it, by label id (the real man pages' once they are loaded). */
export const contexts = new Map(labels.map((label) => [label.id, contextOf(label)]));

/** The fixed halves: rules are chosen on `develop`; `report` (the real man pages' `check`) is reported. */
export type Half = 'develop' | 'report';

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
export async function realManPageLabels(
  directory: string,
): Promise<{ labels: Label[]; contexts: number; missing: string[] }> {
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
    for (const label of labels) contexts.set(label.id, contextOf(label));
    return { labels, contexts: new Set(stored.map((label) => label.context)).size, missing };
  } finally {
    rmSync(index, { recursive: true, force: true });
  }
}

/** What one example's retrieval context is made of: a real context's statements, or a question's hand-picked ones. */
export function groupOf(label: Label): string {
  return label.context ?? `${label.corpus}: ${label.question}`;
}

/**
 * Which label set a label belongs to: the hand-picked statements, the real retrieval contexts the judge was developed
 * on (`jv-ctx-…`, compression v1), or the compressed contexts of compression v2 (`jv-cc-…`), labelled by another
 * engineer while judge version 5 was being written, so never seen during its development: both halves are held out.
 */
export function setOf(label: Label): 'hand-picked' | 'real' | 'compressed' {
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
export function halfOf(label: Label): Half {
  if (label.corpus === 'realman') return realManHalves.get(label.context as string) as Half;
  return halves.get(groupOf(label)) as Half;
}

export function statementsOf(judge: OfflineHeuristicJudge, passage: string): string[] {
  return (judge.answer({ kind: 'statements', text: passage, purpose: 'statements' }) as { statements: string[] })
    .statements;
}

/** The judge's verdicts on a retrieval context made of these passages, as contextual_relevancy asks them. */
export function judgeContext(
  judge: OfflineHeuristicJudge,
  question: string,
  passages: readonly string[],
): StatementVerdict[] {
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
export function carefulShare(judge: OfflineHeuristicJudge, group: readonly Label[]): number {
  let relevant = 0;
  let total = 0;
  for (const label of group) {
    const units = statementsOf(judge, contexts.get(label.id) as string).length;
    total += units;
    if (label.relevant) relevant += units;
  }
  return total === 0 ? 0 : relevant / total;
}
