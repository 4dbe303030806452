/** Wire payloads of an OpenAI-compatible endpoint, shared by the serving specs. */

/** A non-streamed completion answering `content`. */
export function completionBody(content: string, usage = { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 }) {
  return {
    id: 'chatcmpl-upstream',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'gpt-4o-mini-2024-07-18',
    system_fingerprint: 'fp_test',
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
    usage,
  };
}

/** The SSE events of a completion streamed word by word, ending with usage and `[DONE]`. */
export function streamEvents(content: string): string[] {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-upstream', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] })}`;
  return [
    chunk({ role: 'assistant', content: '' }),
    ...(content.match(/\S+\s*/g) ?? []).map((word) => chunk({ content: word })),
    chunk({}, 'stop'),
    `data: ${JSON.stringify({ id: 'chatcmpl-upstream', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'gpt-4o-mini', choices: [], usage: { prompt_tokens: 100, completion_tokens: 60, total_tokens: 160 } })}`,
    'data: [DONE]',
  ];
}
