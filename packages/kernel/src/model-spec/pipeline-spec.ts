import { z } from 'zod';
import { parseReference } from '../references/reference.js';
import { agentPipelineShape, checkAgentPipeline } from './agent-pipeline-spec.js';
import { denseRerankSchema, denseWeightBounds } from './dense-rerank-spec.js';
import { modelRerankerSchema } from './model-reranker-spec.js';

/**
 * The defaults of a RAG pipeline, the only place they are written: the context's token budget, and
 * the retrieval settings (see {@link retrievalSchema}). Without a `retrieval` block a pipeline cuts
 * its corpus in token windows and answers from the first stage's top `k`, as before reranking and
 * compression existed; the shipped improved model turns on structure chunking, reranking and compression.
 */
export const ragDefaults = {
  tokenBudget: 2000,
  retrieval: {
    chunking: { strategy: 'tokens', maxTokens: 200, overlapTokens: 40 },
    candidates: 50,
    k: 4,
    rerank: 'none',
    compress: { enabled: false, method: 'overlap', keepRatio: 0.5 },
  },
} as const;

/**
 * The bounds of a RAG pipeline's settings: whatever the schema accepts, serving can serve (the
 * chunker needs passages of at least 16 tokens; a context budget under 16 tokens holds no passage).
 */
export const ragBounds = {
  tokenBudget: { min: 16 },
  k: { min: 1, max: 100 },
  candidates: { min: 1, max: 1000 },
  maxTokens: { min: 16, max: 8192 },
  overlapTokens: { min: 0, max: 4096 },
  keepRatio: { min: 0.05, max: 1 },
  denseWeight: denseWeightBounds,
} as const;

/** A predicate out of a check that throws: true when `check(text)` does not throw. */
export function passes(check: (text: string) => unknown): (text: string) => boolean {
  return (text) => {
    try {
      check(text);
      return true;
    } catch {
      return false;
    }
  };
}

const isReference = passes(parseReference);

/** A reference to a registered prompt or model: `name`, `name@alias` or `name/version`. */
export function referenceSchema(what: 'prompt' | 'model') {
  return z
    .string()
    .min(1, `expected a ${what} reference: name, name@alias or name/version`)
    .refine(isReference, {
      error: `expected a ${what} reference: name, name@alias or name/version, with names of A-Z a-z 0-9 _ . -`,
    });
}

/** A pipeline answering with one prompt and the model. */
export const chatPipelineSchema = z.strictObject({
  kind: z.literal('chat'),
  /** The prompt; pinned to a concrete version (`name/7`) at registration. */
  prompt: referenceSchema('prompt'),
});

const { k, candidates, tokenBudget, maxTokens, overlapTokens, keepRatio } = ragBounds;
const defaults = ragDefaults.retrieval;

/** How a corpus is cut into passages: along its structure (headings, entries, paragraphs), or in token windows. */
export const chunkingSchema = z
  .strictObject({
    /** `structure`: headings, definition entries and paragraphs, with title and section; `tokens`: windows of sentences. */
    strategy: z.enum(['structure', 'tokens']).default(defaults.chunking.strategy),
    /** Largest passage of running text, in tokens. */
    maxTokens: z.number().int().min(maxTokens.min).max(maxTokens.max).default(defaults.chunking.maxTokens),
    /** Tokens repeated where a text is cut (between windows, or inside a long paragraph). */
    overlapTokens: z
      .number()
      .int()
      .min(overlapTokens.min)
      .max(overlapTokens.max)
      .default(defaults.chunking.overlapTokens),
  })
  .refine((chunking) => chunking.overlapTokens < chunking.maxTokens, {
    message: `overlapTokens (${defaults.chunking.overlapTokens} by default) must be smaller than maxTokens (${defaults.chunking.maxTokens} by default)`,
    path: ['overlapTokens'],
  });

const compressObjectSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** How a unit is scored against the question: `overlap` (corpus IDF overlap) or `support` (the answerer's unit support). */
  method: z.enum(['overlap', 'support']).default(defaults.compress.method),
  /** A sentence is kept when it scores at least this share of the best sentence. */
  keepRatio: z.number().min(keepRatio.min).max(keepRatio.max).default(defaults.compress.keepRatio),
});

/** Most values a rebuild may try for a tuned setting (each costs one evaluation per dataset). */
export const maxTunedValues = 8;

/**
 * Settings a rebuild re-tunes on the promotion datasets before registering (monitoring's `rebuild` action): for
 * `k`, the values to try (the spec's own `k` is always tried too, and wins ties). Serving ignores it.
 */
export const retrievalTuneSchema = z.strictObject({
  k: z
    .array(
      z
        .number()
        .int(`expected a whole number of passages from ${k.min} to ${k.max}`)
        .min(k.min, `expected a whole number of passages from ${k.min} to ${k.max}`)
        .max(k.max, `expected a whole number of passages from ${k.min} to ${k.max}`),
      { error: 'expected a list of k values to try, for example [3, 5, 8]' },
    )
    .min(1, 'expected at least one k value to try, for example [3, 5, 8]')
    .max(maxTunedValues, `expected at most ${maxTunedValues} k values to try`),
});

