import type { Command } from 'commander';
import { LlmopsError } from '@llmops/kernel';
import type { CliIo } from '../cli-io.js';
import { completionScript, completionShells, completionTree } from '../completion/completion-script.js';
import type { CompletionShell } from '../completion/completion-script.js';

/**
 * `llmops completion bash|zsh|fish`: prints the shell's completion script, generated from the program's command
 * tree (the program registers every command for real when this one runs).
 */
export function registerCompletionCommand(program: Command, options: { io: CliIo }): void {
  program
    .command('completion')
    .description('print the shell completion script (bash, zsh or fish) of llmops')
    .argument('<shell>', `the shell: ${completionShells.join(', ')}`)
    .action((shell: string) => {
      if (!completionShells.includes(shell as CompletionShell))
        throw new LlmopsError(
          'invalid_input',
          `shell "${shell}" is not supported; expected one of ${completionShells.join(', ')}`,
        );
      options.io.stdout(completionScript(shell as CompletionShell, completionTree(program)));
    });
}
