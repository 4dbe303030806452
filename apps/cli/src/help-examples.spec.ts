import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { shellWords } from './docs/shell-words.js';
import { commandWords, helpExamples } from './help-examples.js';
import { fullProgram, parseCommandLine } from './program.js';

/** Every command under `command` that has no subcommands (what a user runs). */
function leaves(command: Command): Command[] {
  return command.commands.length === 0 ? [command] : command.commands.flatMap(leaves);
}

/** The program with every command registered, and what its help wrote. */
async function programWithOutput(): Promise<{ program: Command; output: () => string; reset: () => void }> {
  let output = '';
  const io: CliIo = {
    stdout: (text) => (output += text),
    stderr: () => undefined,
    env: {},
    cwd: '.',
    interactive: false,
  };
  return { program: await fullProgram(io), output: () => output, reset: () => (output = '') };
}

/** The example lines under "Examples:" in a help text (indented lines up to the next blank line). */
function exampleLines(help: string): string[] {
  const section = help.split('\nExamples:\n')[1];
  if (section === undefined) return [];
  const lines: string[] = [];
  for (const line of section.split('\n')) {
    if (line.trim() === '') break;
    lines.push(line.trim());
  }
  return lines;
}

/** The arguments after `llmops` of an example, up to an output redirection (`> file`). */
function exampleArguments(line: string): string[] {
  const words = shellWords(line).slice(1);
  const redirection = words.findIndex((word) => word.startsWith('>'));
  return redirection < 0 ? words : words.slice(0, redirection);
}

describe("examples in every command's --help", () => {
  it('walks every leaf command (the check is not vacuous)', async () => {
    const { program } = await programWithOutput();
    const names = leaves(program).map(commandWords);
    expect(names).toEqual(
      expect.arrayContaining(['run', 'models promote', 'prompts alias set', 'eval list', 'completion']),
    );
    expect(names.length).toBeGreaterThan(30);
  });

  it('lists examples only for commands that exist', async () => {
    const { program } = await programWithOutput();
    const names = new Set(leaves(program).map(commandWords));
    expect(Object.keys(helpExamples).filter((name) => !names.has(name))).toEqual([]);
  });

  it('finds no examples in a help without the section, and fails an example that does not parse', async () => {
    expect(exampleLines('Usage: llmops x\n\nOptions:\n  -h, --help\n')).toEqual([]);
    expect(await parseCommandLine(exampleArguments('llmops models promote support-rag'))).toMatch(
      /missing required argument 'version'/,
    );
  });

  it('shows an Examples: section in the help of each leaf command, every line a `llmops` command that parses', async () => {
    const { program, output, reset } = await programWithOutput();
    for (const leaf of leaves(program)) {
      reset();
      leaf.outputHelp();
      const where = `llmops ${commandWords(leaf)} --help`;
      const examples = exampleLines(output());
      expect({ where, examples: examples.length > 0 }).toEqual({ where, examples: true });
      for (const line of examples) {
        expect({ where, line, startsWithLlmops: line.startsWith('llmops ') }).toEqual({
          where,
          line,
          startsWithLlmops: true,
        });
        expect({ where, line, parse: await parseCommandLine(exampleArguments(line)) }).toEqual({
          where,
          line,
          parse: null,
        });
      }
    }
  });
});
