import {
  chatCompletionChunkSchema,
  chatCompletionRequestSchema,
  chatCompletionSchema,
  contentText,
} from './chat-schemas.js';

describe('chat schemas', () => {
  it('accepts a request with tools, tool results and a JSON schema response format', () => {
    const request = chatCompletionRequestSchema.parse({
      model: 'support-bot@champion',
      messages: [
        { role: 'system', content: 'Answer briefly.' },
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '18C' },
      ],
      tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object' } } }],
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' } } },
      seed: 7,
      stop: ['\n\n'],
      stream: true,
      stream_options: { include_usage: true },
      x_vendor_field: 'kept',
    });
    expect(request.messages).toHaveLength(4);
    expect(request['x_vendor_field']).toBe('kept');
  });

  it('rejects a request without messages or with an unknown role', () => {
    expect(chatCompletionRequestSchema.safeParse({ model: 'm', messages: [] }).success).toBe(false);
    expect(chatCompletionRequestSchema.safeParse({ model: 'm' }).success).toBe(false);
    expect(
      chatCompletionRequestSchema.safeParse({ model: 'm', messages: [{ role: 'robot', content: 'hi' }] }).success,
    ).toBe(false);
    expect(
      chatCompletionRequestSchema.safeParse({ model: 'm', messages: [{ role: 'user', content: 'x' }], temperature: 3 })
        .success,
    ).toBe(false);
  });

  it('requires the nullable fields OpenAI requires in a completion', () => {
    const completion = {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'm',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'hi', refusal: null },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4, prompt_tokens_details: { cached_tokens: 0 } },
    };
    expect(chatCompletionSchema.safeParse(completion).success).toBe(true);
    const withoutRefusal = structuredClone(completion) as { choices: Array<{ message: Record<string, unknown> }> };
    delete withoutRefusal.choices[0]?.message['refusal'];
    expect(chatCompletionSchema.safeParse(withoutRefusal).success).toBe(false);
  });

  it('accepts stream chunks with tool-call deltas and a final usage chunk', () => {
    expect(
      chatCompletionChunkSchema.safeParse({
        id: 'c',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'm',
        choices: [
          { index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] }, finish_reason: null },
        ],
      }).success,
    ).toBe(true);
    expect(
      chatCompletionChunkSchema.safeParse({
        id: 'c',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'm',
        choices: [],
        usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
      }).success,
    ).toBe(true);
  });

  it('extracts the text of string and multi-part contents', () => {
    expect(contentText('plain')).toBe('plain');
    expect(
      contentText([
        { type: 'text', text: 'a' },
        { type: 'image_url', image_url: { url: 'x' } },
        { type: 'text', text: 'b' },
      ]),
    ).toBe('a\nb');
    expect(contentText(null)).toBe('');
  });
});
