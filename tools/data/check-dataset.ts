// Checks the shipped RAG corpus (confs/data/kb/*.md) and evaluation dataset (confs/data/eval/support-qa.jsonl):
// every line parses, ids are unique, each example has the fields its kind needs, the counts per tag meet
// the minimums, and every reference context is a verbatim substring of a knowledge base article.
// Prints a summary and exits 1 on any problem.
// Usage: npx tsx tools/data/check-dataset.ts [--kb DIRECTORY] [--dataset FILE]
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseArgs } from 'node:util';

const repositoryRoot = join(import.meta.dirname, '..', '..');

/** The minimums the dataset must meet (issue 7, section "Datasets"). */
const minimums = {
  articles: 32,
  examples: 64,
  answerable: 40,
  unanswerable: 12,
  adversarial: 12,
  articlesReferenced: 25,
} as const;

/** Words per knowledge base article, inclusive. */
const articleWords = { least: 120, most: 300 } as const;

const doNotKnowAnswer = "I don't know based on the provided context.";
const kindTags = ['answerable', 'unanswerable', 'adversarial'] as const;
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
const kebabCaseMarkdown = /^[a-z0-9]+(?:-[a-z0-9]+)*\.md$/;

interface Article {
  name: string;
  text: string;
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

function readArticles(directory: string, problems: Problems): Article[] {
  const names = readdirSync(directory)
    .filter((name) => name.endsWith('.md'))
    .sort();
  const articles: Article[] = [];
  for (const name of names) {
    const where = displayPath(join(directory, name));
    const text = readFileSync(join(directory, name), 'utf8');
    if (!kebabCaseMarkdown.test(name)) problems.add(where, 'expected a kebab-case file name ending in .md');
    if (!/^# \S/.test(text)) problems.add(where, 'expected the first line to be a "# Title" heading');
    const words = countWords(text.replace(/^# .*$/m, ''));
    if (words < articleWords.least || words > articleWords.most) {
      problems.add(where, `has ${words} words, expected ${articleWords.least} to ${articleWords.most}`);
    }
    articles.push({ name, text });
  }
  if (articles.length < minimums.articles) {
    problems.add(displayPath(directory), `has ${articles.length} articles, expected at least ${minimums.articles}`);
  }
  return articles;
}

interface CheckContext {
  articles: Article[];
  problems: Problems;
  /** Article names that hold the reference contexts of answerable examples. */
  referencedArticles: Set<string>;
}

function checkAnswerable(example: Record<string, unknown>, where: string, context: CheckContext): void {
  const { problems } = context;
  if (typeof example.expected_output !== 'string' || example.expected_output.trim() === '') {
    problems.add(where, 'an answerable example needs a non-empty "expected_output"');
  }
  const references = example.reference_contexts;
  if (!isStringArray(references) || references.length === 0) {
    problems.add(where, 'an answerable example needs "reference_contexts", a non-empty array of strings');
    return;
  }
  references.forEach((reference, index) => {
    const holder = context.articles.find((article) => reference.trim() !== '' && article.text.includes(reference));
    if (holder === undefined) {
      problems.add(
        where,
        `reference_contexts[${index}] is not a verbatim substring of any article: "${reference.slice(0, 80)}"`,
      );
    } else {
      context.referencedArticles.add(holder.name);
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

function checkExample(line: string, where: string, context: CheckContext): { id?: string; tags: string[] } {
  const { problems } = context;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    problems.add(where, `is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    return { tags: [] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.add(where, 'expected a JSON object');
    return { tags: [] };
  }
  const example = parsed as Record<string, unknown>;
  for (const field of Object.keys(example)) {
    if (!knownFields.has(field)) problems.add(where, `has the unknown field "${field}"`);
  }
  const id = typeof example.id === 'string' && example.id !== '' ? example.id : undefined;
  if (id === undefined) problems.add(where, 'expected "id" to be a non-empty string');
  if (typeof example.input !== 'string' || example.input.trim() === '') {
    problems.add(where, 'expected "input" to be a non-empty question');
  }
  if (!isStringArray(example.tags)) {
    problems.add(where, 'expected "tags" to be an array of strings');
    return { id, tags: [] };
  }
  const tags = example.tags;
  const kinds = kindTags.filter((kind) => tags.includes(kind));
  if (kinds.length !== 1) {
    problems.add(where, `expected exactly one of the tags ${kindTags.join(', ')}, found ${kinds.length}`);
  } else if (kinds[0] === 'answerable') {
    checkAnswerable(example, where, context);
  } else if (kinds[0] === 'unanswerable') {
    checkUnanswerable(example, where, problems);
  } else {
    checkAdversarial(example, where, problems);
  }
  return { id, tags };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      kb: {
        type: 'string',
        default: join(repositoryRoot, 'confs', 'data', 'kb'),
      },
      dataset: {
        type: 'string',
        default: join(repositoryRoot, 'confs', 'data', 'eval', 'support-qa.jsonl'),
      },
    },
  });
  const problems = createProblems();
  const articles = readArticles(values.kb, problems);
  const context: CheckContext = {
    articles,
    problems,
    referencedArticles: new Set(),
  };
  const datasetName = displayPath(values.dataset);
  const lines = readFileSync(values.dataset, 'utf8').split('\n');
  const firstLineOfId = new Map<string, number>();
  const tagCounts = new Map<string, number>();
  let examples = 0;
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${datasetName}:${index + 1}`;
    examples += 1;
    const { id, tags } = checkExample(line, where, context);
    if (id !== undefined) {
      const first = firstLineOfId.get(id);
      if (first === undefined) firstLineOfId.set(id, index + 1);
      else problems.add(where, `repeats the id "${id}" first used on line ${first}`);
    }
    for (const tag of new Set(tags)) tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + 1);
  });

  const count = (tag: string): number => tagCounts.get(tag) ?? 0;
  const required: Array<[string, number, number]> = [
    ['examples', examples, minimums.examples],
    ['answerable examples', count('answerable'), minimums.answerable],
    ['unanswerable examples', count('unanswerable'), minimums.unanswerable],
    ['adversarial examples', count('adversarial'), minimums.adversarial],
    ['articles referenced by answerable examples', context.referencedArticles.size, minimums.articlesReferenced],
  ];
  for (const [what, actual, least] of required) {
    if (actual < least) problems.add(datasetName, `has ${actual} ${what}, expected at least ${least}`);
  }

  console.log(`knowledge base: ${articles.length} articles in ${displayPath(values.kb)}`);
  console.log(`dataset: ${examples} examples in ${datasetName}`);
  console.log('examples per tag:');
  for (const [tag, tagCount] of [...tagCounts].sort(
    (left, right) => right[1] - left[1] || left[0].localeCompare(right[0]),
  )) {
    console.log(`  ${tag.padEnd(22)} ${tagCount}`);
  }
  const unreferenced = articles.map((article) => article.name).filter((name) => !context.referencedArticles.has(name));
  console.log(`articles referenced by answerable examples: ${context.referencedArticles.size} of ${articles.length}`);
  if (unreferenced.length > 0)
    console.log(`  not referenced: ${unreferenced.map((name) => basename(name, '.md')).join(', ')}`);
  if (problems.list.length > 0) {
    console.log(`\n${problems.list.length} problem(s):`);
    for (const problem of problems.list) console.log(`  ${problem}`);
    process.exitCode = 1;
    return;
  }
  console.log('\nok: the dataset meets every check');
}

main();
