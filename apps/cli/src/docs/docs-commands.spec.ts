import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCommandLine } from '../program.js';
import { shellWords } from './shell-words.js';

/**
 * Every `llmops …` command written in a shell block of README.md and wiki/*.md must parse: a renamed command or
 * option, or a placeholder such as `<run>` that bash would read as a redirection, fails here before a reader
 * copy-pastes it. Commands are parsed, not run.
 */
const root = resolve(__dirname, '..', '..', '..', '..');
const shellLanguages = new Set(['bash', 'sh', 'shell', 'console', 'zsh']);

/** One `llmops` command line found in the docs, with where it is. */
interface DocumentedCommand {
  where: string;
  line: string;
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
function documentedCommands(file: string): DocumentedCommand[] {
  const found: DocumentedCommand[] = [];
  for (const block of shellBlocks(readFileSync(join(root, file), 'utf8'))) {
    let pending = '';
    block.lines.forEach((raw, offset) => {
      const text = raw.replace(/^\s*\$ /, '');
      if (text.endsWith('\\')) {
        pending += `${text.slice(0, -1)} `;
        return;
      }
      const whole = (pending + text).replace(/(^|\s)#.*$/, '');
      pending = '';
      for (const part of whole.split(/&&|\|\||;|\||&/)) {
        if (/(^|\s)(npx\s+)?llmops(\s|$)/.test(part))
          found.push({ where: `${file}:${block.start + offset}`, line: part.trim() });
      }
    });
  }
  return found;
}

/** The arguments after `llmops` (or `npx llmops`), without `VAR=value` prefixes. */
function llmopsArguments(line: string): string[] {
  const words = shellWords(line);
  const start = words.findIndex((word) => word === 'llmops');
  return words.slice(start + 1);
}

const docs = [
  'README.md',
  ...readdirSync(join(root, 'wiki'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `wiki/${name}`),
];
const commands = docs.flatMap(documentedCommands);

describe('llmops commands in README.md and wiki/*.md', () => {
  it('finds the documented commands (the check is not vacuous)', () => {
    expect(commands.length).toBeGreaterThan(30);
    expect(commands.map((command) => command.where)).toContain(
      commands.find((command) => command.line.includes('eval compare'))?.where,
    );
  });

  it('fails a line with an unknown command or option, or a missing argument', async () => {
    expect(await parseCommandLine(['eval', 'run', '--dataset', 'd.jsonl', '--nope'])).toMatch(
      /unknown option '--nope'/,
    );
    expect(await parseCommandLine(['evaluate'])).toMatch(/unknown command 'evaluate'/);
    expect(await parseCommandLine(['eval', 'compare', 'latest'])).toMatch(/missing required argument 'runB'/);
    expect(await parseCommandLine(['eval', 'compare', 'previous', 'latest'])).toBeNull();
  });

  it('reads shell words as bash would', () => {
    expect(shellWords(`llmops run a.yaml -e 'job.reason=first champion' --x "$RUN" $(llmops eval list)`)).toEqual([
      'llmops',
      'run',
      'a.yaml',
      '-e',
      'job.reason=first champion',
      '--x',
      'value',
      'value',
    ]);
  });

  it.each(commands.map((command) => [command.where, command.line]))('%s: %s parses', async (_where, line) => {
    const words = llmopsArguments(line);
    // An output redirection (`> file`) ends the command's arguments.
    const output = words.findIndex((word) => word.startsWith('>'));
    const args = output < 0 ? words : words.slice(0, output);
    const redirections = args.filter((word) => word.startsWith('<'));
    // `<run>` in a shell block is a redirection from a file named `run`: write "$RUN" or an id instead.
    expect(redirections).toEqual([]);
    expect(await parseCommandLine(args)).toBeNull();
  });
});
