import type { ChatMessage, ChatCompletionRequest } from '../chat/chat-schemas.js';
import type { ChatModelRequest } from './chat-model.js';

describe('ChatModelRequest', () => {
  it('keeps the declared fields of an OpenAI request (typed, not unknown) and allows extra ones', () => {
    const request: ChatModelRequest = { messages: [{ role: 'user', content: 'Hi' }], temperature: 0, top_k: 5 };
    // These assignments only compile when the fields keep their declared types.
    const messages: ChatMessage[] = request.messages;
    const temperature: number | null | undefined = request.temperature;
    expect(messages).toHaveLength(1);
    expect(temperature).toBe(0);
    expect(request['top_k']).toBe(5);
  });

  it('is what a full request is without model and stream', () => {
    const full: ChatCompletionRequest = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    };
    const { model, stream, ...rest } = full;
    const request: ChatModelRequest = rest;
    expect([model, stream, request.messages.length]).toEqual(['gpt-4o-mini', true, 1]);
  });
});
