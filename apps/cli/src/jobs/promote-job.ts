import { z } from 'zod';
import { LlmopsError, parseReference } from '@llmops/kernel';
import { promotionPolicySchema } from '@llmops/registry';
import { withRegistry } from '../registry/open-registry.js';
import { readPromotionPolicyFile } from '../registry/registry-files.js';
import { formatPromotion } from '../registry/registry-output.js';
import type { JobKind } from './job-kind.js';

const promoteSchema = z.strictObject({
  kind: z.literal('promote'),
  model: z.string().min(1),
  /** A version number, `latest`, or an alias (for example `challenger`) whose version to promote. */
  version: z.union([z.number().int().min(1), z.string().min(1)]).default('latest'),
  /** The alias to move. */
  alias: z.string().default('champion'),
  /** The promotion policy: a YAML file path, or the policy itself. */
  policy: z.union([z.string().min(1), promotionPolicySchema]).optional(),
  force: z.boolean().default(false),
  reason: z.string().optional(),
});

/**
 * `kind: promote`: promotes a model version to an alias under a promotion policy; a refused
 * promotion fails the job with `gate_failed` (exit 100) listing each failed criterion.
 */
export const promoteJob: JobKind<typeof promoteSchema> = {
  kind: 'promote',
  description: 'promotes a model version to an alias (champion) under a promotion policy',
  schema: promoteSchema,
  run: async (job, context) => {
    const policy = typeof job.policy === 'string' ? readPromotionPolicyFile(job.policy, context.io) : job.policy;
    if (!policy && !job.force) {
      throw new LlmopsError(
        'invalid_input',
        'job.policy: a promote job needs a policy (a file path or the policy itself), or force: true with a reason',
      );
    }
    const result = await withRegistry(context, async (registry) => {
      const reference = typeof job.version === 'number' ? `${job.model}/${job.version}` : `${job.model}@${job.version}`;
      parseReference(reference);
      const candidate = await registry.resolveModel(reference);
      return registry.promote({
        name: job.model,
        version: candidate.version,
        alias: job.alias,
        force: job.force,
        ...(policy ? { policy } : {}),
        ...(job.reason ? { reason: job.reason } : {}),
      });
    });
    return { kind: 'promote', summary: formatPromotion(result).trimEnd(), data: result };
  },
};
