import type { WireReply } from './openai-wire-server.js';

/** Token counts of a scripted answer. */
export interface WireUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/**
 * A scripted upstream answer in OpenAI's `chat.completion` shape: one choice per text (in order), each finished with
 * `stop`, and the usage given.
 */
export function completionReply(
  contents: string | readonly string[],
  usage: WireUsage = { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 },
): WireReply {
  const texts = typeof contents === 'string' ? [contents] : contents;
  return {
    kind: 'json',
    body: {
      id: 'chatcmpl-upstream',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'upstream-model',
      choices: texts.map((content, index) => ({
        index,
        message: { role: 'assistant', content, refusal: null },
        finish_reason: 'stop',
        logprobs: null,
      })),
      usage,
    },
  };
}
