import { namePattern } from '@llmops/kernel';
import { z } from 'zod';
import { classifierHarmCategories } from './harm-categories.js';
import { piiKinds } from './pii-detectors.js';

const blockOrFlag = z.enum(['block', 'flag']);

/** The harmful-content check: the local classifier, on all its categories unless narrowed. */
export const harmfulCheckSchema = z.strictObject({
  action: blockOrFlag.default('block'),
  categories: z.array(z.enum(classifierHarmCategories)).min(1).optional(),
  /** The policy's own terms per category, added to the built-in lexicon. */
  extraTerms: z.partialRecord(z.enum(classifierHarmCategories), z.array(z.string().min(1))).optional(),
});

/** The PII check: detection, then block, redact (replace with `[REDACTED_<KIND>]`) or flag. */
export const piiCheckSchema = z.strictObject({
  action: z.enum(['block', 'redact', 'flag']).default('redact'),
  kinds: z.array(z.enum(piiKinds)).min(1).optional(),
  /**
   * Values that are not personal data here, exactly or with `*` wildcards, case-insensitive: the
   * product's public addresses (`*@nimbusnotes.example`), a published support number.
   */
  allow: z.array(z.string().min(1)).optional(),
});

/** The prompt-injection heuristics. */
export const injectionCheckSchema = z.strictObject({ action: blockOrFlag.default('block') });

/** The largest input, in tokens of the whole conversation as sent. */
export const maxTokensCheckSchema = z.strictObject({
  limit: z.number().int().positive(),
  action: blockOrFlag.default('block'),
});

/** The moderation check (an OpenAI-compatible endpoint or an LLM judge, configured in `moderation`). */
export const moderationCheckSchema = z.strictObject({ action: blockOrFlag.default('block') });

/** An OpenAI-compatible `POST /moderations` endpoint. */
export const openAiModerationSchema = z.strictObject({
  kind: z.literal('openai'),
  /** The API base URL up to `/v1`; OpenAI's by default. */
  baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.openai.com/v1'),
  model: z.string().min(1).default('omni-moderation-latest'),
  /** The variable holding the API key (`OPENAI_API_KEY` by default; none needed for a local endpoint without key). */
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .optional(),
  timeoutMs: z.number().int().positive().default(5_000),
  /** Also flag a category whose score reaches this, even when the endpoint did not flag it. */
  threshold: z.number().min(0).max(1).optional(),
});

/** An LLM judge: any chat model (a provider spec such as `openai/gpt-4o-mini`) asked for a JSON verdict. */
export const judgeModerationSchema = z.strictObject({
  kind: z.literal('judge'),
  model: z.string().min(1),
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .optional(),
  timeoutMs: z.number().int().positive().default(10_000),
});

/** Where the moderation check asks. */
export const moderationSettingsSchema = z.discriminatedUnion('kind', [openAiModerationSchema, judgeModerationSchema]);
/** Where the moderation check asks. */
export type ModerationSettings = z.infer<typeof moderationSettingsSchema>;

/** The checks run on the request. */
export const inputChecksSchema = z.strictObject({
  harmful: harmfulCheckSchema.optional(),
  pii: piiCheckSchema.optional(),
  injection: injectionCheckSchema.optional(),
  maxTokens: maxTokensCheckSchema.optional(),
  moderation: moderationCheckSchema.optional(),
});

/** The checks run on the answer (on streams, before every window of text is sent). */
export const outputChecksSchema = z.strictObject({
  harmful: harmfulCheckSchema.optional(),
  pii: piiCheckSchema.optional(),
  moderation: moderationCheckSchema.optional(),
});

/** How streamed answers are checked. */
export const streamSettingsSchema = z.strictObject({
  /** Text is sent in windows of at least this many characters, each checked first. */
  windowChars: z.number().int().positive().default(48),
  /**
   * The last characters of the answer so far are held back until more text follows, so that a
   * phrase or a number cut across windows is checked whole before any of it is sent.
   */
  holdBackChars: z.number().int().nonnegative().default(96),
});

/** One guardrail policy. */
export const guardrailPolicySchema = z
  .strictObject({
    description: z.string().optional(),
    /** `error`: a blocked request fails with `guardrail_blocked` (HTTP 400); `refuse`: it gets a 200 with `refusalMessage`. */
    onBlock: z.enum(['error', 'refuse']).default('error'),
    refusalMessage: z.string().min(1).default("I can't help with that request."),
    input: inputChecksSchema.default({}),
    output: outputChecksSchema.default({}),
    moderation: moderationSettingsSchema.optional(),
    stream: streamSettingsSchema.default({ windowChars: 48, holdBackChars: 96 }),
  })
  .superRefine((policy, context) => {
    for (const stage of ['input', 'output'] as const) {
      if (policy[stage].moderation && !policy.moderation) {
        context.addIssue({
          code: 'custom',
          path: [stage, 'moderation'],
          message: 'the moderation check needs a `moderation` section in the policy (kind: openai or judge)',
        });
      }
    }
  });
/** One guardrail policy. */
export type GuardrailPolicy = z.infer<typeof guardrailPolicySchema>;
/** The input checks of a policy. */
export type InputChecks = z.infer<typeof inputChecksSchema>;
/** The output checks of a policy. */
export type OutputChecks = z.infer<typeof outputChecksSchema>;

/** The guardrails file (`confs/guardrails.yaml`): policies by name. */
export const guardrailsFileSchema = z.strictObject({
  policies: z.record(
    z.string().regex(namePattern, 'policy names are made of A-Z a-z 0-9 _ . -'),
    guardrailPolicySchema,
  ),
});
/** The content of a guardrails file. */
export type GuardrailsFile = z.infer<typeof guardrailsFileSchema>;

/** The policy a model version gets when its spec names none. */
export const defaultGuardrailPolicyName = 'default';
