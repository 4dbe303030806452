import { loadProviderCredentials } from '@llmops/kernel';
import { createProviderRegistry, upstreamPoolsOptionsFromEnv } from '@llmops/providers';
import type { ProviderRegistry } from '@llmops/providers';

/**
 * The providers of a workspace, with the credentials it declares (`confs/credentials.yaml` when present, the
 * `LLMOPS_PROVIDER_KEY_*` variables of `env`, and `OPENAI_API_KEY` for api.openai.com): what the registry checks specs
 * against at registration and what serving builds models from, so both refuse the same keys. Its upstream pools
 * (shared by models, moderation clients and agents' `http` tools) open at most `LLMOPS_UPSTREAM_CONNECTIONS`
 * connections per origin (256 by default).
 * @throws LlmopsError `invalid_input` for a malformed credentials file or `_HOSTS` variable, or an
 * `LLMOPS_UPSTREAM_CONNECTIONS` that is not a whole number from 1 to 4096.
 */
export function createWorkspaceProviders(options: {
  cwd: string;
  env: Record<string, string | undefined>;
}): ProviderRegistry {
  return createProviderRegistry({
    credentials: loadProviderCredentials({ root: options.cwd, env: options.env }),
    pools: upstreamPoolsOptionsFromEnv(options.env),
  });
}
