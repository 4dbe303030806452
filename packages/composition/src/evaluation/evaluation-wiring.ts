import type { FastifyInstance } from 'fastify';
import { defaultStoreUri } from '@llmops/kernel';
import {
  EvaluationService,
  openEvaluationStore,
  standardReportArtifacts,
  TrackedEvaluationEvidence,
} from '@llmops/evaluation';
import { evaluationRoutes } from '../http/routes/evaluation-routes.js';
import type { ModelTargetBuilder } from './run-evaluation.js';

/** Options of {@link createEvaluationWiring}. */
export interface EvaluationWiringOptions {
  /** `--store` / `LLMOPS_STORE`; the embedded default when absent. */
  storeUri?: string;
  /** The folder the API reads dataset and gate files from (and keeps `.llmops/` in). */
  cwd: string;
  /** Where the judge's API key and `${env:…}` in gate files are read (never sent to request-named endpoints). */
  env?: Record<string, string | undefined>;
  /** Builds the target of a registered model version (serving's pipeline); without it `model` is refused. */
  modelTarget?: ModelTargetBuilder;
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
 * API key through the API (a request must not be able to send the server's secrets elsewhere), and
 * dataset and gate files are read inside the API's folder only.
 */
export function createEvaluationWiring(options: EvaluationWiringOptions): EvaluationWiring {
  const store = openEvaluationStore({ storeUri: options.storeUri ?? defaultStoreUri, cwd: options.cwd, env: {} });
  const service = new EvaluationService({
    tracker: store.tracker,
    cache: store.cache,
    artifacts: standardReportArtifacts,
  });
  return {
    service,
    evidence: new TrackedEvaluationEvidence(store.tracker),
    routes: evaluationRoutes({
      queries: store.queries,
      workspace: {
        service,
        cwd: options.cwd,
        env: options.env ?? {},
        endpointKeys: false,
        confineFiles: true,
        ...(options.modelTarget ? { modelTarget: options.modelTarget } : {}),
      },
    }),
    close: () => store.close(),
  };
}
