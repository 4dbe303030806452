import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { LlmopsError, parseWithSchema } from '@llmops/kernel';
import {
  createDataset,
  exampleSchema,
  gateCriterionSchema,
  metricChoiceSchema,
  resolveRunReference,
} from '@llmops/evaluation';
import type { Dataset } from '@llmops/evaluation';
import { startEvaluation } from '../../evaluation/run-evaluation.js';
import type { EvaluationWorkspace, RunningEvaluation } from '../../evaluation/run-evaluation.js';
import { parseBody } from './request-parsing.js';

/** Options of {@link evaluationRoutes}. */
export interface EvaluationRoutesOptions {
  /** Where evaluations run; its files are confined to its folder, and endpoint targets get no keys. */
  workspace: EvaluationWorkspace;
}

/** The body of `POST /api/v1/evaluations`. */
export const startEvaluationBodySchema = z
  .strictObject({
    name: z.string().min(1).max(250).optional(),
    /** A registered model reference served in process: `support-rag@champion`. */
    model: z.string().min(1).optional(),
    /** With `model` (a rag model): a corpus inside the API's folder served instead of the model's own. */
    corpus: z.string().min(1).optional(),
    /** An OpenAI-compatible endpoint (keys are not accepted through the API). */
    endpoint: z.strictObject({ baseUrl: z.url({ protocol: /^https?$/ }), model: z.string().min(1) }).optional(),
    /** A dataset file inside the API's folder, or the examples themselves. */
    dataset: z.union([
      z.string().min(1),
      z.strictObject({ name: z.string().min(1).max(100), examples: z.array(z.unknown()).min(1).max(10_000) }),
    ]),
    judge: z.string().min(1).default('offline'),
    /** A gate file inside the API's folder, or the criteria themselves. */
    gates: z.union([z.string().min(1), z.array(gateCriterionSchema)]).optional(),
    /** Metric names, each optionally `:strict` (DeepEval's strict mode). */
    metrics: z.array(metricChoiceSchema).min(1).optional(),
    concurrency: z.number().int().min(1).max(32).default(4),
    tags: z.record(z.string(), z.string()).default({}),
  })
  .refine((body) => (body.model === undefined) !== (body.endpoint === undefined), {
    error: 'give exactly one of model or endpoint',
  })
  .refine((body) => body.corpus === undefined || body.model !== undefined, {
    error: 'corpus applies to a model (a registered rag model) only',
    path: ['corpus'],
  });

function datasetOf(body: z.infer<typeof startEvaluationBodySchema>): string | Dataset {
  if (typeof body.dataset === 'string') return body.dataset;
  const examples = body.dataset.examples.map((value, index) =>
    parseWithSchema(exampleSchema, value, { where: `invalid request body: body.dataset.examples[${index}]` }),
  );
  return createDataset({ examples, name: body.dataset.name, source: 'request body' });
}

/**
 * `POST /api/v1/evaluations` (admin key) starts an evaluation and answers 202 with its id at once;
 * `GET /api/v1/evaluations/:id` answers the run (`:id` a run id, or `latest` / `previous` as in `llmops eval report`):
 * status, aggregates, gate verdicts, judge calls and where the reports are. Runs go to the same tracker as the CLI's (`--store`).
 */
export function evaluationRoutes(options: EvaluationRoutesOptions): (server: FastifyInstance) => void {
  const running = new Map<string, AbortController>();
  return (server) => {
    server.post('/api/v1/evaluations', async (request, reply) => {
      const body = parseBody(startEvaluationBodySchema, request.body);
      const controller = new AbortController();
      const started: RunningEvaluation = await startEvaluation(
        options.workspace,
        {
          ...(body.name ? { name: body.name } : {}),
          target: body.model
            ? { kind: 'model', reference: body.model, ...(body.corpus ? { corpus: body.corpus } : {}) }
            : { kind: 'endpoint', ...(body.endpoint as { baseUrl: string; model: string }) },
          dataset: datasetOf(body),
          judge: body.judge,
          ...(body.gates ? { gates: body.gates } : {}),
          ...(body.metrics ? { metrics: body.metrics } : {}),
          concurrency: body.concurrency,
          tags: body.tags,
        },
        { signal: controller.signal },
      );
      const { runId, done } = started;
      running.set(runId, controller);
      done
        .catch((error: unknown) => request.log.warn({ runId, err: error }, 'evaluation failed'))
        .finally(() => running.delete(runId));
      return reply.status(202).send({ id: runId, status: 'running', url: `/api/v1/evaluations/${runId}` });
    });

    server.get<{ Params: { id: string } }>('/api/v1/evaluations/:id', async (request) => {
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(request.params.id))
        throw new LlmopsError('invalid_input', `evaluation id "${request.params.id}" is not a run id`);
      const tracker = options.workspace.service.tracker;
      const record = await tracker.get(await resolveRunReference(tracker, request.params.id));
      return { object: 'evaluation', ...record };
    });

    server.addHook('onClose', async () => {
      for (const controller of running.values())
        controller.abort(new LlmopsError('unavailable', 'the API is shutting down'));
    });
  };
}