/** Retrieval of a RAG pipeline: chunking, the candidate stage, reranking to the top `k`, and context compression. */
export const retrievalSchema = z
  .strictObject({
    chunking: chunkingSchema.default({ ...defaults.chunking }),
    /** Passages the first stage (BM25F, fused with the embedder when configured) hands to the reranker. */
    candidates: z.number().int().min(candidates.min).max(candidates.max).default(defaults.candidates),
    /** Passages kept after reranking. */
    k: z.number().int().min(k.min).max(k.max).default(defaults.k),
    /** `lexical`: IDF-weighted coverage, term proximity and title/section matches; `none`: first-stage order. */
    rerank: z.enum(['none', 'lexical']).default(defaults.rerank),
    /** Keep only the sentences and entries of the top `k` that bear on the question (`true`, or `{ keepRatio }`). */
    compress: z
      .union([z.boolean().transform((enabled) => ({ ...defaults.compress, enabled })), compressObjectSchema])
      .default({ ...defaults.compress }),
    /** What a rebuild re-tunes on the promotion datasets (`{ k: [3, 5, 8] }`); absent: rebuilt as written. */
    tune: retrievalTuneSchema.optional(),
    /**
     * Replace personal data in the corpus with placeholders (`[REDACTED_EMAIL]`…) when it is indexed, so the stored
     * index, the prompt and the answer never hold it; off (absent) by default.
     */
    redactPii: z.boolean().optional(),
    /** A dense signal fused into the lexical rerank (`{ weights, weight }`); off (absent) by default. */
    dense: denseRerankSchema.optional(),
    /** A cross-encoder or LLM reranker over HTTP deciding the order of the top `k`; off (absent) by default. */
    reranker: modelRerankerSchema.optional(),
  })
  .refine((retrieval) => retrieval.candidates >= retrieval.k, {
    message: `candidates (${defaults.candidates} by default) must be at least k (${defaults.k} by default)`,
    path: ['candidates'],
  })
  .refine((retrieval) => !retrieval.dense || retrieval.rerank === 'lexical', {
    message: 'dense is added to the lexical rerank: expected rerank: lexical with it',
    path: ['dense'],
  })
  .superRefine((retrieval, context) => {
    const seen = new Set<number>();
    retrieval.tune?.k.forEach((value, index) => {
      if (value > retrieval.candidates) {
        context.addIssue({
          code: 'custom',
          message: `k ${value} is more than candidates (${retrieval.candidates}): expected at most ${retrieval.candidates}`,
          path: ['tune', 'k', index],
        });
      }
      if (seen.has(value)) {
        context.addIssue({ code: 'custom', message: `k ${value} is listed twice`, path: ['tune', 'k', index] });
      }
      seen.add(value);
    });
  });

/** A pipeline retrieving passages from a corpus, fitting them in a token budget, and answering from them. */
export const ragPipelineSchema = z.strictObject({
  kind: z.literal('rag'),
  prompt: referenceSchema('prompt'),
  /** The corpus (a folder or index location); the registry records it, serving reads it. */
  corpus: z.string().min(1, 'expected the corpus location, for example confs/data/kb/'),
  /** Most tokens of retrieved context put in the prompt. */
  tokenBudget: z
    .number()
    .int()
    .min(tokenBudget.min, `expected at least ${tokenBudget.min} tokens: a smaller context holds no passage`)
    .default(ragDefaults.tokenBudget),
  retrieval: retrievalSchema.default(() => retrievalSchema.parse({})),
  /** Hybrid retrieval: an embedder (`offline/lexical`, `openai/text-embedding-3-small`) fused with BM25F. */
  embedder: z
    .string()
    .regex(/^[A-Za-z0-9_-]+\/.+$/, 'expected <provider>/<model>, for example offline/lexical')
    .optional(),
});

/**
 * A pipeline of assistant agents calling tools in a loop, alone or as a team (see `agentPipelineShape`).
 * The pinned prompt is the system message of every agent without its own `system`.
 */
export const agentPipelineSchema = z
  .strictObject({ ...agentPipelineShape, prompt: referenceSchema('prompt') })
  .superRefine(checkAgentPipeline);

/** The pipeline of a model version, by kind. */
export const pipelineSpecSchema = z.discriminatedUnion(
  'kind',
  [chatPipelineSchema, ragPipelineSchema, agentPipelineSchema],
  {
    error: (issue) => (issue.code === 'invalid_union' ? 'expected chat, rag or agent' : undefined),
  },
);

/** A chat pipeline, defaults filled in. */
export type ChatPipelineSpec = z.output<typeof chatPipelineSchema>;
/** A RAG pipeline, defaults filled in. */
export type RagPipelineSpec = z.output<typeof ragPipelineSchema>;
/** The retrieval settings of a RAG pipeline, defaults filled in. */
export type RetrievalSpec = z.output<typeof retrievalSchema>;
/** What a rebuild re-tunes of a RAG pipeline's retrieval. */
export type RetrievalTune = z.output<typeof retrievalTuneSchema>;
/** How a RAG pipeline's corpus is chunked, defaults filled in. */
export type ChunkingSpec = z.output<typeof chunkingSchema>;
/** An agent pipeline, defaults filled in. */
export type AgentPipelineSpec = z.output<typeof agentPipelineSchema>;
/** The pipeline of a model version, defaults filled in. */
export type PipelineSpec = z.output<typeof pipelineSpecSchema>;
