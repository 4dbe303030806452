import type { Command } from 'commander';
import type { CommandContext } from '../cli-io.js';
import { printResult } from '../registry/command-helpers.js';

/** The order the store is chosen in, as `llmops config` prints it. */
export const storePrecedence = [
  '--store',
  'LLMOPS_STORE',
  'MLFLOW_TRACKING_URI',
  'store: in llmops.yaml',
  'sqlite:.llmops/llmops.db of the workspace',
] as const;

/**
 * `llmops config`: prints the store a command run here would use, where it was chosen from and why, and the
 * workspace found above the working folder (`llmops.yaml` or `.llmops/`).
 */
export function registerConfigCommand(program: Command, options: { context: () => CommandContext }): void {
  program
    .command('config')
    .description('show the store and workspace llmops uses from this folder, and why')
    .action(() => {
      const context = options.context();
      const { store } = context;
      const workspace = store.workspace;
      printResult(context, {
        value: {
          store: store.uri,
          source: store.source,
          reason: store.reason,
          workspace: workspace ? { root: workspace.root, marker: workspace.marker } : null,
          precedence: storePrecedence,
        },
        text: () =>
          [
            `store:      ${store.uri}`,
            `chosen by:  ${store.source} (${store.reason})`,
            `workspace:  ${workspace ? `${workspace.root} (${workspace.marker})` : 'none (no llmops.yaml or .llmops/ here or above)'}`,
            `precedence: ${storePrecedence.join(' > ')}`,
            '',
          ].join('\n'),
      });
    });
}
