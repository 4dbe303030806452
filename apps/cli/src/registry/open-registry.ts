import { userInfo } from 'node:os';
import { createWorkspaceProviders } from '@llmops/composition';
import { createRegistry, createRegistryStore } from '@llmops/registry';
import type { Registry } from '@llmops/registry';
import type { CommandContext } from '../cli-io.js';
import { cliEvaluationEvidence } from '../evaluation/evaluation-evidence.js';

/** Who the CLI acts as in the audit trail: `LLMOPS_ACTOR`, else the login name. */
export function actorOf(env: Record<string, string | undefined>): string {
  const fromEnv = env['LLMOPS_ACTOR']?.trim();
  if (fromEnv) return fromEnv;
  try {
    return userInfo().username || 'unknown';
  } catch {
    return env['USER'] || 'unknown';
  }
}

/** Opens the registry on the store of `--store` (relative SQLite paths from the working folder). */
export function openRegistry(context: CommandContext): Registry {
  const store = createRegistryStore(context.globals.store, { cwd: context.io.cwd, env: context.io.env });
  // Promotion reads its evidence from the evaluation runs of the same store (the evaluation context);
  // model specs name providers the built-in provider registry knows, and keys the workspace declares.
  return createRegistry({
    store,
    evidence: cliEvaluationEvidence(context),
    actor: actorOf(context.io.env),
    providers: createWorkspaceProviders({ cwd: context.io.cwd, env: context.io.env }),
  });
}

/** Runs `work` with an open registry and closes it afterwards, whatever happens. */
export async function withRegistry<Result>(
  context: CommandContext,
  work: (registry: Registry) => Promise<Result>,
): Promise<Result> {
  const registry = openRegistry(context);
  try {
    return await work(registry);
  } finally {
    await registry.close();
  }
}
