/**
 * Checks the Tern API corpus's dataset against its pages: every answerable question has reference contexts, a
 * `page:<name>` tag naming a page of docs/, and each reference context found verbatim in that page after
 * collapsing whitespace; every unanswerable question has a `page:` tag naming a page too. Prints each problem and
 * exits 1 when there is one:
 *
 *   npx tsx tools/bench/retrieval/tern-api/check-references.ts
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const folder = import.meta.dirname;
const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

interface Line {
  id: string;
  reference_contexts?: string[];
  tags: string[];
}

const problems: string[] = [];
const lines = readFileSync(join(folder, 'questions.jsonl'), 'utf8').split('\n').filter(Boolean);
lines.forEach((text, index) => {
  const line = JSON.parse(text) as Line;
  const where = `questions.jsonl line ${index + 1} (${line.id})`;
  const page = line.tags.find((tag) => tag.startsWith('page:'))?.slice('page:'.length);
  const file = page === undefined ? undefined : join(folder, 'docs', `${page}.md`);
  if (file === undefined || !existsSync(file)) {
    problems.push(`${where}: expected a page:<name> tag naming a file of docs/, got ${page ?? 'none'}`);
    return;
  }
  if (!line.tags.includes('answerable')) return;
  const pageText = collapse(readFileSync(file, 'utf8'));
  const references = line.reference_contexts ?? [];
  if (references.length === 0) problems.push(`${where}: an answerable question needs reference_contexts`);
  for (const reference of references) {
    if (!pageText.includes(collapse(reference)))
      problems.push(`${where}: not found verbatim in ${page}.md: "${reference}"`);
  }
});
for (const problem of problems) console.error(problem);
console.log(`${lines.length} questions checked, ${problems.length} problems`);
process.exit(problems.length > 0 ? 1 : 0);
