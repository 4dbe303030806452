import { chatCompletionRequestSchema, safeParseWithSchema } from '@llmops/kernel';
import type { SchemaParseResult } from '@llmops/kernel';
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

/** A plain JSON object (what `JSON.parse` makes of `{…}`), not an array, not null, no prototype of its own. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

const commonRoles = new Set(['system', 'developer', 'user', 'assistant']);

/** A message of the common shape (`{role, content: string, name?}`, no tool role), copied as zod would, or undefined. */
function commonMessage(value: unknown): Record<string, unknown> | undefined {
  if (!isPlainObject(value)) return undefined;
  let fields = 0;
  const { role, content, name } = value;
  if (typeof role !== 'string' || !commonRoles.has(role) || typeof content !== 'string') return undefined;
  fields += 2;
  if (name !== undefined) {
    if (typeof name !== 'string') return undefined;
    fields += 1;
  }
  if (Object.keys(value).length !== fields) return undefined;
  return name === undefined ? { role, content } : { role, content, name };
}

/**
 * The common request, checked by hand: `model`, `messages` of the common shape, and at most `stream`,
 * `stream_options: {include_usage}`, `temperature`, `max_tokens` and `user`, each valid. The result is what
 * {@link servedChatRequestSchema} parses the same body to (new objects, its key order); undefined for any other body,
 * which zod then judges. Nothing is refused here, so every error comes from the schema.
 */
export function commonServedChatRequest(value: unknown): ServedChatRequest | undefined {
  if (!isPlainObject(value)) return undefined;
  const { model, messages, stream, stream_options: streamOptions, temperature, max_tokens: maxTokens, user } = value;
  let fields = 2;
  if (typeof model !== 'string' || model.length === 0 || !Array.isArray(messages) || messages.length === 0)
    return undefined;
  const copied: Record<string, unknown>[] = [];
  for (const message of messages as unknown[]) {
    const common = commonMessage(message);
    if (!common) return undefined;
    copied.push(common);
  }
  const parsed: Record<string, unknown> = {};
  if (temperature !== undefined) {
    if (temperature !== null && !(typeof temperature === 'number' && temperature >= 0 && temperature <= 2))
      return undefined;
    parsed['temperature'] = temperature;
    fields += 1;
  }
  if (maxTokens !== undefined) {
    if (maxTokens !== null && !(Number.isSafeInteger(maxTokens) && (maxTokens as number) > 0)) return undefined;
    parsed['max_tokens'] = maxTokens;
    fields += 1;
  }
  parsed['model'] = model;
  parsed['messages'] = copied;
  if (stream !== undefined) {
    if (stream !== null && typeof stream !== 'boolean') return undefined;
    parsed['stream'] = stream;
    fields += 1;
  }
  if (streamOptions !== undefined) {
    if (streamOptions === null) parsed['stream_options'] = null;
    else {
      if (!isPlainObject(streamOptions)) return undefined;
      const includeUsage = streamOptions['include_usage'];
      const keys = Object.keys(streamOptions).length;
      if (includeUsage === undefined) {
        if (keys !== 0) return undefined;
        parsed['stream_options'] = {};
      } else {
        if (typeof includeUsage !== 'boolean' || keys !== 1) return undefined;
        parsed['stream_options'] = { include_usage: includeUsage };
      }
    }
    fields += 1;
  }
  if (user !== undefined) {
    if (typeof user !== 'string') return undefined;
    parsed['user'] = user;
    fields += 1;
  }
  return Object.keys(value).length === fields ? (parsed as ServedChatRequest) : undefined;
}

/**
 * Parses the body of `POST /v1/chat/completions`: the common request by hand ({@link commonServedChatRequest}), anything
 * else with {@link servedChatRequestSchema}; the same result either way, and every refusal is the schema's.
 */
export function parseServedChatRequest(value: unknown): SchemaParseResult<ServedChatRequest> {
  const common = commonServedChatRequest(value);
  if (common) return { success: true, data: common };
  return safeParseWithSchema(servedChatRequestSchema, value, { where: 'invalid chat completion request' });
}

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
