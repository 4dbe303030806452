import type { Command } from 'commander';
import type { CommandContext } from '../cli-io.js';

/** Options of `llmops chat`. */
export interface ChatCommandOptions {
  model: string;
  baseUrl?: string;
  apiKeyEnv?: string;
  contextFile: string[];
  system?: string;
  stream: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * `llmops chat --model <spec> [--base-url URL] [--api-key-env VAR] [--context-file FILE]... [--system TEXT] [--stream] <message>`:
 * one question to a model. A registry reference (`name@alias`, `name/3`, `name`) goes through the
 * serving pipeline of the registered version (prompt, retrieval, guardrails, citations). `--json` (global) prints the whole completion with usage and cost.
 */
export function registerChatCommand(program: Command, options: { context: () => CommandContext }): void {
  program
    .command('chat')
    .description(
      'ask a model one question: a registered model (name@alias, name/3, name: through its serving pipeline), offline/extractive (no key) or openai/<model-id> (any OpenAI-compatible endpoint)',
    )
    .argument('<message>', 'the question')
    .requiredOption(
      '--model <spec>',
      'a registry reference (name@alias, name/3, name), offline/extractive or openai/<model-id>',
    )
    .option('--base-url <url>', 'base URL of an OpenAI-compatible API, up to /v1')
    .option('--api-key-env <var>', 'environment variable holding the API key (default OPENAI_API_KEY)')
    .option(
      '--context-file <file>',
      'a file given to the model as a numbered context passage (repeatable)',
      collect,
      [],
    )
    .option('--system <text>', 'a system message')
    .option('--stream', 'print the answer as it arrives', false)
    // The providers and serving are imported when the command runs: `llmops chat --help` loads none of them.
    .action(async (message: string, commandOptions: ChatCommandOptions) =>
      (await import('./chat-action.js')).runChat(options.context(), message, commandOptions),
    );
}
