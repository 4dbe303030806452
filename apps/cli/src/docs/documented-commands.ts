import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { shellWords } from './shell-words.js';

/** The repository root (README.md, wiki/). */
export const repositoryRoot = resolve(__dirname, '..', '..', '..', '..');
const shellLanguages = new Set(['bash', 'sh', 'shell', 'console', 'zsh']);

/** One `llmops` command line found in the docs, with where it is (`file:line`). */
export interface DocumentedCommand {
  where: string;
  line: string;
  /** The comment ending the doc line (`# exit 100 when a gate fails`), without the `#`; empty when there is none. */
  comment: string;
}

/** The shell blocks of a Markdown text: their first line number and lines. */
function shellBlocks(text: string): Array<{ start: number; lines: string[] }> {
  const blocks: Array<{ start: number; lines: string[] }> = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const fence = /^\s*```(\w*)\s*$/.exec(lines[index] as string);
    if (!fence) continue;
    const body: string[] = [];
    const start = index + 2;
    for (index += 1; index < lines.length && !/^\s*```\s*$/.test(lines[index] as string); index += 1)
      body.push(lines[index] as string);
    if (shellLanguages.has(fence[1] ?? '')) blocks.push({ start, lines: body });
  }
  return blocks;
}

/** The `llmops` command lines of a doc: continuation lines joined, comments and `$ ` prompts dropped, `&&` split. */
function commandsOf(file: string): DocumentedCommand[] {
  const found: DocumentedCommand[] = [];
  for (const block of shellBlocks(readFileSync(join(repositoryRoot, file), 'utf8'))) {
    let pending = '';
    block.lines.forEach((raw, offset) => {
      const text = raw.replace(/^\s*\$ /, '');
      if (text.endsWith('\\')) {
        pending += `${text.slice(0, -1)} `;
        return;
      }
      const joined = pending + text;
      const whole = joined.replace(/(^|\s)#.*$/, '');
      const comment = joined
        .slice(whole.length)
        .replace(/^\s*#\s*/, '')
        .trim();
      pending = '';
      for (const part of whole.split(/&&|\|\||;|\||&/)) {
        if (/(^|\s)(npx\s+)?llmops(\s|$)/.test(part))
          found.push({ where: `${file}:${block.start + offset}`, line: part.trim(), comment });
      }
    });
  }
  return found;
}

/** Every `llmops` command line in the shell blocks of README.md and wiki/*.md, in document order, README first. */
export function documentedCommands(): DocumentedCommand[] {
  const docs = [
    'README.md',
    ...readdirSync(join(repositoryRoot, 'wiki'))
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => `wiki/${name}`),
  ];
  return docs.flatMap(commandsOf);
}

/** The arguments after `llmops` (or `npx llmops`), without `VAR=value` prefixes. */
export function llmopsArguments(line: string): string[] {
  const words = shellWords(line);
  const start = words.findIndex((word) => word === 'llmops');
  return words.slice(start + 1);
}
