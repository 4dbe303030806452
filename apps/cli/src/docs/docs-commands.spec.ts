import { parseCommandLine } from '../program.js';
import { documentedCommands, llmopsArguments } from './documented-commands.js';
import { shellWords } from './shell-words.js';

/**
 * Every `llmops …` command written in a shell block of README.md and wiki/*.md must parse: a renamed command or
 * option, or a placeholder such as `<run>` that bash would read as a redirection, fails here before a reader
 * copy-pastes it. Commands are parsed here; documented-commands-run.spec.ts in e2e/ runs them.
 */
const commands = documentedCommands();

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
