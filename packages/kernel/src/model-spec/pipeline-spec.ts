import { z } from 'zod';
import { parseReference } from '../references/reference.js';

/**
 * The defaults of a RAG pipeline, the only place they are written: passages retrieved (`k`), the
 * context's token budget, and the chunking of the corpus (passage size and overlap, in tokens).
 */
export const ragDefaults = { k: 4, tokenBudget: 2000, chunkTokens: 200, chunkOverlapTokens: 40 } as const;

/**
 * The bounds of a RAG pipeline's settings: whatever the schema accepts, serving can serve (the
 * chunker needs passages of at least 16 tokens; a context budget under 16 tokens holds no passage).
 */
export const ragBounds = {
  k: { min: 1, max: 100 },
  tokenBudget: { min: 16 },
  chunkTokens: { min: 16, max: 8192 },
  chunkOverlapTokens: { min: 0, max: 4096 },
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

/** The chunking a RAG pipeline's corpus is cut with: its own settings, or the defaults. */
export function ragChunking(pipeline: { chunkTokens?: number | undefined; chunkOverlapTokens?: number | undefined }): {
  chunkTokens: number;
  overlapTokens: number;
} {
  return {
    chunkTokens: pipeline.chunkTokens ?? ragDefaults.chunkTokens,
    overlapTokens: pipeline.chunkOverlapTokens ?? ragDefaults.chunkOverlapTokens,
  };
}

const { k, tokenBudget, chunkTokens, chunkOverlapTokens } = ragBounds;

/** A pipeline retrieving passages from a corpus, fitting them in a token budget, and answering from them. */
export const ragPipelineSchema = z
  .strictObject({
    kind: z.literal('rag'),
    prompt: referenceSchema('prompt'),
    /** The corpus (a folder or index location); the registry records it, serving reads it. */
    corpus: z.string().min(1, 'expected the corpus location, for example confs/data/kb/'),
    /** Passages retrieved per question. */
    k: z.number().int().min(k.min).max(k.max).default(ragDefaults.k),
    /** Most tokens of retrieved context put in the prompt. */
    tokenBudget: z
      .number()
      .int()
      .min(tokenBudget.min, `expected at least ${tokenBudget.min} tokens: a smaller context holds no passage`)
      .default(ragDefaults.tokenBudget),
    /** Largest passage in tokens when the corpus is chunked (`ragDefaults.chunkTokens` when absent). */
    chunkTokens: z.number().int().min(chunkTokens.min).max(chunkTokens.max).optional(),
    /** Tokens repeated between consecutive passages (`ragDefaults.chunkOverlapTokens` when absent). */
    chunkOverlapTokens: z.number().int().min(chunkOverlapTokens.min).max(chunkOverlapTokens.max).optional(),
    /** Hybrid retrieval: an embedder (`offline/lexical`, `openai/text-embedding-3-small`) fused with BM25. */
    embedder: z
      .string()
      .regex(/^[A-Za-z0-9_-]+\/.+$/, 'expected <provider>/<model>, for example offline/lexical')
      .optional(),
  })
  .refine(
    (pipeline) => {
      const chunking = ragChunking(pipeline);
      return chunking.overlapTokens < chunking.chunkTokens;
    },
    {
      message: `chunkOverlapTokens (${ragDefaults.chunkOverlapTokens} by default) must be smaller than chunkTokens (${ragDefaults.chunkTokens} by default)`,
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

/** A chat pipeline, defaults filled in. */
export type ChatPipelineSpec = z.output<typeof chatPipelineSchema>;
/** A RAG pipeline, defaults filled in. */
export type RagPipelineSpec = z.output<typeof ragPipelineSchema>;
/** An agent pipeline, defaults filled in. */
export type AgentPipelineSpec = z.output<typeof agentPipelineSchema>;
/** The pipeline of a model version, defaults filled in. */
export type PipelineSpec = z.output<typeof pipelineSpecSchema>;
