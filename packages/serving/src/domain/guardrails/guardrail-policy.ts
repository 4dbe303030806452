import { namePattern } from '@llmops/kernel';
import type { LlamaGuardHazard } from '@llmops/kernel';
import { z } from 'zod';
import { classifierHarmCategories } from './harm-categories.js';
import { piiKinds } from './pii-detectors.js';

const blockOrFlag = z.enum(['block', 'flag']);

const llamaGuardHazardCodes = Array.from({ length: 14 }, (_, index) => `S${index + 1}`) as [
  LlamaGuardHazard,
  ...LlamaGuardHazard[],
];

const probability = z.number().gt(0).lt(1);

/**
 * Opt-in second stage of a check (see `EncoderClassifier`): Google's multilingual sentence encoder, quantised,
 * with the team's head, asked only when the check's rules and the n-gram classifier find nothing. `weights` is
 * the file `tools/guardrails/encoder/quantise-encoder.py write` builds (about 70 MB; read once per process,
 * whichever checks and policies name it). It reads meaning rather than words, at a cost of milliseconds of
 * CPU per text. Off when absent.
 */
export const encoderStageSchema = z.strictObject({ weights: z.string().min(1) });
/** The encoder stage's settings in a check. */
export type EncoderStageSettings = z.infer<typeof encoderStageSchema>;

/**
 * The learned classifier behind the lexicon of the harmful check (see `LearnedClassifier`): on unless
 * `enabled: false`; `thresholds` replace the shipped model's per category (a higher one flags less).
 */
export const learnedHarmSettingsSchema = z.strictObject({
  enabled: z.boolean().default(true),
  thresholds: z.partialRecord(z.enum(classifierHarmCategories), probability).optional(),
  /** The encoder stage after the lexicon and the n-grams (see {@link encoderStageSchema}); off when absent. */
  encoder: encoderStageSchema.optional(),
});
/** The learned classifier's settings in a harmful check. */
export type LearnedHarmSettings = z.infer<typeof learnedHarmSettingsSchema>;

/**
 * The learned classifier's injection head behind the injection heuristics: on the input and on retrieved passages
 * on unless `enabled: false`; on the answer only when given (absent, the answer's echo check is the heuristics alone).
 */
export const learnedInjectionSettingsSchema = z.strictObject({
  enabled: z.boolean().default(true),
  threshold: probability.optional(),
  /**
   * The encoder stage's injection head after the heuristics and the n-grams (see {@link encoderStageSchema}),
   * wherever the check runs (input, retrieved passages, the answer); off when absent.
   */
  encoder: encoderStageSchema.optional(),
});
/** The learned classifier's settings in an injection check. */
export type LearnedInjectionSettings = z.infer<typeof learnedInjectionSettingsSchema>;

/** The harmful-content check: the local classifier, on all its categories unless narrowed. */
export const harmfulCheckSchema = z.strictObject({
  action: blockOrFlag.default('block'),
  categories: z.array(z.enum(classifierHarmCategories)).min(1).optional(),
  /** The policy's own terms per category, added to the built-in lexicon. */
  extraTerms: z.partialRecord(z.enum(classifierHarmCategories), z.array(z.string().min(1))).optional(),
  /** The learned classifier after the lexicon; on with the shipped thresholds when absent. */
  classifier: learnedHarmSettingsSchema.optional(),
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

/** The prompt-injection heuristics, then the learned classifier's injection head (see {@link learnedInjectionSettingsSchema}). */
export const injectionCheckSchema = z.strictObject({
  action: blockOrFlag.default('block'),
  classifier: learnedInjectionSettingsSchema.optional(),
});

/**
 * Input in a language the local classifiers do not cover (see `detectLanguage`): never a silent pass.
 * `flag` records it in the verdicts, the trace, the event and the response's `llmops.guardrails.language`;
 * `block` refuses it. Pair `flag` with a `moderation` check for languages a moderation service reads.
 */
export const languageCheckSchema = z.strictObject({ uncovered: blockOrFlag.default('flag') });

/**
 * Links in an answer that its sources do not contain (the conversation, the retrieved passages): made
 * up by the model, or carried in from somewhere the user never saw. `allow` lists hosts that are always
 * fine, with `*` wildcards (`*.nimbusnotes.example`). Agent answers are not checked (tool outputs are not
 * kept as sources).
 */
export const urlCheckSchema = z.strictObject({
  action: z.enum(['block', 'redact', 'flag']).default('redact'),
  allow: z.array(z.string().min(1)).optional(),
});

/** The largest input, in tokens of the whole conversation as sent. */
export const maxTokensCheckSchema = z.strictObject({
  limit: z.number().int().positive(),
  action: blockOrFlag.default('block'),
});

/** The moderation check (an OpenAI-compatible endpoint, an LLM judge or a Llama Guard model, configured in `moderation`). */
export const moderationCheckSchema = z.strictObject({ action: blockOrFlag.default('block') });

/**
 * What a stage does when its moderation service fails (unreachable, timed out, an HTTP error, an answer
 * that is not a verdict): `block` (fail closed) blocks the request or answer with category
 * `guard_unavailable`; `allow` (fail open) lets it pass and records a flag with that category. Either
 * way the verdict says which failure it was (rule `moderation.<error code>`).
 */
export const moderationUnavailableSchema = z.enum(['block', 'allow']);

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
  onUnavailable: moderationUnavailableSchema.default('block'),
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
  onUnavailable: moderationUnavailableSchema.default('block'),
});

/**
 * A Llama Guard 3 model behind any OpenAI-compatible endpoint (vLLM, TGI, llama.cpp, Ollama), prompted
 * in Llama Guard's format; the hazards it names (S1–S14) are read as the kernel's harm categories.
 */
