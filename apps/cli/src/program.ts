import { Command, CommanderError } from 'commander';
import { causeChain, defaultStoreUri, LlmopsError, parseStoreUri } from '@llmops/kernel';
import type { CliIo, CommandContext, GlobalOptions } from './cli-io.js';
import { exitCodeFor, exitCodes } from './exit-codes.js';
import { commandTable, invokedCommand } from './command-table.js';

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
 */
async function buildProgram(options: RunCliOptions, exit: ExitCodeHolder): Promise<Command> {
  const { io } = options;
  const program = new Command('llmops')
    .description('llmops: register, evaluate, promote, serve and monitor LLM applications')
    .version(options.version, '-V, --version', 'print the version')
    .option('--json', 'print machine-readable JSON', false)
    .option(
      '--store <uri>',
      'registry and tracking store: sqlite:<path> or an MLflow tracking URI (env LLMOPS_STORE)',
      io.env['LLMOPS_STORE'] || defaultStoreUri,
    )
    .option('--verbose', 'print the cause chain of errors', false)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  const terms = new Map(commandTable.map((command) => [command.name, command.term]));
  program.configureHelp({ subcommandTerm: (command) => terms.get(command.name()) ?? command.name() });
  const wiring = {
    context: (): CommandContext => {
      const globals = program.opts<GlobalOptions>();
      parseStoreUri(globals.store);
      return { io, globals };
    },
    setExitCode: (code: number) => (exit.code = code),
  };
  const invoked = invokedCommand(options.argv);
  for (const command of commandTable) {
    if (command.name === invoked) await command.register(program, wiring);
    else program.command(command.name).description(command.description);
  }
  return program;
}

function reportError(error: LlmopsError, options: { io: CliIo; json: boolean; verbose: boolean }): void {
  if (options.json) {
    options.io.stderr(
      `${JSON.stringify({ error: { code: error.code, message: error.message, details: error.details } })}\n`,
    );
  } else {
    options.io.stderr(`error: ${error.message}\n`);
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
