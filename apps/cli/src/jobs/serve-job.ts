import { z } from 'zod';
import { serveApi } from '../serving/serve-api.js';
import type { JobKind } from './job-kind.js';

const serveSchema = z.strictObject({
  kind: z.literal('serve'),
  /** Port to listen on; 0 picks a free one. */
  port: z.number().int().min(0).max(65_535).default(8080),
  host: z.string().min(1).default('127.0.0.1'),
  /** The promotion policy file; `confs/promotion-policy.yaml` when it exists. */
  policy: z.string().min(1).optional(),
  /** The guardrail policies file; `confs/guardrails.yaml` when it exists. */
  guardrails: z.string().min(1).optional(),
  /** No request logs on stdout. */
  quiet: z.boolean().default(false),
  /** Answer `/v1/*` without an API key; only on a loopback host (the server refuses to start otherwise). */
  anonymousInference: z.boolean().default(false),
});

/** `kind: serve` (`confs/serve.yaml`): the llmops API on the store of `--store` until SIGTERM, which drains. */
export const serveJob: JobKind<typeof serveSchema> = {
  kind: 'serve',
  description: 'starts the llmops API and serves until SIGTERM (drains in-flight requests)',
  schema: serveSchema,
  run: async (job, context) => {
    const outcome = await serveApi(context, {
      port: job.port,
      host: job.host,
      quiet: job.quiet || context.globals.quiet,
      anonymousInference: job.anonymousInference,
      ...(job.policy ? { policy: job.policy } : {}),
      ...(job.guardrails ? { guardrails: job.guardrails } : {}),
    });
    return { kind: 'serve', summary: `served ${outcome.url} until ${outcome.signal}, drained`, data: outcome };
  },
};
