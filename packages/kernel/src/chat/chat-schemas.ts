import { z } from 'zod';

/**
 * OpenAI-compatible chat schemas: what `POST /v1/chat/completions` accepts and answers.
 * Objects are loose (unknown fields pass through) so that newer OpenAI fields and llmops
 * extensions (`llmops`) do not break parsing; required and nullable fields follow OpenAI's
 * published OpenAPI document.
 */

/** A text part of a multi-part message content. */
export const textContentPartSchema = z.looseObject({ type: z.literal('text'), text: z.string() });

/** An image part of a multi-part user message content. */
export const imageContentPartSchema = z.looseObject({
  type: z.literal('image_url'),
  image_url: z.looseObject({ url: z.string(), detail: z.enum(['auto', 'low', 'high']).optional() }),
});

/** Any content part (text, image, or another kind passed through untouched). */
export const contentPartSchema = z.union([
  textContentPartSchema,
  imageContentPartSchema,
  z.looseObject({ type: z.string() }),
]);

/** A call of a function tool made by the assistant. */
export const toolCallSchema = z.looseObject({
  id: z.string(),
  type: z.literal('function'),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});
export type ToolCall = z.infer<typeof toolCallSchema>;

const messageContentSchema = z.union([z.string(), z.array(contentPartSchema)]);

/** A system or developer message. */
export const systemMessageSchema = z.looseObject({
  role: z.enum(['system', 'developer']),
  content: messageContentSchema,
  name: z.string().optional(),
});

/** A user message. */
export const userMessageSchema = z.looseObject({
  role: z.literal('user'),
  content: messageContentSchema,
  name: z.string().optional(),
});

/** An assistant message, possibly with tool calls instead of content. */
export const assistantMessageSchema = z.looseObject({
  role: z.literal('assistant'),
  content: z.union([messageContentSchema, z.null()]).optional(),
  refusal: z.string().nullable().optional(),
  name: z.string().optional(),
  tool_calls: z.array(toolCallSchema).optional(),
});

/** The result of a tool call, sent back to the model. */
export const toolMessageSchema = z.looseObject({
  role: z.literal('tool'),
  content: messageContentSchema,
  tool_call_id: z.string(),
});

/** Any chat message, discriminated by `role`. */
export const chatMessageSchema = z.union([
  systemMessageSchema,
  userMessageSchema,
  assistantMessageSchema,
  toolMessageSchema,
]);
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/** A function tool the model may call. */
export const toolSchema = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'tool names are 1-64 characters A-Z a-z 0-9 _ -'),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullable().optional(),
  }),
});
export type Tool = z.infer<typeof toolSchema>;

/** How the model chooses tools. */
export const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string() }) }),
]);

/** The format of the output: free text, any JSON object, or JSON matching a schema. */
export const responseFormatSchema = z.union([
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    json_schema: z.looseObject({
      name: z.string(),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullable().optional(),
    }),
  }),
]);

/** Generation parameters shared by the request and a model version's spec. */
export const generationParamsSchema = z.object({
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  max_tokens: z.number().int().positive().nullable().optional(),
  max_completion_tokens: z.number().int().positive().nullable().optional(),
  seed: z.number().int().nullable().optional(),
  stop: z
    .union([z.string(), z.array(z.string()).max(4)])
    .nullable()
    .optional(),
  presence_penalty: z.number().min(-2).max(2).nullable().optional(),
  frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
});
export type GenerationParams = z.infer<typeof generationParamsSchema>;

/** The body of `POST /v1/chat/completions`. */
export const chatCompletionRequestSchema = z.looseObject({
  ...generationParamsSchema.shape,
  model: z.string().min(1),
  messages: z.array(chatMessageSchema).min(1),
  stream: z.boolean().nullable().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  n: z.number().int().min(1).max(128).nullable().optional(),
  user: z.string().optional(),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: responseFormatSchema.optional(),
  logit_bias: z.record(z.string(), z.number()).nullable().optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;

/** Token usage of one call; `prompt_tokens_details.cached_tokens` when the provider reports it. */
export const usageSchema = z.looseObject({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  total_tokens: z.number().int().nonnegative(),
  prompt_tokens_details: z
    .looseObject({ cached_tokens: z.number().int().nonnegative().optional() })
    .nullable()
    .optional(),
  completion_tokens_details: z.looseObject({}).nullable().optional(),
});
export type Usage = z.infer<typeof usageSchema>;

/** Why generation stopped. */
export const finishReasonSchema = z.enum(['stop', 'length', 'tool_calls', 'content_filter', 'function_call']);
export type FinishReason = z.infer<typeof finishReasonSchema>;

/** The assistant message of a (non-streamed) completion. */
export const responseMessageSchema = z.looseObject({
  role: z.literal('assistant'),
  content: z.string().nullable(),
  refusal: z.string().nullable(),
  tool_calls: z.array(toolCallSchema).optional(),
});

/** The body answered by `POST /v1/chat/completions` without streaming. */
export const chatCompletionSchema = z.looseObject({
  id: z.string(),
  object: z.literal('chat.completion'),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.looseObject({
      index: z.number().int(),
      message: responseMessageSchema,
      finish_reason: finishReasonSchema,
      logprobs: z.unknown().nullable(),
    }),
  ),
  usage: usageSchema.optional(),
  system_fingerprint: z.string().nullable().optional(),
});
export type ChatCompletion = z.infer<typeof chatCompletionSchema>;

/** A fragment of a tool call in a streamed chunk; fragments with the same `index` concatenate. */
export const toolCallDeltaSchema = z.looseObject({
  index: z.number().int(),
  id: z.string().optional(),
  type: z.literal('function').optional(),
  function: z.looseObject({ name: z.string().optional(), arguments: z.string().optional() }).optional(),
});
export type ToolCallDelta = z.infer<typeof toolCallDeltaSchema>;

/** One server-sent event of a streamed completion. */
export const chatCompletionChunkSchema = z.looseObject({
  id: z.string(),
  object: z.literal('chat.completion.chunk'),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.looseObject({
      index: z.number().int(),
      delta: z.looseObject({
        role: z.enum(['assistant', 'developer', 'system', 'user', 'tool']).optional(),
        content: z.string().nullable().optional(),
        refusal: z.string().nullable().optional(),
        tool_calls: z.array(toolCallDeltaSchema).optional(),
      }),
      finish_reason: finishReasonSchema.nullable(),
      logprobs: z.unknown().nullable().optional(),
    }),
  ),
  usage: usageSchema.nullable().optional(),
  system_fingerprint: z.string().nullable().optional(),
});
export type ChatCompletionChunk = z.infer<typeof chatCompletionChunkSchema>;

/** The OpenAI-shaped error body every llmops HTTP error answers with. */
export const errorResponseSchema = z.object({
  error: z.object({
    message: z.string(),
    type: z.string(),
    param: z.string().nullable(),
    code: z.string().nullable(),
  }),
});
export type ErrorResponse = z.infer<typeof errorResponseSchema>;

/** The text of a message's content: a string as is, text parts joined, other parts ignored. */
export function contentText(content: ChatMessage['content'] | undefined): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  return content
    .map((part) => (part.type === 'text' && typeof part['text'] === 'string' ? part['text'] : ''))
    .filter((text) => text.length > 0)
    .join('\n');
}
