import { LlmopsError } from '@llmops/kernel';
import type { ChatCompletionChunk, Clock } from '@llmops/kernel';
import { LocalLimitCounters } from '../../adapters/memory/local-limit-counters.js';
import type { LimitCounters, ServingCaller } from '../../ports.js';
import type { ServableModel } from '../../ports.js';
import type { PipelineRequest, ServedChatCompletion } from '../pipeline.js';
import type { ChunkStream, StepCall } from '../serving-step.js';
import { TraceRecorder } from '../trace-recorder.js';
import { LimitsStep } from './limits-step.js';

const noon = Date.UTC(2025, 5, 30, 12);
const clock: Clock = { now: () => noon, monotonic: () => 0 };

/** A call whose inner chain records `tokens` and `costUsd` on the trace, as the core does, then answers. */
function callOf<Result>(options: {
  caller?: ServingCaller;
  tokens: number;
  costUsd: number;
  answer: () => Result;
}): StepCall<Result> & { innerCalls: () => number } {
  const recorder = new TraceRecorder({ clock });
  let innerCalls = 0;
  return {
    request: { messages: [{ role: 'user', content: 'hi' }] } as PipelineRequest,
    options: { recorder, includeUsage: false, ...(options.caller ? { caller: options.caller } : {}) },
    model: {} as ServableModel,
    response: { id: 'c1', created: 0, model: 'm/1', systemFingerprint: 'fp' },
    next: async () => {
      innerCalls += 1;
      recorder.facts.usage = {
        prompt_tokens: options.tokens - 1,
        completion_tokens: 1,
        total_tokens: options.tokens,
      };
      recorder.facts.costUsd = options.costUsd;
      return options.answer();
    },
    innerCalls: () => innerCalls,
  };
}

const completion = () => ({ id: 'c1' }) as unknown as ServedChatCompletion;

async function* chunks(): ChunkStream {
  yield { id: 'c1' } as unknown as ChatCompletionChunk;
  yield { id: 'c1' } as unknown as ChatCompletionChunk;
}

describe('LimitsStep', () => {
  it('refuses a keyed call over its requests per minute before any work, with the wait', async () => {
    const step = new LimitsStep({ counters: new LocalLimitCounters(), clock });
    const caller = { keyId: 'aaaaaaaaaaaa', limits: { rpm: 1 } };
    await step.wrapComplete(callOf({ caller, tokens: 10, costUsd: 0, answer: completion }));
    const refused = callOf({ caller, tokens: 10, costUsd: 0, answer: completion });
    const error = await step.wrapComplete(refused).catch((caught: unknown) => caught);
    expect(LlmopsError.isInstance(error) && [error.code, error.retryAfterMs, error.message]).toEqual([
      'rate_limited',
      60_000,
      'API key aaaaaaaaaaaa is over its 1 requests per minute; retry after 60 s',
    ]);
    expect(refused.innerCalls()).toBe(0);
  });

  it('charges a stream when it ends, so the next call sees its cost against the budget', async () => {
    const counters = new LocalLimitCounters();
    const step = new LimitsStep({ counters, clock });
    const caller = { keyId: 'bbbbbbbbbbbb', limits: { budgetUsdDay: 0.5 } };
    const stream = await step.wrapStream(callOf({ caller, tokens: 100, costUsd: 0.5, answer: chunks }));
    expect((await counters.spend([caller.keyId], noon)).get(caller.keyId)?.dayUsd).toBe(0);
    for await (const chunk of stream) void chunk;
    expect((await counters.spend([caller.keyId], noon)).get(caller.keyId)?.dayUsd).toBe(0.5);
    const error = await step
      .wrapComplete(callOf({ caller, tokens: 1, costUsd: 0, answer: completion }))
      .catch((caught: unknown) => caught);
    expect(LlmopsError.isInstance(error) && [error.code, error.retryAfterMs]).toEqual([
      'budget_exceeded',
      12 * 3_600_000,
    ]);
  });

  it('lets anonymous calls through untouched, and keyed calls through when the counters fail', async () => {
    const broken: LimitCounters = {
      location: 'broken',
      admit: async () => {
        throw new LlmopsError('unavailable', 'redis down');
      },
      record: async () => {
        throw new LlmopsError('unavailable', 'redis down');
      },
      spend: async () => new Map(),
      close: async () => undefined,
    };
    const reported: unknown[] = [];
    const step = new LimitsStep({ counters: broken, clock, onError: (error) => reported.push(error) });
    const anonymous = callOf({ tokens: 5, costUsd: 1, answer: completion });
    expect(await step.wrapComplete(anonymous)).toEqual({ id: 'c1' });
    expect(reported).toHaveLength(0);
    const keyed = callOf({
      caller: { keyId: 'cccccccccccc', limits: { rpm: 1 } },
      tokens: 5,
      costUsd: 1,
      answer: completion,
    });
    expect(await step.wrapComplete(keyed)).toEqual({ id: 'c1' });
    expect(reported).toHaveLength(2);
  });

  it('hands a call without a key on as it is: the answer is the inner chain’s own promise', () => {
    const step = new LimitsStep({ counters: new LocalLimitCounters(), clock });
    const inner = Promise.resolve(completion());
    const streamed = Promise.resolve(chunks());
    const call = (answer: Promise<unknown>) => ({
      ...callOf({ tokens: 5, costUsd: 1, answer: completion }),
      next: () => answer,
    });
    expect(step.wrapComplete(call(inner) as StepCall<ServedChatCompletion>)).toBe(inner);
    expect(step.wrapStream(call(streamed) as StepCall<ChunkStream>)).toBe(streamed);
  });
});
