/** The request fields passed on to the model (the rest, such as `metadata` or `llmops`, stays with llmops). */
export const forwardedRequestFields = [
  'n',
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'seed',
  'stop',
  'presence_penalty',
  'frequency_penalty',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'logit_bias',
  'user',
] as const;

/** A field of {@link forwardedRequestFields}. */
export type ForwardedRequestField = (typeof forwardedRequestFields)[number];
