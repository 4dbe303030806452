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
  const common = commonCompletion(raw);
  if (common !== undefined) return common;
  return parseWire(chatCompletionSchema, completionDefaults(raw), { where, expected: 'an OpenAI chat completion' });
}

const roles = new Set(['assistant', 'developer', 'system', 'user', 'tool']);
const finishReasons = new Set(['stop', 'length', 'tool_calls', 'content_filter', 'function_call']);

function isOptionalText(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'string';
}

function isTokenCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** `id`, `created`, `model` and `system_fingerprint` of the types the schemas expect, or absent. */
function hasCommonEnvelope(raw: Json): boolean {
  const { id, created, model } = raw;
  if (!(id === undefined || typeof id === 'string')) return false;
  if (!(created === undefined || (typeof created === 'number' && Number.isInteger(created)))) return false;
  if (!(model === undefined || typeof model === 'string')) return false;
  return isOptionalText(raw['system_fingerprint']);
}

/** Absent, or exactly the three token counts (usage with details goes through the schema). */
function isPlainUsage(usage: unknown): boolean {
  if (usage === undefined) return true;
  if (!isRecord(usage) || Object.keys(usage).length !== 3) return false;
  return (
    isTokenCount(usage['prompt_tokens']) &&
    isTokenCount(usage['completion_tokens']) &&
    isTokenCount(usage['total_tokens'])
  );
}

/**
 * The common completion (text or refusal answers, finish reasons, plain usage; no tool calls) checked by hand and
 * completed in place as {@link completionDefaults} and the schema would: the answer was just parsed from JSON, so
 * nothing else holds it. Answers `undefined` for anything else, which the schema then judges.
 */
function commonCompletion(raw: unknown): ChatCompletion | undefined {
  if (!isRecord(raw) || !hasCommonEnvelope(raw) || !isPlainUsage(raw['usage'])) return undefined;
  const choices = raw['choices'];
  if (!Array.isArray(choices)) return undefined;
  for (const choice of choices as unknown[]) {
    if (!isRecord(choice)) return undefined;
    const index = choice['index'] ?? 0;
    if (!(typeof index === 'number' && Number.isInteger(index))) return undefined;
    const message = choice['message'];
    if (!isRecord(message) || message['tool_calls'] !== undefined) return undefined;
    if (!isOptionalText(message['content']) || !isOptionalText(message['refusal'])) return undefined;
    const reason = finishReason(choice['finish_reason'], 'stop');
    if (!(typeof reason === 'string' && finishReasons.has(reason))) return undefined;
    choice['index'] = index;
    choice['finish_reason'] = reason;
    if (choice['logprobs'] === undefined) choice['logprobs'] = null;
    message['role'] = 'assistant';
    message['content'] ??= null;
    message['refusal'] ??= null;
  }
  raw['id'] ??= '';
  raw['created'] ??= 0;
  raw['model'] ??= '';
  raw['object'] = 'chat.completion';
  return raw as ChatCompletion;
}

/**
 * The common chunk (text deltas, a role, a finish reason, plain usage) checked by hand and completed in place, in one
 * pass and without copies: a stream has many chunks, and each was just parsed from JSON, so nothing else holds it.
 * Answers `undefined` for anything else (tool-call deltas, usage details, a wrong type), which the schema then judges.
 */
function commonChunk(raw: unknown): ChatCompletionChunk | undefined {
  if (!isRecord(raw) || !hasCommonEnvelope(raw) || !(raw['usage'] === null || isPlainUsage(raw['usage'])))
    return undefined;
  const { id, created, model } = raw;
  const choices = raw['choices'] ?? [];
  if (!Array.isArray(choices)) return undefined;
  for (const choice of choices as unknown[]) {
    if (!isRecord(choice)) return undefined;
    const index = choice['index'] ?? 0;
    if (!(typeof index === 'number' && Number.isInteger(index))) return undefined;
    const delta = choice['delta'] ?? {};
    if (!isRecord(delta) || delta['tool_calls'] !== undefined) return undefined;
    if (!isOptionalText(delta['content']) || !isOptionalText(delta['refusal'])) return undefined;
    const role = delta['role'];
    if (!(role === undefined || (typeof role === 'string' && roles.has(role)))) return undefined;
    const reason = finishReason(choice['finish_reason'], null);
    if (!(reason === null || (typeof reason === 'string' && finishReasons.has(reason)))) return undefined;
    choice['index'] = index;
    choice['delta'] = delta;
    choice['finish_reason'] = reason;
    if (choice['logprobs'] === undefined) choice['logprobs'] = null;
  }
  raw['id'] = id ?? '';
  raw['created'] = created ?? 0;
  raw['model'] = model ?? '';
  raw['object'] = 'chat.completion.chunk';
  raw['choices'] = choices;
  return raw as ChatCompletionChunk;
}

/**
 * Validates one streamed chunk answered by an OpenAI-compatible server. The common chunk is checked by hand (and
 * completed in place: pass a value nothing else holds, such as one just parsed from JSON); the others by the schema,
 * whose errors name the offending fields.
 * @throws LlmopsError `upstream_error` (not retryable) naming the endpoint and the offending fields.
 */
export function parseChatCompletionChunk(raw: unknown, where: string): ChatCompletionChunk {
  const common = commonChunk(raw);
  if (common !== undefined) return common;
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
