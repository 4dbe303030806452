import type { Command } from 'commander';
import { LlmopsError } from '@llmops/kernel';
import type { CommandContext } from '../cli-io.js';

/**
 * `llmops serve [--port N] [--host H] [--policy FILE] [--guardrails FILE] [--quiet] [--anonymous-inference]
 * [--anonymous-reads off|loopback]`: the API
 * until SIGTERM.
 */
export function registerServeCommand(program: Command, options: { context: () => CommandContext }): void {
  program
    .command('serve')
    .description(
      'start the llmops API (OpenAI-compatible /v1 and REST /api/v1) on the store of --store; SIGTERM drains in-flight requests',
    )
    .option('--port <port>', 'port to listen on (0 picks a free one; env PORT)')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--policy <file>', 'promotion policy file (default confs/promotion-policy.yaml when it exists)')
    .option('--guardrails <file>', 'guardrail policies file (default confs/guardrails.yaml when it exists)')
    .option('--quiet', 'no request logs on stdout', false)
    .option(
      '--anonymous-inference',
      'answer /v1/* without an API key (loopback hosts only; env LLMOPS_ANONYMOUS_INFERENCE=true)',
      false,
    )
    .option(
      '--anonymous-reads <who>',
      'off, or loopback: the console reads (registry, evaluations, traces, monitoring) answer requests from this machine without a key',
      'off',
    )
    .action(
      async (commandOptions: {
        port?: string;
        host: string;
        policy?: string;
        guardrails?: string;
        quiet: boolean;
        anonymousInference: boolean;
        anonymousReads: string;
      }) => {
        const context = options.context();
        if (commandOptions.anonymousReads !== 'off' && commandOptions.anonymousReads !== 'loopback')
          throw new LlmopsError(
            'invalid_input',
            `--anonymous-reads "${commandOptions.anonymousReads}" is not off or loopback (reads without a key are only ever allowed from this machine)`,
          );
        // The API server is imported when `serve` runs: `llmops serve --help` loads none of it.
        const { parsePort, serveApi } = await import('../serving/serve-api.js');
        // A bad PORT is named as the variable: an operator who never typed --port would not know where it came from.
        const port =
          commandOptions.port !== undefined
            ? parsePort(commandOptions.port)
            : parsePort(context.io.env['PORT'] ?? '8080', 'environment variable PORT');
        const outcome = await serveApi(context, {
          port,
          host: commandOptions.host,
          // The global --quiet silences the request logs too.
          quiet: commandOptions.quiet || context.globals.quiet,
          anonymousInference: commandOptions.anonymousInference,
          anonymousReads: commandOptions.anonymousReads,
          ...(commandOptions.policy ? { policy: commandOptions.policy } : {}),
          ...(commandOptions.guardrails ? { guardrails: commandOptions.guardrails } : {}),
        });
        if (context.globals.json) context.io.stdout(`${JSON.stringify(outcome)}\n`);
      },
    );
}
