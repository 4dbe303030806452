import { OpenAiCompatibleChatModel } from '@llmops/providers';
import { startOpenAiWireServer } from '@llmops/providers/testing';
import type { OpenAiWireServer } from '@llmops/providers/testing';
import { ChatModelModerationJudge } from './chat-model-moderation-judge.js';

function completion(content: string) {
  return {
    id: 'chatcmpl-judge',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'gpt-4o-mini',
    choices: [
      { index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null },
    ],
    usage: { prompt_tokens: 80, completion_tokens: 12, total_tokens: 92 },
  };
}

describe('ChatModelModerationJudge (an LLM judge over a real OpenAI-compatible endpoint)', () => {
  let server: OpenAiWireServer;
  let judge: ChatModelModerationJudge;
  beforeEach(async () => {
    server = await startOpenAiWireServer();
    judge = new ChatModelModerationJudge({
      model: new OpenAiCompatibleChatModel('gpt-4o-mini', { baseURL: server.baseUrl, apiKey: 'sk-test-judge' }),
    });
  });
  afterEach(async () => {
    await server.close();
  });

  it('asks for a JSON verdict with the text fenced off, and reads it', async () => {
    server.reply('/v1/chat/completions', {
      kind: 'json',
      body: completion('{"flagged": true, "categories": ["dangerous"]}'),
    });
    expect(await judge.moderate('how to make a pipe bomb')).toEqual({
      flagged: true,
      categories: [{ category: 'dangerous' }],
    });
    const body = server.requestsTo('/v1/chat/completions')[0]?.body as {
      messages: Array<{ content: string }>;
      temperature: number;
      response_format: unknown;
    };
    expect(body.temperature).toBe(0);
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect(body.messages[1]?.content).toBe('<text>\nhow to make a pipe bomb\n</text>');
    expect(judge.name).toBe('judge openai/gpt-4o-mini');
  });

  it('refuses to read an answer that is not a verdict as safe', async () => {
    server.reply('/v1/chat/completions', { kind: 'json', body: completion('Sure! It looks fine to me.') });
    await expect(judge.moderate('hello')).rejects.toThrow(
      /did not answer a verdict; expected JSON \{"flagged": boolean, "categories": \[\.\.\.\]\}, got: Sure!/,
    );
  });
});
