import { assertValidName, LlmopsError, parseReference } from '@llmops/kernel';
import { parseModelSpec, providerSpecSchema } from '@llmops/providers';
import { z } from 'zod';

function isReference(text: string): boolean {
  try {
    parseReference(text);
    return true;
  } catch {
    return false;
  }
}

const referenceSchema = (what: string) =>
  z
    .string()
    .min(1, `expected a ${what} reference: name, name@alias or name/version`)
    .refine(isReference, {
      error: `expected a ${what} reference: name, name@alias or name/version, with names of A-Z a-z 0-9 _ . -`,
    });

/** The chat provider of a model: `<provider>/<model>` text (`offline/extractive`) or the object form of `@llmops/providers`. */
export const modelProviderSchema = z
  .preprocess((value, context) => {
    if (value === undefined) {
      context.issues.push({
        code: 'custom',
        message: 'expected the chat model as <provider>/<model>, e.g. offline/extractive',
        input: value,
      });
      return z.NEVER;
    }
    if (typeof value !== 'string') return value;
    try {
      return parseModelSpec(value);
    } catch (error) {
      context.issues.push({ code: 'custom', message: LlmopsError.fromUnknown(error).message, input: value });
      return z.NEVER;
    }
  }, providerSpecSchema)
  .refine((spec) => !(spec.provider === 'offline' && spec.model === 'lexical'), {
    error: 'offline/lexical is an embedding model; a model needs a chat model such as offline/extractive',
  });

/** Generation parameters of a model version (OpenAI names). */
export const modelParamsSchema = z.strictObject({
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: z.number().int().positive().optional(),
  top_p: z.number().gt(0).max(1).optional(),
  seed: z.number().int().optional(),
  stop: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(4)]).optional(),
});

/** A pipeline answering with one prompt and the model. */
export const chatPipelineSchema = z.strictObject({
  kind: z.literal('chat'),
  /** The prompt; pinned to a concrete version (`name/7`) at registration. */
  prompt: referenceSchema('prompt'),
});

/** A pipeline retrieving passages from a corpus, fitting them in a token budget, and answering from them. */
export const ragPipelineSchema = z
  .strictObject({
    kind: z.literal('rag'),
    prompt: referenceSchema('prompt'),
    /** The corpus (a folder or index location); the registry records it, serving reads it. */
    corpus: z.string().min(1, 'expected the corpus location, for example confs/data/kb/'),
    /** Passages retrieved per question. */
    k: z.number().int().min(1).max(100).default(4),
    /** Most tokens of retrieved context put in the prompt. */
    tokenBudget: z.number().int().min(1).default(2000),
    /** Largest passage in tokens when the corpus is chunked (serving's default when absent). */
    chunkTokens: z.number().int().min(8).max(8192).optional(),
    /** Tokens repeated between consecutive passages (serving's default when absent). */
    chunkOverlapTokens: z.number().int().min(0).max(4096).optional(),
    /** Hybrid retrieval: an embedder (`offline/lexical`, `openai/text-embedding-3-small`) fused with BM25. */
    embedder: z
      .string()
      .regex(/^[A-Za-z0-9_-]+\/.+$/, 'expected <provider>/<model>, for example offline/lexical')
      .optional(),
  })
  .refine(
    (pipeline) =>
      pipeline.chunkOverlapTokens === undefined || pipeline.chunkOverlapTokens < (pipeline.chunkTokens ?? 200),
    {
      message: 'chunkOverlapTokens must be smaller than chunkTokens',
      path: ['chunkOverlapTokens'],
    },
  );

/** A pipeline that calls tools in a loop, alone or with a team of other models. */
export const agentPipelineSchema = z.strictObject({
  kind: z.literal('agent'),
  prompt: referenceSchema('prompt'),
  /** Names of the tools the agent may call. */
  tools: z.array(z.string().min(1)).default([]),
  /** Other models (references) the agent may hand work to. */
  team: z.array(referenceSchema('model')).default([]),
  /** Most tool-calling rounds before the agent must answer. */
  maxSteps: z.number().int().min(1).max(100).default(8),
});

/** The pipeline of a model version, by kind. */
export const pipelineSpecSchema = z.discriminatedUnion(
  'kind',
  [chatPipelineSchema, ragPipelineSchema, agentPipelineSchema],
  {
    error: (issue) => (issue.code === 'invalid_union' ? 'expected chat, rag or agent' : undefined),
  },
);

/** The response cache policy of a model version. */
export const cachePolicySchema = z.strictObject({
  enabled: z.boolean().default(true),
  ttlSeconds: z.number().int().min(0).default(3600),
});

/**
 * The spec of a model version, as written in `confs/models/*.yaml`: what is served under the model's
 * name. Defaults are filled in, so two files that differ only by spelling out a default hash the same.
 */
export const modelSpecSchema = z.strictObject({
  name: z.string().refine(
    (name) => {
      try {
        assertValidName(name);
        return true;
      } catch {
        return false;
      }
    },
    { error: 'expected a model name of A-Z a-z 0-9 _ . -' },
  ),
  description: z.string().max(5000).default(''),
  tags: z.record(z.string(), z.string()).default({}),
  provider: modelProviderSchema,
  params: modelParamsSchema.default({}),
  pipeline: pipelineSpecSchema,
  /** The guardrail policy applied to input and output. */
  guardrails: z.string().min(1).default('default'),
  cache: cachePolicySchema.default({ enabled: true, ttlSeconds: 3600 }),
  /** Models (references) to fall back to, in order, when this one fails. */
  fallbacks: z.array(referenceSchema('model')).default([]),
});

/** A model version's spec as written (before defaults). */
export type ModelSpecInput = z.input<typeof modelSpecSchema>;
/** A model version's spec with defaults filled in. */
export type ModelVersionSpec = z.output<typeof modelSpecSchema>;
/** The pipeline of a model version. */
export type PipelineSpec = ModelVersionSpec['pipeline'];

/** Formats zod issues as `path: message` lines. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.map(String).join('.') || '(top level)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Validates a model spec and fills in defaults.
 * @throws LlmopsError `invalid_input` naming `where` and each bad field.
 */
export function parseModelVersionSpec(value: unknown, where = 'model spec'): ModelVersionSpec {
  const result = modelSpecSchema.safeParse(value);
  if (!result.success) {
    throw new LlmopsError('invalid_input', `${where}: ${describeIssues(result.error)}`, {
      details: result.error.issues,
    });
  }
  return result.data;
}
