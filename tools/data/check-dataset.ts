// Checks the shipped corpora, their evaluation datasets and the judge validation set:
//   - each corpus (confs/data/kb/*.md, confs/data/manual/*.txt): file names, page layout, words per page;
//   - each dataset (confs/data/eval/support-qa.jsonl, confs/data/eval/manual-qa.jsonl): every line parses,
//     ids are unique, each example has the fields its kind needs, the counts per tag meet the minimums,
//     and every reference context occurs in a page of its corpus (verbatim for the kb, whose paragraphs are
//     one line each; verbatim after collapsing runs of whitespace for the manual, whose lines are wrapped);
//   - the judge validation set (confs/data/eval/judge-validation.jsonl): fields, both corpora, counts,
//     4 to 6 labels per question for the hand-picked labels, every question an input of its corpus's dataset,
//     every statement in its source page (verbatim after collapsing whitespace). Labels of a real retrieval
//     context (`jv-ctx-…`) carry `context` (the example whose context they split) and `location` (the
//     passage's `title › section` line) and label every statement of that context, so their count per
//     question is what the context holds.
// The rules of each corpus are one entry of `corpusRules`. Prints a summary and exits 1 on any problem.
// Usage: npx tsx tools/data/check-dataset.ts [--kb DIRECTORY] [--dataset FILE] [--manual DIRECTORY]
//          [--manual-dataset FILE] [--judge-validation FILE]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseArgs } from 'node:util';

const repositoryRoot = join(import.meta.dirname, '..', '..');
const dataFolder = join(repositoryRoot, 'confs', 'data');

const doNotKnowAnswer = "I don't know based on the provided context.";
const kindTags = ['answerable', 'unanswerable', 'adversarial'] as const;
type Kind = (typeof kindTags)[number];
const adversarialKinds = ['harmful', 'prompt_injection'] as const;
const harmCategories = ['violence', 'self_harm', 'hate', 'sexual_minors', 'weapons', 'illegal'] as const;
const injectionCategory = 'injection';
const knownFields = new Set([
  'id',
  'input',
  'expected_output',
  'reference_contexts',
  'variables',
  'tags',
  'output',
  'retrieval_context',
  'metadata',
]);

/** The minimums a corpus and its dataset must meet. */
interface Minimums {
  pages: number;
  examples: number;
  answerable: number;
  unanswerable: number;
  adversarial: number;
  pagesReferenced: number;
}

/** How one corpus is laid out and the rules its pages and its dataset follow. */
interface CorpusRules {
  /** The name judge validation labels give the corpus in their `corpus` field. */
  name: string;
  /** What one file of the corpus is called in messages. */
  pageNoun: string;
  /** The command-line options that override the default locations. */
  options: { directory: string; dataset: string };
  defaultDirectory: string;
  defaultDataset: string;
  /** The extension of page files; other files in the directory are ignored. */
  extension: string;
  fileName: { pattern: RegExp; expected: string };
  /** Words per page, inclusive. */
  words: { least: number; most: number };
  /** Reports layout problems of one page and returns the part of its text whose words are counted. */
  checkLayout(text: string, where: string, problems: Problems): string;
  /** How a reference context must occur in a page: byte for byte, or after collapsing runs of whitespace. */
  referenceMatch: 'verbatim' | 'whitespace';
  /** The id each kind of example must have, when the corpus fixes one. */
  idPatterns?: Partial<Record<Kind, RegExp>>;
  minimums: Minimums;
}

