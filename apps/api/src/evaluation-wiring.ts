import type { FastifyInstance } from 'fastify';
import { defaultStoreUri, LlmopsError } from '@llmops/kernel';
import {
  createOpenAiCompatibleTarget,
  EvaluationService,
  openEvaluationStore,
  standardReportArtifacts,
  TrackedEvaluationEvidence,
} from '@llmops/evaluation';
import type { Target } from '@llmops/evaluation';
import { evaluationRoutes } from './routes/evaluation-routes.js';
import type { EvaluationTargetFactory } from './routes/evaluation-routes.js';

/** Options of {@link createEvaluationWiring}. */
export interface EvaluationWiringOptions {
  /** `--store` / `LLMOPS_STORE`; the embedded default when absent. */
  storeUri?: string;
  /** The folder the API reads dataset and gate files from (and keeps `.llmops/` in). */
  cwd: string;
  /** `LLMOPS_ADMIN_TOKEN`: starting an evaluation needs it. */
  adminToken?: string;
  /** Builds the target of a registered model version (serving's pipeline); without it `model` is refused. */
  modelTarget?: (reference: string) => Promise<{ target: Target; close: () => Promise<void> }>;
}

/** Evaluation as the API serves it: its routes, promotion evidence, and how to close it. */
export interface EvaluationWiring {
  service: EvaluationService;
  evidence: TrackedEvaluationEvidence;
  routes: (server: FastifyInstance) => void;
  close: () => void;
}

/**
 * Opens the evaluation store of `--store` and builds the evaluation routes. Endpoint targets get no
 * API key through the API (a request must not be able to send the server's secrets elsewhere).
 */
export function createEvaluationWiring(options: EvaluationWiringOptions): EvaluationWiring {
  const store = openEvaluationStore({ storeUri: options.storeUri ?? defaultStoreUri, cwd: options.cwd, env: {} });
  const service = new EvaluationService({
    tracker: store.tracker,
    cache: store.cache,
    artifacts: standardReportArtifacts,
  });
  const targets: EvaluationTargetFactory = async (request) => {
    if (request.kind === 'endpoint') {
      return {
        target: createOpenAiCompatibleTarget({ baseUrl: request.baseUrl, model: request.model, factory: { env: {} } }),
        close: async () => undefined,
      };
    }
    if (!options.modelTarget) {
      throw new LlmopsError(
        'unavailable',
        'this API does not serve model versions in process; evaluate them with `llmops eval run --model`',
      );
    }
    return options.modelTarget(request.reference);
  };
  return {
    service,
    evidence: new TrackedEvaluationEvidence(store.tracker),
    routes: evaluationRoutes({ service, targets, root: options.cwd, adminToken: options.adminToken }),
    close: () => store.close(),
  };
}
