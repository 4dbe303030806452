import { LlmopsError } from '@llmops/kernel';
import type { ChatCompletionChunk } from '@llmops/kernel';
import type { RequestEvent } from '@llmops/monitoring';
import { TraceRecorder } from '@llmops/serving';
import type { ChunkStream, StepCall } from '@llmops/serving';
import { MonitoringStep } from './monitoring-step.js';

function chunk(content: string): ChatCompletionChunk {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'kettle-help/1',
    choices: [{ index: 0, delta: { content }, finish_reason: null, logprobs: null }],
  };
}

function streamCall(chunks: () => ChunkStream): StepCall<ChunkStream> {
  const recorder = new TraceRecorder({ reference: 'kettle-help@champion', requestId: 'req-1' });
  return {
    request: { messages: [{ role: 'user', content: 'When does support answer?' }] },
    options: { includeUsage: false, recorder, requestId: 'req-1' },
    model: { name: 'kettle-help', version: 1 } as StepCall<ChunkStream>['model'],
    response: { id: 'chatcmpl-1', created: 0, model: 'kettle-help/1', systemFingerprint: 'fp' },
    next: async () => chunks(),
  };
}

function recordingStep(): { step: MonitoringStep; events: RequestEvent[] } {
  const events: RequestEvent[] = [];
  const step = new MonitoringStep({
    sink: { record: (event) => events.push(event) },
    keepQuestionText: false,
    looksLikeRefusal: (text) => text.startsWith("I don't know"),
  });
  return { step, events };
}

describe('MonitoringStep on streams', () => {
  it('records a stream that fails midway with status 200, the error code, and not completed', async () => {
    const { step, events } = recordingStep();
    const stream = await step.wrapStream(
      streamCall(async function* () {
        yield chunk('Support answers ');
        throw new LlmopsError('upstream_error', 'the provider closed the stream');
      }),
    );
    const received: string[] = [];
    await expect(
      (async () => {
        for await (const item of stream) received.push(item.choices[0]?.delta.content ?? '');
      })(),
    ).rejects.toThrow('the provider closed the stream');
    expect(received).toEqual(['Support answers ']);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ status: 200, errorCode: 'upstream_error', stream: true, completed: false });
    // The characters that went out before the break.
    expect(events[0]?.answerLength).toBe('Support answers '.length);
  });

  it('records a stream the client left as not completed, without an error', async () => {
    const { step, events } = recordingStep();
    const stream = await step.wrapStream(
      streamCall(async function* () {
        yield chunk("I don't know ");
        yield chunk('based on the provided context.');
      }),
    );
    for await (const item of stream) if (item) break;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ status: 200, stream: true, completed: false, refused: true });
    expect(events[0]?.errorCode).toBeUndefined();
  });

  it('records a stream that fails before its first chunk with the error status, and rethrows', async () => {
    const { step, events } = recordingStep();
    const call = {
      ...streamCall(() => {
        throw new Error('unused');
      }),
      next: async () => {
        throw new LlmopsError('timeout', 'the provider did not answer in time');
      },
    };
    await expect(step.wrapStream(call)).rejects.toThrow('did not answer in time');
    expect(events[0]).toMatchObject({ status: LlmopsError.fromUnknown(new LlmopsError('timeout', 'x')).httpStatus });
    expect(events[0]).toMatchObject({ errorCode: 'timeout', completed: false, modelRef: 'kettle-help@champion' });
    expect(events[0]).not.toHaveProperty('answerLength');
  });
});