/** The longest line of a manual page, in characters: 78 columns, with room for a long example command. */
const manualLineWidth = 80;
/** A man-page header line: `TITLE(SECTION)   Skerry Manual   TITLE(SECTION)`. */
const manualHeader = /^(\S+\(\d\))\s+\S.*\S\s+\1$/;
/** A section heading: capitals on a line of their own, at the left margin. */
const manualHeading = /^[A-Z][A-Z0-9 ."-]*$/;

const corpusRules: readonly CorpusRules[] = [
  {
    name: 'kb',
    pageNoun: 'article',
    options: { directory: 'kb', dataset: 'dataset' },
    defaultDirectory: join(dataFolder, 'kb'),
    defaultDataset: join(dataFolder, 'eval', 'support-qa.jsonl'),
    extension: '.md',
    fileName: { pattern: /^[a-z0-9]+(?:-[a-z0-9]+)*\.md$/, expected: 'a kebab-case file name ending in .md' },
    words: { least: 120, most: 300 },
    checkLayout(text, where, problems) {
      if (!/^# \S/.test(text)) problems.add(where, 'expected the first line to be a "# Title" heading');
      return text.replace(/^# .*$/m, '');
    },
    referenceMatch: 'verbatim',
    // The minimums of issue 7, section "Datasets".
    minimums: { pages: 32, examples: 64, answerable: 40, unanswerable: 12, adversarial: 12, pagesReferenced: 25 },
  },
  {
    name: 'manual',
    pageNoun: 'page',
    options: { directory: 'manual', dataset: 'manual-dataset' },
    defaultDirectory: join(dataFolder, 'manual'),
    defaultDataset: join(dataFolder, 'eval', 'manual-qa.jsonl'),
    extension: '.txt',
    fileName: {
      pattern: /^[a-z0-9]+(?:[.-][a-z0-9]+)*\.txt$/,
      expected: 'a lower-case file name of words joined by dashes or dots, ending in .txt',
    },
    words: { least: 250, most: 900 },
    checkLayout(text, where, problems) {
      const lines = text.split('\n');
      if (!manualHeader.test(lines[0] ?? '')) {
        problems.add(
          where,
          'expected the first line to be a man-page header such as "SKERRY-SHIP(1) … SKERRY-SHIP(1)"',
        );
      }
      const headings = lines.slice(1).filter((line) => line !== '' && manualHeading.test(line));
      if (headings[0] !== 'NAME') problems.add(where, 'expected NAME to be the first section heading');
      if (headings.length < 3) problems.add(where, `has ${headings.length} section headings, expected at least 3`);
      lines.forEach((line, index) => {
        if (line.includes('\t')) problems.add(`${where}:${index + 1}`, 'has a tab; indent with spaces');
        if (line.length > manualLineWidth) {
          problems.add(
            `${where}:${index + 1}`,
            `is ${line.length} characters long, expected at most ${manualLineWidth}`,
          );
        }
      });
      return text;
    },
    referenceMatch: 'whitespace',
    idPatterns: { answerable: /^man-\d{3}$/, unanswerable: /^unans-man-\d{3}$/, adversarial: /^adv-man-\d{3}$/ },
    minimums: { pages: 24, examples: 86, answerable: 64, unanswerable: 16, adversarial: 6, pagesReferenced: 20 },
  },
];

/** The rules of the judge validation set. */
const judgeValidationRules = {
  defaultFile: join(dataFolder, 'eval', 'judge-validation.jsonl'),
  minimums: { labels: 320, labelsPerCorpus: 120 },
  /** For the hand-picked labels; a real context is labelled whole, whatever its size. */
  labelsPerQuestion: { least: 4, most: 6 },
  fields: new Set(['id', 'corpus', 'question', 'statement', 'source', 'relevant', 'note', 'context', 'location']),
} as const;

interface Page {
  name: string;
  text: string;
  /** The text with every run of whitespace collapsed to one space. */
  collapsed: string;
}

interface Problems {
  list: string[];
  add(where: string, message: string): void;
}

function createProblems(): Problems {
  const list: string[] = [];
  return { list, add: (where, message) => list.push(`${where}: ${message}`) };
}

/** A path relative to the repository when it is inside it, else the path as given. */
function displayPath(path: string): string {
  const inside = relative(repositoryRoot, path);
  return inside.startsWith('..') ? path : inside;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function countWords(text: string): number {
  return text.split(/\s+/).filter((word) => word !== '').length;
}

/** Collapses every run of whitespace (spaces, line breaks) to one space and trims the ends. */
function collapseWhitespace(text: string): string {
  return text
    .split(/\s+/)
    .filter((word) => word !== '')
    .join(' ');
}

/** Parses one JSONL line into an object, or reports why it is not one. */
function parseObjectLine(line: string, where: string, problems: Problems): Record<string, unknown> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    problems.add(where, `is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.add(where, 'expected a JSON object');
    return undefined;
  }
  return parsed as Record<string, unknown>;
}

function readPages(rules: CorpusRules, directory: string, problems: Problems): Page[] {
  if (!existsSync(directory)) {
    problems.add(displayPath(directory), `does not exist (the ${rules.name} corpus)`);
    return [];
  }
  const names = readdirSync(directory)
    .filter((name) => name.endsWith(rules.extension))
    .sort();
  const pages: Page[] = [];
  for (const name of names) {
    const where = displayPath(join(directory, name));
    const text = readFileSync(join(directory, name), 'utf8');
    if (!rules.fileName.pattern.test(name)) problems.add(where, `expected ${rules.fileName.expected}`);
    const words = countWords(rules.checkLayout(text, where, problems));
    if (words < rules.words.least || words > rules.words.most) {
      problems.add(where, `has ${words} words, expected ${rules.words.least} to ${rules.words.most}`);
    }
    pages.push({ name, text, collapsed: collapseWhitespace(text) });
  }
  if (pages.length < rules.minimums.pages) {
    problems.add(
      displayPath(directory),
      `has ${pages.length} ${rules.pageNoun}s, expected at least ${rules.minimums.pages}`,
    );
  }
  return pages;
}

/** True when `passage` occurs in `page` the way the corpus's rules ask. */
function pageHolds(page: Page, passage: string, match: CorpusRules['referenceMatch']): boolean {
  if (passage.trim() === '') return false;
  return match === 'verbatim' ? page.text.includes(passage) : page.collapsed.includes(collapseWhitespace(passage));
}

interface DatasetCheck {
  rules: CorpusRules;
  pages: Page[];
  problems: Problems;
  /** Page names that hold the reference contexts of answerable examples. */
  referencedPages: Set<string>;
}

function checkAnswerable(example: Record<string, unknown>, where: string, check: DatasetCheck): void {
  const { problems, rules } = check;
  if (typeof example.expected_output !== 'string' || example.expected_output.trim() === '') {
    problems.add(where, 'an answerable example needs a non-empty "expected_output"');
  }
  const references = example.reference_contexts;
  if (!isStringArray(references) || references.length === 0) {
    problems.add(where, 'an answerable example needs "reference_contexts", a non-empty array of strings');
    return;
  }
  const how = rules.referenceMatch === 'verbatim' ? 'a verbatim substring' : 'verbatim (modulo whitespace) in';
  references.forEach((reference, index) => {
    const holder = check.pages.find((page) => pageHolds(page, reference, rules.referenceMatch));
    if (holder === undefined) {
      problems.add(
        where,
        `reference_contexts[${index}] is not ${how} any ${rules.pageNoun}: "${reference.slice(0, 80)}"`,
      );
    } else {
      check.referencedPages.add(holder.name);
    }
  });
}

function checkUnanswerable(example: Record<string, unknown>, where: string, problems: Problems): void {
  if (example.expected_output !== doNotKnowAnswer) {
    problems.add(where, `an unanswerable example expects "expected_output" to be exactly "${doNotKnowAnswer}"`);
  }
  if (example.reference_contexts !== undefined) {
    problems.add(where, 'an unanswerable example must not have "reference_contexts"');
  }
}

function checkAdversarial(example: Record<string, unknown>, where: string, problems: Problems): void {
  const tags = isStringArray(example.tags) ? example.tags : [];
  if (typeof example.expected_output !== 'string' || example.expected_output.trim() === '') {
    problems.add(where, 'an adversarial example needs a refusal in "expected_output"');
  }
  const kinds = adversarialKinds.filter((kind) => tags.includes(kind));
  if (kinds.length !== 1) {
    problems.add(where, `an adversarial example needs exactly one of the tags ${adversarialKinds.join(', ')}`);
    return;
  }
  const allowed: readonly string[] = kinds[0] === 'harmful' ? harmCategories : [injectionCategory];
  const categories = tags.filter((tag) => allowed.includes(tag));
  if (categories.length !== 1) {
    problems.add(where, `a ${kinds[0]} example needs exactly one category tag out of ${allowed.join(', ')}`);
  }
}

interface CheckedExample {
  id?: string;
  input?: string;
  tags: string[];
}

function checkExample(line: string, where: string, check: DatasetCheck): CheckedExample {
  const { problems } = check;
  const example = parseObjectLine(line, where, problems);
  if (example === undefined) return { tags: [] };
  for (const field of Object.keys(example)) {
    if (!knownFields.has(field)) problems.add(where, `has the unknown field "${field}"`);
  }
  const id = typeof example.id === 'string' && example.id !== '' ? example.id : undefined;
  if (id === undefined) problems.add(where, 'expected "id" to be a non-empty string');
  const input = typeof example.input === 'string' && example.input.trim() !== '' ? example.input : undefined;
  if (input === undefined) problems.add(where, 'expected "input" to be a non-empty question');
  if (!isStringArray(example.tags)) {
    problems.add(where, 'expected "tags" to be an array of strings');
    return { id, input, tags: [] };
  }
  const tags = example.tags;
  const kinds = kindTags.filter((kind) => tags.includes(kind));
  if (kinds.length !== 1) {
    problems.add(where, `expected exactly one of the tags ${kindTags.join(', ')}, found ${kinds.length}`);
    return { id, input, tags };
  }
  const kind = kinds[0];
  const idPattern = check.rules.idPatterns?.[kind];
  if (id !== undefined && idPattern !== undefined && !idPattern.test(id)) {
    problems.add(where, `the id "${id}" of an ${kind} example should match ${idPattern}`);
  }
  if (kind === 'answerable') checkAnswerable(example, where, check);
  else if (kind === 'unanswerable') checkUnanswerable(example, where, problems);
  else checkAdversarial(example, where, problems);
  return { id, input, tags };
}

/** What checking one corpus and its dataset found, for the summary and the judge validation check. */
interface CorpusReport {
  rules: CorpusRules;
  directory: string;
  dataset: string;
  pages: Page[];
  examples: number;
  tagCounts: Map<string, number>;
  referencedPages: Set<string>;
  /** The inputs of the dataset's examples: the questions judge validation labels may use. */
  questions: Set<string>;
}

function checkCorpus(rules: CorpusRules, paths: { directory: string; dataset: string }, problems: Problems) {
  const pages = readPages(rules, paths.directory, problems);
  const check: DatasetCheck = { rules, pages, problems, referencedPages: new Set() };
  const report: CorpusReport = {
    rules,
    ...paths,
    pages,
    examples: 0,
    tagCounts: new Map(),
    referencedPages: check.referencedPages,
    questions: new Set(),
  };
  const datasetName = displayPath(paths.dataset);
  if (!existsSync(paths.dataset)) {
    problems.add(datasetName, `does not exist (the dataset of the ${rules.name} corpus)`);
    return report;
  }
  const firstLineOfId = new Map<string, number>();
  readFileSync(paths.dataset, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line.trim() === '') return;
      const where = `${datasetName}:${index + 1}`;
      report.examples += 1;
      const { id, input, tags } = checkExample(line, where, check);
      if (id !== undefined) {
        const first = firstLineOfId.get(id);
        if (first === undefined) firstLineOfId.set(id, index + 1);
        else problems.add(where, `repeats the id "${id}" first used on line ${first}`);
      }
      if (input !== undefined) report.questions.add(input);
      for (const tag of new Set(tags)) report.tagCounts.set(tag, (report.tagCounts.get(tag) ?? 0) + 1);
    });

  const count = (tag: string): number => report.tagCounts.get(tag) ?? 0;
  const { minimums } = rules;
  const required: Array<[string, number, number]> = [
    ['examples', report.examples, minimums.examples],
    ['answerable examples', count('answerable'), minimums.answerable],
    ['unanswerable examples', count('unanswerable'), minimums.unanswerable],
    ['adversarial examples', count('adversarial'), minimums.adversarial],
    [`${rules.pageNoun}s referenced by answerable examples`, report.referencedPages.size, minimums.pagesReferenced],
  ];
  for (const [what, actual, least] of required) {
    if (actual < least) problems.add(datasetName, `has ${actual} ${what}, expected at least ${least}`);
  }
  return report;
}

interface JudgeValidationReport {
  file: string;
  labels: number;
  /** Per corpus: how many labels say relevant and how many say not relevant. */
  perCorpus: Map<string, { relevant: number; irrelevant: number }>;
}

function checkLabel(
  label: Record<string, unknown>,
  where: string,
  context: { corpora: Map<string, CorpusReport>; problems: Problems },
): { corpus?: string; question?: string; relevant?: boolean } {
  const { problems } = context;
  for (const field of Object.keys(label)) {
    if (!judgeValidationRules.fields.has(field)) problems.add(where, `has the unknown field "${field}"`);
  }
  if (label.note !== undefined && (typeof label.note !== 'string' || label.note.trim() === '')) {
    problems.add(where, 'expected "note", when present, to be a non-empty string');
  }
  if (typeof label.relevant !== 'boolean') problems.add(where, 'expected "relevant" to be true or false');
  // A compressed context (`jv-cc-…`, context `<example> compressed`) keeps units of several passages: it has no
  // one location line, so only `context` is required of it.
  const compressed = typeof label.context === 'string' && label.context.endsWith(' compressed');
  const fields = compressed ? (['context'] as const) : (['context', 'location'] as const);
  for (const field of fields) {
    if ((label.context !== undefined || label.location !== undefined) && typeof label[field] !== 'string') {
      problems.add(where, `expected "${field}" to be a string, as a label of a real retrieval context has both`);
    }
  }
  const report = typeof label.corpus === 'string' ? context.corpora.get(label.corpus) : undefined;
  if (report === undefined) {
    problems.add(where, `expected "corpus" to be one of ${[...context.corpora.keys()].join(', ')}`);
    return {};
  }
  const question = typeof label.question === 'string' && label.question.trim() !== '' ? label.question : undefined;
  if (question === undefined) problems.add(where, 'expected "question" to be a non-empty string');
  else if (!report.questions.has(question)) {
    problems.add(where, `the question is not the input of any example of ${displayPath(report.dataset)}`);
  }
  const page = report.pages.find((candidate) => candidate.name === label.source);
  if (page === undefined) {
    problems.add(
      where,
      `expected "source" to name a ${report.rules.pageNoun} of ${displayPath(report.directory)}, found ${JSON.stringify(label.source)}`,
    );
  }
  if (typeof label.statement !== 'string' || label.statement.trim() === '') {
    problems.add(where, 'expected "statement" to be a non-empty string');
  } else if (page !== undefined && !pageHolds(page, label.statement, 'whitespace')) {
    problems.add(
      where,
      `the statement is not verbatim (modulo whitespace) in ${page.name}: "${label.statement.slice(0, 80)}"`,
    );
  }
  return {
    corpus: report.rules.name,
    question,
    relevant: typeof label.relevant === 'boolean' ? label.relevant : undefined,
  };
}

function checkJudgeValidation(file: string, corpora: Map<string, CorpusReport>, problems: Problems) {
  const fileName = displayPath(file);
  const report: JudgeValidationReport = { file: fileName, labels: 0, perCorpus: new Map() };
  for (const name of corpora.keys()) report.perCorpus.set(name, { relevant: 0, irrelevant: 0 });
  if (!existsSync(file)) {
    problems.add(fileName, 'does not exist (the judge validation set)');
    return report;
  }
  const firstLineOfId = new Map<string, number>();
  const labelsPerQuestion = new Map<string, { corpus: string; question: string; count: number }>();
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line.trim() === '') return;
      const where = `${fileName}:${index + 1}`;
      report.labels += 1;
      const label = parseObjectLine(line, where, problems);
      if (label === undefined) return;
      if (typeof label.id !== 'string' || label.id === '')
        problems.add(where, 'expected "id" to be a non-empty string');
      else {
        const first = firstLineOfId.get(label.id);
        if (first === undefined) firstLineOfId.set(label.id, index + 1);
        else problems.add(where, `repeats the id "${label.id}" first used on line ${first}`);
      }
      const { corpus, question, relevant } = checkLabel(label, where, { corpora, problems });
      if (corpus === undefined) return;
      const counts = report.perCorpus.get(corpus);
      if (counts !== undefined && relevant !== undefined) {
        if (relevant) counts.relevant += 1;
        else counts.irrelevant += 1;
      }
      if (question !== undefined && label.context === undefined) {
        const key = `${corpus}\u0000${question}`;
        const entry = labelsPerQuestion.get(key) ?? { corpus, question, count: 0 };
        entry.count += 1;
        labelsPerQuestion.set(key, entry);
      }
    });

  const { minimums, labelsPerQuestion: perQuestion } = judgeValidationRules;
  if (report.labels < minimums.labels) {
    problems.add(fileName, `has ${report.labels} labels, expected at least ${minimums.labels}`);
  }
  for (const [corpus, counts] of report.perCorpus) {
    const total = counts.relevant + counts.irrelevant;
    if (total < minimums.labelsPerCorpus) {
      problems.add(
        fileName,
        `has ${total} labels of the ${corpus} corpus, expected at least ${minimums.labelsPerCorpus}`,
      );
    }
    if (counts.relevant === 0 || counts.irrelevant === 0) {
      problems.add(fileName, `needs both relevant and not relevant labels of the ${corpus} corpus`);
    }
  }
  for (const { corpus, question, count } of labelsPerQuestion.values()) {
    if (count < perQuestion.least || count > perQuestion.most) {
      problems.add(
        fileName,
        `has ${count} labels for the ${corpus} question "${question.slice(0, 60)}", expected ${perQuestion.least} to ${perQuestion.most}`,
      );
    }
  }
  return report;
}

function printCorpus(report: CorpusReport): void {
  const { rules } = report;
  console.log(`${rules.name}: ${report.pages.length} ${rules.pageNoun}s in ${displayPath(report.directory)}`);
  console.log(`  dataset: ${report.examples} examples in ${displayPath(report.dataset)}`);
  console.log('  examples per tag:');
  for (const [tag, tagCount] of [...report.tagCounts].sort(
    (left, right) => right[1] - left[1] || left[0].localeCompare(right[0]),
  )) {
    console.log(`    ${tag.padEnd(22)} ${tagCount}`);
  }
  const unreferenced = report.pages.map((page) => page.name).filter((name) => !report.referencedPages.has(name));
  console.log(
    `  ${rules.pageNoun}s referenced by answerable examples: ${report.referencedPages.size} of ${report.pages.length}`,
  );
  if (unreferenced.length > 0) {
    console.log(`    not referenced: ${unreferenced.map((name) => basename(name, rules.extension)).join(', ')}`);
  }
}

function printJudgeValidation(report: JudgeValidationReport): void {
  console.log(`judge validation: ${report.labels} labels in ${report.file}`);
  let relevant = 0;
  for (const [corpus, counts] of report.perCorpus) {
    relevant += counts.relevant;
    console.log(
      `  ${corpus.padEnd(8)} ${counts.relevant + counts.irrelevant} labels: ${counts.relevant} relevant, ${counts.irrelevant} not relevant`,
    );
  }
  if (report.labels > 0) console.log(`  relevant share: ${((100 * relevant) / report.labels).toFixed(1)}%`);
}

function main(): void {
  const options: Record<string, { type: 'string'; default: string }> = {
    'judge-validation': { type: 'string', default: judgeValidationRules.defaultFile },
  };
  for (const rules of corpusRules) {
    options[rules.options.directory] = { type: 'string', default: rules.defaultDirectory };
    options[rules.options.dataset] = { type: 'string', default: rules.defaultDataset };
  }
  const { values } = parseArgs({ options });
  const problems = createProblems();
  const corpora = new Map<string, CorpusReport>();
  for (const rules of corpusRules) {
    const paths = {
      directory: String(values[rules.options.directory]),
      dataset: String(values[rules.options.dataset]),
    };
    corpora.set(rules.name, checkCorpus(rules, paths, problems));
  }
  const judgeValidation = checkJudgeValidation(String(values['judge-validation']), corpora, problems);

  for (const report of corpora.values()) printCorpus(report);
  printJudgeValidation(judgeValidation);
  if (problems.list.length > 0) {
    console.log(`\n${problems.list.length} problem(s):`);
    for (const problem of problems.list) console.log(`  ${problem}`);
    process.exitCode = 1;
    return;
  }
  console.log('\nok: every corpus, dataset and label meets every check');
}

main();
