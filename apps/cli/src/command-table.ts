import type { Command } from 'commander';
import type { CliIo, CommandContext } from './cli-io.js';

/** What a command's registration is given by the program. */
export interface CommandWiring {
  context: () => CommandContext;
  /** The program's input and output, for commands that need no store (`completion`). */
  io: CliIo;
  /** The exit code a command asks for when it finished without fully succeeding (a job, `guard check`). */
  setExitCode: (code: number) => void;
}

/**
 * A top-level command as `llmops --help` lists it (its name, the term shown beside it and its description), and how
 * to register it for real: its module, and the packages that module imports, are loaded only when the command runs
 * (or its own `--help` is asked for).
 */
export interface LazyCommand {
  name: string;
  /** How the root help shows the command (`run [options] <confs...>`), as commander would from the real command. */
  term: string;
  description: string;
  register(program: Command, wiring: CommandWiring): Promise<void>;
}

/** The job kinds of `llmops run` (the catalog's, `pipeline` included), sorted: the help names them without loading the jobs. */
export const jobKinds: readonly string[] = [
  'compare',
  'doctor',
  'evaluate',
  'inference',
  'monitor',
  'pipeline',
  'promote',
  'register',
  'serve',
  'smoke',
  'summary',
  'traffic',
];

/** The commands of `llmops`, in the order the help lists them. */
export const commandTable: readonly LazyCommand[] = [
  {
    name: 'run',
    term: 'run [options] <confs...>',
    description: `run the job described by YAML conf files (merged in order); kinds: ${jobKinds.join(', ')}`,
    register: async (program, wiring) =>
      (await import('./commands/run-command.js')).registerRunCommand(program, {
        ...wiring,
        kinds: jobKinds,
        catalog: async () => (await import('./jobs/cli-job-catalog.js')).createCliJobCatalog(),
      }),
  },
  {
    name: 'prompts',
    term: 'prompts',
    description: 'register, list and show prompts, and move their aliases',
    register: async (program, wiring) =>
      (await import('./commands/prompts-command.js')).registerPromptsCommand(program, wiring),
  },
  {
    name: 'models',
    term: 'models',
    description: 'register, list, show, promote and roll back model versions',
    register: async (program, wiring) =>
      (await import('./commands/models-command.js')).registerModelsCommand(program, wiring),
  },
  {
    name: 'chat',
    term: 'chat [options] <message>',
    description:
      'ask a model one question: a registered model (name@alias, name/3, name: through its serving pipeline), offline/extractive (no key) or openai/<model-id> (any OpenAI-compatible endpoint)',
    register: async (program, wiring) =>
      (await import('./commands/chat-command.js')).registerChatCommand(program, wiring),
  },
  {
    name: 'serve',
    term: 'serve [options]',
    description:
      'start the llmops API (OpenAI-compatible /v1 and REST /api/v1) on the store of --store; SIGTERM drains in-flight requests',
    register: async (program, wiring) =>
      (await import('./commands/serve-command.js')).registerServeCommand(program, wiring),
  },
  {
    name: 'ui',
    term: 'ui [options]',
    description:
      'open the console (runs, comparisons, examples, traces, registry, monitoring) at http://127.0.0.1:<port>/ui on the store of --store; reads need no key on loopback',
    register: async (program, wiring) => (await import('./commands/ui-command.js')).registerUiCommand(program, wiring),
  },
  {
    name: 'eval',
    term: 'eval',
    description: 'evaluate models on datasets, compare runs and render reports',
    register: async (program, wiring) =>
      (await import('./commands/eval-command.js')).registerEvalCommand(program, {
        ...wiring,
        // Serving (and the registry behind it) is imported when a run asks for a model, not for `eval --help`.
        modelTarget: async (reference, context) =>
          (await import('./evaluation/served-model-target.js')).servedModelTarget(reference, context),
      }),
  },
  {
    name: 'traces',
    term: 'traces',
    description: 'list and show the traces of served requests',
    register: async (program, wiring) =>
      (await import('./commands/traces-command.js')).registerTracesCommand(program, wiring),
  },
  {
    name: 'monitor',
    term: 'monitor',
    description: 'monitoring of served requests',
    register: async (program, wiring) =>
      (await import('./commands/monitor-command.js')).registerMonitorCommand(program, wiring),
  },
  {
    name: 'keys',
    term: 'keys',
    description: 'create, list, revoke and rotate API keys (roles, limits, budgets)',
    register: async (program, wiring) =>
      (await import('./commands/keys-command.js')).registerKeysCommand(program, wiring),
  },
  {
    name: 'guard',
    term: 'guard',
    description: 'explain guardrail verdicts',
    register: async (program, wiring) =>
      (await import('./commands/guard-command.js')).registerGuardCommand(program, wiring),
  },
  {
    name: 'config',
    term: 'config',
    description: 'show the store and workspace llmops uses from this folder, and why',
    register: async (program, wiring) =>
      (await import('./commands/config-command.js')).registerConfigCommand(program, wiring),
  },
  {
    name: 'confs',
    term: 'confs',
    description: 'work with conf files',
    register: async (program, wiring) =>
      (await import('./commands/confs-command.js')).registerConfsCommand(program, {
        ...wiring,
        catalog: async () => (await import('./jobs/cli-job-catalog.js')).createCliJobCatalog(),
      }),
  },
  {
    name: 'completion',
    term: 'completion <shell>',
    description: 'print the shell completion script (bash, zsh or fish) of llmops',
    register: async (program, wiring) =>
      (await import('./commands/completion-command.js')).registerCompletionCommand(program, wiring),
  },
];

/**
 * The top-level command `argv` runs, or `undefined` for none (`--help`, `help` alone, an unknown word): the first
 * word that is not an option or the value of `--store`; after `help`, the word it asks about.
 */
export function invokedCommand(argv: readonly string[]): string | undefined {
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] as string;
    if (argument === '--') return undefined;
    if (argument === '--store') {
      index += 1;
      continue;
    }
    if (argument.startsWith('-')) continue;
    if (argument === 'help') return argv.slice(index + 1).find((word) => !word.startsWith('-'));
    return argument;
  }
  return undefined;
}
