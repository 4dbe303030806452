import { checkConnectionsPerOrigin } from './upstream-pools.js';
import type { UpstreamPoolsOptions } from './upstream-pools.js';

/** The environment variable a deployment sets the connections per upstream origin with. */
export const upstreamConnectionsVariable = 'LLMOPS_UPSTREAM_CONNECTIONS';

/**
 * The pools' options a deployment's environment sets: `LLMOPS_UPSTREAM_CONNECTIONS` (a whole number from 1 to 4096,
 * the most connections open to one upstream origin at once); nothing when it is unset or empty (256 then).
 * @throws LlmopsError `invalid_input` naming the variable, its value and the range expected.
 */
export function upstreamPoolsOptionsFromEnv(env: Record<string, string | undefined>): UpstreamPoolsOptions {
  const text = env[upstreamConnectionsVariable]?.trim();
  if (text === undefined || text === '') return {};
  const value = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  return {
    connectionsPerOrigin: checkConnectionsPerOrigin(
      value,
      `environment variable ${upstreamConnectionsVariable}`,
      JSON.stringify(text.slice(0, 40)),
    ),
  };
}
