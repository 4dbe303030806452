import { chatCompletionChunkSchema, chatCompletionSchema, parseWithSchema } from '@llmops/kernel';
import type { ChatCompletion, ChatCompletionChunk } from '@llmops/kernel';
import { z } from 'zod';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Finish reasons some OpenAI-compatible servers spell differently. */
const finishReasonAliases: Record<string, string> = {
  tool_call: 'tool_calls',
  function_calls: 'tool_calls',
  max_tokens: 'length',
  eos: 'stop',
  end_turn: 'stop',
  stop_sequence: 'stop',
};

function finishReason(value: unknown, fallback: string | null): unknown {
  if (value === undefined || value === null || value === '') return fallback;
  return typeof value === 'string' ? (finishReasonAliases[value] ?? value) : value;
}

function mapChoices(value: unknown, mapChoice: (choice: Json) => Json): unknown {
  return Array.isArray(value) ? value.map((choice) => (isRecord(choice) ? mapChoice(choice) : choice)) : value;
}

/**
 * Fills what OpenAI always sends and other servers (vLLM, Ollama, llama.cpp, Azure) may omit:
 * `object`, `refusal`, `logprobs`, `content: null` beside tool calls, a missing `finish_reason`.
 */
function completionDefaults(raw: unknown): unknown {
  if (!isRecord(raw)) return raw;
  return {
    id: '',
    created: 0,
    model: '',
    ...raw,
    object: 'chat.completion',
    choices: mapChoices(raw['choices'], (choice) => ({
      index: 0,
      logprobs: null,
      ...choice,
      finish_reason: finishReason(choice['finish_reason'], 'stop'),
      message: isRecord(choice['message'])
        ? { content: null, refusal: null, ...choice['message'], role: 'assistant' }
        : choice['message'],
    })),
  };
}

function chunkDefaults(raw: unknown): unknown {
  if (!isRecord(raw)) return raw;
  return {
    id: '',
    created: 0,
    model: '',
    choices: [],
    ...raw,
    object: 'chat.completion.chunk',
    ...(Array.isArray(raw['choices'])
      ? {
          choices: mapChoices(raw['choices'], (choice) => ({
            index: 0,
            delta: {},
            logprobs: null,
            ...choice,
            finish_reason: finishReason(choice['finish_reason'], null),
          })),
        }
      : {}),
  };
}

function parseWire<T>(schema: z.ZodType<T>, value: unknown, what: { where: string; expected: string }): T {
  return parseWithSchema(schema, value, {
    where: `${what.where}: the response is not ${what.expected}`,
    code: 'upstream_error',
    retryable: false,
  });
}

/**
 * Validates a chat completion answered by an OpenAI-compatible server (after filling the fields
 * other servers omit).
 * @throws LlmopsError `upstream_error` (not retryable) naming the endpoint and the offending fields.
 */
export function parseChatCompletion(raw: unknown, where: string): ChatCompletion {
  return parseWire(chatCompletionSchema, completionDefaults(raw), { where, expected: 'an OpenAI chat completion' });
}

/**
 * Validates one streamed chunk answered by an OpenAI-compatible server.
 * @throws LlmopsError `upstream_error` (not retryable) naming the endpoint and the offending fields.
 */
export function parseChatCompletionChunk(raw: unknown, where: string): ChatCompletionChunk {
  return parseWire(chatCompletionChunkSchema, chunkDefaults(raw), {
    where,
    expected: 'an OpenAI chat completion chunk',
  });
}

/** The part of `POST /v1/embeddings`'s answer llmops reads. */
export const embeddingResponseSchema = z.looseObject({
  data: z.array(z.looseObject({ index: z.number().int().nonnegative(), embedding: z.array(z.number()) })),
  usage: z
    .looseObject({ prompt_tokens: z.number().int().nonnegative(), total_tokens: z.number().int().nonnegative() })
    .nullable()
    .optional(),
});

/** The embeddings answer of an OpenAI-compatible server. */
export type EmbeddingResponse = z.infer<typeof embeddingResponseSchema>;

/**
 * Validates an embeddings answer.
 * @throws LlmopsError `upstream_error` (not retryable) naming the endpoint and the offending fields.
 */
export function parseEmbeddingResponse(raw: unknown, where: string): EmbeddingResponse {
  return parseWire(embeddingResponseSchema, raw, { where, expected: 'an OpenAI embeddings response' });
}
