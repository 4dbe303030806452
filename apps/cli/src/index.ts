export { runCli } from './program.js';
export type { RunCliOptions } from './program.js';
export type { CliIo, GlobalOptions, CommandContext } from './cli-io.js';
export { exitCodes, exitCodeFor } from './exit-codes.js';
