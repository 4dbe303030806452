import type { Command } from 'commander';
import type { CommandContext } from '../cli-io.js';

/** The port `llmops ui` listens on when `--port` is not given (next to `llmops serve`'s 8080). */
export const defaultConsolePort = '8081';

/**
 * `llmops ui [--port N]`: the API with the console at `/ui`, on loopback, on the store of `--store`, answering the
 * console's reads without a key (loopback clients only); promotion and rollback still need an admin key.
 */
export function registerUiCommand(program: Command, options: { context: () => CommandContext }): void {
  program
    .command('ui')
    .description(
      'open the console (runs, comparisons, examples, traces, registry, monitoring) at http://127.0.0.1:<port>/ui on the store of --store; reads need no key on loopback',
    )
    .option('--port <port>', `port to listen on on 127.0.0.1 (0 picks a free one)`, defaultConsolePort)
    .option('--policy <file>', 'promotion policy file (default confs/promotion-policy.yaml when it exists)')
    .action(async (commandOptions: { port: string; policy?: string }) => {
      const context = options.context();
      // The API server is imported when `ui` runs: `llmops ui --help` loads none of it.
      const { parsePort, serveApi } = await import('../serving/serve-api.js');
      const outcome = await serveApi(context, {
        port: parsePort(commandOptions.port),
        // Loopback only: anonymous reads are refused on any other interface.
        host: '127.0.0.1',
        quiet: true,
        anonymousReads: 'loopback',
        announce: 'console',
        ...(commandOptions.policy ? { policy: commandOptions.policy } : {}),
      });
      if (context.globals.json) context.io.stdout(`${JSON.stringify(outcome)}\n`);
    });
}