export const llamaGuardModerationSchema = z.strictObject({
  kind: z.literal('llama_guard'),
  /** The endpoint's base URL up to `/v1`, for example `http://127.0.0.1:8000/v1`. */
  baseUrl: z.url({ protocol: /^https?$/ }),
  /** The served model name, for example `meta-llama/Llama-Guard-3-8B` or `llama-guard3:8b`. */
  model: z.string().min(1),
  /** The variable holding the endpoint's API key; none for a local endpoint without key. */
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .optional(),
  /** Time allowed for one verdict, retries included. */
  timeoutMs: z.number().int().positive().default(5_000),
  onUnavailable: moderationUnavailableSchema.default('block'),
  /**
   * `completions` (default): llmops writes Llama Guard's prompt and posts it to `/completions` (vLLM, TGI,
   * llama.cpp); `chat`: the conversation goes to `/chat/completions` and the server's template writes it (Ollama).
   */
  api: z.enum(['completions', 'chat']).default('completions'),
  /** The hazards judged and reported; all of S1–S14 by default. */
  hazards: z.array(z.enum(llamaGuardHazardCodes)).min(1).optional(),
});

/** Where the moderation check asks. */
export const moderationSettingsSchema = z.discriminatedUnion('kind', [
  openAiModerationSchema,
  judgeModerationSchema,
  llamaGuardModerationSchema,
]);
/** Where the moderation check asks. */
export type ModerationSettings = z.infer<typeof moderationSettingsSchema>;

/** The checks run on the request. */
export const inputChecksSchema = z.strictObject({
  harmful: harmfulCheckSchema.optional(),
  pii: piiCheckSchema.optional(),
  injection: injectionCheckSchema.optional(),
  maxTokens: maxTokensCheckSchema.optional(),
  moderation: moderationCheckSchema.optional(),
  /** What happens to input in a language the local classifiers do not cover. */
  language: languageCheckSchema.optional(),
});

/** The checks run on the answer (on streams, before every window of text is sent). */
export const outputChecksSchema = z.strictObject({
  harmful: harmfulCheckSchema.optional(),
  /**
   * Injection echoed in the answer (an instruction a poisoned source made the model repeat): the heuristics, then
   * the learned injection head and its encoder stage only when `classifier` is given.
   */
  injection: injectionCheckSchema.optional(),
  /** Links the sources do not contain. */
  urls: urlCheckSchema.optional(),
  pii: piiCheckSchema.optional(),
  moderation: moderationCheckSchema.optional(),
});

/**
 * What happens to a retrieved passage a check flags: `drop` leaves it out of the prompt, `quarantine`
 * cuts the flagged sentences out of it and keeps the rest (the whole passage is dropped when no single
 * sentence is to blame), `flag` only records it.
 */
export const passageActionSchema = z.enum(['drop', 'quarantine', 'flag']);
/** What happens to a flagged retrieved passage. */
export type PassageAction = z.infer<typeof passageActionSchema>;

/**
 * The checks run on every retrieved passage before the prompt is assembled (indirect prompt injection,
 * harmful content planted in a corpus). Without this section a policy screens passages with its input
 * `injection` and `harmful` checks: a check that blocks drops the passage, one that flags records it.
 */
export const retrievedChecksSchema = z.strictObject({
  injection: z
    .strictObject({
      action: passageActionSchema.default('drop'),
      classifier: learnedInjectionSettingsSchema.optional(),
    })
    .optional(),
  harmful: z
    .strictObject({
      action: passageActionSchema.default('drop'),
      categories: z.array(z.enum(classifierHarmCategories)).min(1).optional(),
      extraTerms: z.partialRecord(z.enum(classifierHarmCategories), z.array(z.string().min(1))).optional(),
      classifier: learnedHarmSettingsSchema.optional(),
    })
    .optional(),
});
/** The checks run on retrieved passages. */
export type RetrievedChecks = z.infer<typeof retrievedChecksSchema>;

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
    /** Checks on retrieved passages (RAG); derived from `input` when absent (see {@link retrievedChecksSchema}). */
    retrieved: retrievedChecksSchema.optional(),
    moderation: moderationSettingsSchema.optional(),
    stream: streamSettingsSchema.default({ windowChars: 48, holdBackChars: 96 }),
  })
  .superRefine((policy, context) => {
    for (const stage of ['input', 'output'] as const) {
      if (policy[stage].moderation && !policy.moderation) {
        context.addIssue({
          code: 'custom',
          path: [stage, 'moderation'],
          message:
            'the moderation check needs a `moderation` section in the policy (kind: openai, judge or llama_guard)',
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

/**
 * The checks a policy runs on retrieved passages: its `retrieved` section, else its input `injection`
 * and `harmful` checks (a blocking check drops a flagged passage, a flagging one records it).
 */
export function retrievedChecksOf(policy: GuardrailPolicy): RetrievedChecks {
  if (policy.retrieved) return policy.retrieved;
  const actionOf = (action: 'block' | 'flag'): PassageAction => (action === 'block' ? 'drop' : 'flag');
  const { injection, harmful } = policy.input;
  return {
    ...(injection
      ? {
          injection: {
            action: actionOf(injection.action),
            ...(injection.classifier ? { classifier: injection.classifier } : {}),
          },
        }
      : {}),
    ...(harmful
      ? {
          harmful: {
            action: actionOf(harmful.action),
            ...(harmful.categories ? { categories: harmful.categories } : {}),
            ...(harmful.extraTerms ? { extraTerms: harmful.extraTerms } : {}),
            ...(harmful.classifier ? { classifier: harmful.classifier } : {}),
          },
        }
      : {}),
  };
}

/** The policy a model version gets when its spec names none. */
export const defaultGuardrailPolicyName = 'default';
