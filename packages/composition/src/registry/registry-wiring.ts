import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { confinedOperatorFile, dataRootsOf, defaultStoreUri, loadConfig } from '@llmops/kernel';
import type { ProviderCatalog } from '@llmops/kernel';
import { createRegistry, createRegistryStore, noEvaluationEvidence, promotionPolicySchema } from '@llmops/registry';
import type { EvaluationEvidence, PromotionPolicy, Registry } from '@llmops/registry';
import type { ReadinessCheck } from '../http/api-server.js';
import { registryRoutes } from '../http/routes/registry-routes.js';
import { createWorkspaceProviders } from '../providers/workspace-providers.js';

/** The policy file the API uses when none is named. */
export const defaultPolicyFile = 'confs/promotion-policy.yaml';

/** Options of {@link createRegistryWiring}. */
export interface RegistryWiringOptions {
  /** `--store` / `LLMOPS_STORE`; the embedded default when absent. */
  storeUri?: string;
  /** `--policy` / `LLMOPS_PROMOTION_POLICY`; `confs/promotion-policy.yaml` when it exists. */
  policyFile?: string;
  /** The folder relative paths are read from. */
  cwd: string;
  /** Where MLflow's credential variables are read for an MLflow store; `process.env` by default. */
  env?: Record<string, string | undefined>;
  /** Where promotion finds evaluation evidence (the evaluation context's runs); none by default. */
  evidence?: EvaluationEvidence;
  /**
   * The providers model specs are checked against at registration; the built-in ones with the workspace's credentials
   * by default.
   */
  providers?: ProviderCatalog;
}

/** The registry as the API serves it: the routes to register, a readiness check, and how to close it. */
export interface RegistryWiring {
  registry: Registry;
  routes: (server: FastifyInstance) => void;
  readinessCheck: ReadinessCheck;
  /** The policy promotions are judged by, if any. */
  policy: PromotionPolicy | undefined;
  close: () => Promise<void>;
}

/**
 * Opens the registry on the configured store and builds its routes. Promotions are judged on the
 * evidence given (without it, gated promotions are refused listing what is missing; forced ones pass,
 * audited).
 * @throws LlmopsError `invalid_input` for a bad store URI or policy file, `unavailable` for a store that cannot be opened.
 */
export function createRegistryWiring(options: RegistryWiringOptions): RegistryWiring {
  const policyFile =
    options.policyFile ?? (existsSync(resolve(options.cwd, defaultPolicyFile)) ? defaultPolicyFile : undefined);
  const policy = policyFile
    ? loadConfig({
        files: [policyFile],
        schema: promotionPolicySchema,
        env: {},
        // The operator's own start-up file, confined like every file (a link out of the workspace is refused).
        readFile: (path) =>
          readFileSync(
            confinedOperatorFile({ root: options.cwd, file: path, what: 'promotion policy', env: options.env ?? {} }),
            'utf8',
          ),
      })
    : undefined;
  const store = createRegistryStore(options.storeUri ?? defaultStoreUri, {
    cwd: options.cwd,
    ...(options.env ? { env: options.env } : {}),
  });
  const registry = createRegistry({
    store,
    evidence: options.evidence ?? noEvaluationEvidence,
    actor: 'api-admin',
    providers: options.providers ?? createWorkspaceProviders({ cwd: options.cwd, env: options.env ?? process.env }),
  });
  return {
    registry,
    policy,
    routes: registryRoutes({
      registry,
      cwd: options.cwd,
      dataRoots: dataRootsOf(options.env ?? process.env),
      ...(policy ? { promotionPolicy: policy } : {}),
    }),
    readinessCheck: { name: 'registry', check: async () => void (await store.getPrompt('llmops-readiness-probe')) },
    close: () => registry.close(),
  };
}
