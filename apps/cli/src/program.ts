import { Command, CommanderError, Help } from 'commander';
import { causeChain, LlmopsError, resolveStore } from '@llmops/kernel';
import type { CliIo, CommandContext, GlobalOptions } from './cli-io.js';
import { exitCodeFor, exitCodes } from './exit-codes.js';
import { commandTable, invokedCommand } from './command-table.js';
import { cliStyle } from './cli-style.js';
import { addHelpExamples } from './help-examples.js';

/** Options of {@link runCli}. */
export interface RunCliOptions {
  argv: readonly string[];
  io: CliIo;
  version: string;
}

/** The exit code a finished command asks for (a job that finished without fully succeeding); success by default. */
interface ExitCodeHolder {
  code: number;
}

/**
 * The program with every command listed: the one `argv` runs is registered for real (its module imported now);
 * the others only by name and description, so `--help` and each command load nothing they do not use.
 * `registerAll` registers every command for real (for parsing command lines written in docs).
 */
async function buildProgram(options: RunCliOptions, exit: ExitCodeHolder, registerAll = false): Promise<Command> {
  const { io } = options;
  const program = new Command('llmops')
    .description('llmops: register, evaluate, promote, serve and monitor LLM applications')
    .version(options.version, '-V, --version', 'print the version')
    .option('--json', 'print machine-readable JSON', false)
    .option(
      '--store <uri>',
      'registry and tracking store: sqlite:<path> or an MLflow tracking URI (default: env LLMOPS_STORE, ' +
        'env MLFLOW_TRACKING_URI, llmops.yaml, sqlite:.llmops/llmops.db of the workspace; see `llmops config`)',
    )
    .option('--create', 'allow --store sqlite:<path> to start a new store in a folder that does not exist', false)
    .option('--verbose', 'print the cause chain of errors', false)
    .option('--quiet', 'no progress or informational lines on stderr (errors and results are still printed)', false)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  const terms = new Map(commandTable.map((command) => [command.name, command.term]));
  // Only the root's own commands take a term from the table: `eval run` is not `run` (subcommands inherit this help).
  program.configureHelp({
    subcommandTerm: (command) =>
      (command.parent === program ? terms.get(command.name()) : undefined) ?? new Help().subcommandTerm(command),
  });
  const wiring = {
    context: (): CommandContext => {
      const globals = program.opts<{
        json: boolean;
        store?: string;
        verbose: boolean;
        create: boolean;
        quiet: boolean;
      }>();
      const store = resolveStore({ flag: globals.store, env: io.env, cwd: io.cwd, create: globals.create });
      // Under --quiet a command's own stderr lines (progress, notes) go nowhere; errors are reported by runCli, and
      // the lines scripts wait for still go out through `announce`.
      const commandIo: CliIo = globals.quiet ? { ...io, stderr: () => undefined, announce: io.stderr } : io;
      const style = cliStyle(!globals.json && Boolean(io.color?.stdout));
      return { io: commandIo, globals: { ...globals, store: store.uri }, store, style };
    },
    setExitCode: (code: number) => (exit.code = code),
    io,
  };
  const invoked = invokedCommand(options.argv);
  // A completion script covers the whole command tree: every command is registered for real for it.
  const registerEvery = registerAll || invoked === 'completion';
  for (const command of commandTable) {
    if (registerEvery || command.name === invoked) await command.register(program, wiring);
    else program.command(command.name).description(command.description);
  }
  addHelpExamples(program);
  return program;
}

/**
 * The program with every command registered for real, writing help and errors to `io`: for walking the command
 * tree (help examples, docs) without running a command.
 */
export async function fullProgram(io: CliIo): Promise<Command> {
  return buildProgram({ argv: [], io, version: '0.0.0' }, { code: exitCodes.success }, true);
}

/**
 * Parses `argv` as `llmops` would, without running anything: every command's action is replaced by one that does
 * nothing. For checking command lines written in docs.
 * @returns null when the line parses, else commander's message (unknown command or option, missing argument…).
 */
export async function parseCommandLine(argv: readonly string[]): Promise<string | null> {
  let output = '';
  const io: CliIo = {
    stdout: () => undefined,
    stderr: (text) => (output += text),
    env: {},
    cwd: '.',
    interactive: false,
  };
  const program = await buildProgram({ argv, io, version: '0.0.0' }, { code: exitCodes.success }, true);
  const silence = (command: Command): void => {
    if (command.commands.length === 0) command.action(() => undefined);
    for (const sub of command.commands) silence(sub);
  };
  silence(program);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return null;
  } catch (thrown) {
    if (thrown instanceof CommanderError) {
      const benign = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(thrown.code);
      return benign ? null : output.trim() || thrown.message;
    }
    throw thrown;
  }
}

function reportError(error: LlmopsError, options: { io: CliIo; json: boolean; verbose: boolean }): void {
  if (options.json) {
    options.io.stderr(
      `${JSON.stringify({ error: { code: error.code, message: error.message, details: error.details } })}\n`,
    );
  } else {
    options.io.stderr(`${cliStyle(Boolean(options.io.color?.stderr)).error('error:')} ${error.message}\n`);
  }
  if (options.verbose) {
    for (const line of causeChain(error).slice(1)) options.io.stderr(`  caused by ${line}\n`);
  }
}

/**
 * Runs the CLI on `argv` (without the node and script entries) and returns the exit code:
 * 0 success, 1 runtime error, 2 usage or invalid input, 100 a quality gate failed.
 * Errors are printed as one clear line (`error: …`), with the cause chain under `--verbose`.
 */
export async function runCli(options: RunCliOptions): Promise<number> {
  const exit: ExitCodeHolder = { code: exitCodes.success };
  const program = await buildProgram(options, exit);
  try {
    await program.parseAsync([...options.argv], { from: 'user' });
    return exit.code;
  } catch (thrown) {
    if (thrown instanceof CommanderError) {
      const benign = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(thrown.code);
      return benign ? exitCodes.success : exitCodes.usage;
    }
    const error = LlmopsError.fromUnknown(thrown);
    const globals = program.opts<GlobalOptions>();
    reportError(error, { io: options.io, json: Boolean(globals.json), verbose: Boolean(globals.verbose) });
    return exitCodeFor(error.code);
  }
}
