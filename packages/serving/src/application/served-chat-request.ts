import { chatCompletionRequestSchema } from '@llmops/kernel';
import { z } from 'zod';
import type { PipelineRequest } from './pipeline.js';

/**
 * The body of `POST /v1/chat/completions` as llmops serves it: OpenAI's request (`model` is a
 * registry reference: `name@alias`, `name/7` or `name`) plus an optional `llmops` extension
 * carrying the prompt's variables. Unknown top-level fields pass, as OpenAI adds fields often.
 */
export const servedChatRequestSchema = chatCompletionRequestSchema.extend({
  llmops: z
    .strictObject({
      /** Values of the pinned prompt's `{{variables}}`. */
      variables: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
});
/** A parsed served chat request. */
export type ServedChatRequest = z.infer<typeof servedChatRequestSchema>;

/** A served request split into what routing, the transport and the pipeline each need. */
export interface ServedRequestParts {
  /** The registry reference in `model`. */
  reference: string;
  stream: boolean;
  /** `stream_options.include_usage`. */
  includeUsage: boolean;
  request: PipelineRequest;
}

/** Splits a parsed request: `model`, `stream`, `stream_options` and `llmops` are not the model's business. */
export function splitServedRequest(parsed: ServedChatRequest): ServedRequestParts {
  const { model, stream, stream_options: streamOptions, llmops, ...rest } = parsed;
  return {
    reference: model,
    stream: stream === true,
    includeUsage: streamOptions?.include_usage === true,
    request: { ...rest, ...(llmops?.variables ? { variables: llmops.variables } : {}) },
  };
}
