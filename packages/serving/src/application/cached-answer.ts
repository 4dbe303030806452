import { finishReasonSchema, toolCallDeltaSchema, usageSchema } from '@llmops/kernel';
import type { ChatCompletionChunk, FinishReason, ToolCall, ToolCallDelta, Usage } from '@llmops/kernel';
import { z } from 'zod';
import type { Citation } from '../domain/retrieval/passage.js';
import type { ServedChatCompletion, ServedCompletionExtension } from './pipeline.js';
import { servedChunk, servedExtension } from './served-response.js';
import type { ResponseShape } from './serving-step.js';

const citationSchema = z.object({
  index: z.number(),
  passage_id: z.string(),
  source: z.string(),
  title: z.string().optional(),
  section: z.string().optional(),
  score: z.number(),
});

/**
 * An answer as the cache keeps it, whether it was recorded from a whole completion or a stream: the content and tool
 * call fragments in the order they came (a stream's chunking is kept, so a replay streams the same pieces), how it
 * finished, its usage and cost when it was generated, and its citations. Read back from a shared store, so parsed:
 * a value this llmops cannot read is a miss, never an error.
 */
export const cachedAnswerSchema = z.looseObject({
  format: z.literal(1),
  deltas: z.array(
    z.strictObject({ content: z.string().optional(), tool_calls: z.array(toolCallDeltaSchema).optional() }),
  ),
  refusal: z.string().nullable(),
  finishReason: finishReasonSchema,
  usage: usageSchema.optional(),
  systemFingerprint: z.string(),
  citations: z.array(citationSchema),
  /** USD the answer cost when it was generated (what each hit saves); `null` when the model has no price. */
  costUsd: z.number().nullable(),
  /** When it was stored, ms since the epoch. */
  storedAt: z.number(),
  /** How it was recorded. */
  recordedFrom: z.enum(['completion', 'stream']),
  /**
   * What retrieval ranked when the answer was generated (source and score of the first {@link maxRankedSources}
   * passages), so that a hit still tells monitoring the request's topic and top retrieval score. Absent for chat.
   */
  retrieved: z.array(z.strictObject({ source: z.string(), score: z.number() })).optional(),
});

/** Ranked passages a cached answer keeps (their sources and scores, never their text). */
export const maxRankedSources = 8;

/** The ranked sources and scores of a request's retrieval, as a cached answer keeps them. */
export function rankedSourcesOf(
  retrieval: { passages: readonly { source: string; score: number }[] } | undefined,
): { retrieved: { source: string; score: number }[] } | Record<string, never> {
  if (!retrieval) return {};
  return {
    retrieved: retrieval.passages
      .slice(0, maxRankedSources)
      .map((passage) => ({ source: passage.source, score: passage.score })),
  };
}
/** An answer as the cache keeps it. */
export type CachedAnswer = z.infer<typeof cachedAnswerSchema>;

/** A cached value as an answer, or `undefined` when it is not one (another format, a corrupt entry). */
export function readCachedAnswer(value: string): CachedAnswer | undefined {
  try {
    const parsed = cachedAnswerSchema.safeParse(JSON.parse(value));
    return parsed.success ? (parsed.data as CachedAnswer) : undefined;
  } catch {
    return undefined;
  }
}

/** The answer of a whole completion, to be cached. */
export function answerOfCompletion(
  completion: ServedChatCompletion,
  facts: {
    costUsd: number | null;
    storedAt: number;
    retrieval?: { passages: readonly { source: string; score: number }[] } | undefined;
  },
): CachedAnswer {
  const message = completion.choices[0]?.message;
  const deltas: CachedAnswer['deltas'] = [];
  if (typeof message?.content === 'string' && message.content !== '') deltas.push({ content: message.content });
  if (message?.tool_calls && message.tool_calls.length > 0) {
    deltas.push({
      tool_calls: message.tool_calls.map((call, index) => ({
        index,
        id: call.id,
        type: 'function' as const,
        function: { name: call.function.name, arguments: call.function.arguments },
      })),
    });
  }
  return {
    format: 1,
    deltas,
    refusal: message?.refusal ?? null,
    finishReason: completion.choices[0]?.finish_reason ?? 'stop',
    ...(completion.usage ? { usage: completion.usage } : {}),
    systemFingerprint: completion.system_fingerprint ?? '',
    citations: completion.llmops.citations,
    costUsd: facts.costUsd,
    storedAt: facts.storedAt,
    recordedFrom: 'completion',
    ...rankedSourcesOf(facts.retrieval),
  };
}

/** Tool call fragments joined into whole calls (fragments with one `index` concatenate their arguments). */
function joinToolCalls(fragments: readonly ToolCallDelta[]): ToolCall[] {
  const calls = new Map<number, ToolCall>();
  for (const fragment of fragments) {
    const call = calls.get(fragment.index) ?? { id: '', type: 'function', function: { name: '', arguments: '' } };
    if (fragment.id) call.id = fragment.id;
    if (fragment.function?.name) call.function.name += fragment.function.name;
    if (fragment.function?.arguments) call.function.arguments += fragment.function.arguments;
    calls.set(fragment.index, call);
  }
  return [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
}

/** A cached answer as the completion of a new response (its own id and creation time, the stored fingerprint). */
export function completionOfAnswer(answer: CachedAnswer, shape: ResponseShape): ServedChatCompletion {
  const content = answer.deltas.map((delta) => delta.content ?? '').join('');
  const toolCalls = joinToolCalls(answer.deltas.flatMap((delta) => delta.tool_calls ?? []));
  return {
    id: shape.id,
    object: 'chat.completion',
    created: shape.created,
    model: shape.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: content === '' && toolCalls.length > 0 ? null : content,
          refusal: answer.refusal,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: answer.finishReason,
        logprobs: null,
      },
    ],
    ...(answer.usage ? { usage: answer.usage } : {}),
    system_fingerprint: answer.systemFingerprint || shape.systemFingerprint,
    llmops: servedExtension(shape.model, answer.citations as Citation[]),
  };
}

/**
 * A cached answer replayed as the chunks of a new stream, in the shape the pipeline's core streams: a role chunk, one
 * chunk per stored fragment, the finishing chunk with the `llmops` extension, and a usage chunk when asked for.
 */
export function* chunksOfAnswer(
  answer: CachedAnswer,
  shape: ResponseShape,
  includeUsage: boolean,
): Generator<ChatCompletionChunk> {
  const replayShape = { ...shape, systemFingerprint: answer.systemFingerprint || shape.systemFingerprint };
  yield servedChunk(replayShape, [
    { index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null, logprobs: null },
  ]);
  for (const delta of answer.deltas)
    yield servedChunk(replayShape, [{ index: 0, delta, finish_reason: null, logprobs: null }]);
  yield servedChunk(replayShape, [{ index: 0, delta: {}, finish_reason: answer.finishReason, logprobs: null }], {
    llmops: servedExtension(shape.model, answer.citations as Citation[]),
  } as Partial<ChatCompletionChunk>);
  if (includeUsage && answer.usage) yield servedChunk(replayShape, [], { usage: answer.usage });
}

/** Collects the answer of a stream as its chunks pass by; {@link StreamedAnswer.answer} once the stream completed. */
export class StreamedAnswer {
  private readonly deltas: CachedAnswer['deltas'] = [];
  private finishReason: FinishReason | null = null;
  private usage: Usage | undefined;
  private systemFingerprint = '';
  private citations: Citation[] = [];

  /** Takes in one chunk of the stream (choice 0's fragments, the finish reason, the usage, the citations). */
  observe(chunk: ChatCompletionChunk): void {
    if (this.systemFingerprint === '' && chunk.system_fingerprint) this.systemFingerprint = chunk.system_fingerprint;
    if (chunk.usage) this.usage = chunk.usage;
    const extension = (chunk as { llmops?: ServedCompletionExtension }).llmops;
    if (extension) this.citations = extension.citations;
    for (const choice of chunk.choices) {
      if (choice.index !== 0) continue;
      const { content, tool_calls: toolCalls } = choice.delta;
      const delta: CachedAnswer['deltas'][number] = {};
      if (typeof content === 'string' && content !== '') delta.content = content;
      if (toolCalls && toolCalls.length > 0) delta.tool_calls = toolCalls;
      if (delta.content !== undefined || delta.tool_calls !== undefined) this.deltas.push(delta);
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
  }

  /** The whole answer; `usage` and `costUsd` as the pipeline recorded them (a stream may not carry its usage). */
  answer(facts: {
    usage: Usage | undefined;
    costUsd: number | null;
    storedAt: number;
    retrieval?: { passages: readonly { source: string; score: number }[] } | undefined;
  }): CachedAnswer {
    const usage = facts.usage ?? this.usage;
    return {
      format: 1,
      deltas: this.deltas,
      refusal: null,
      finishReason: this.finishReason ?? 'stop',
      ...(usage ? { usage } : {}),
      systemFingerprint: this.systemFingerprint,
      citations: this.citations,
      costUsd: facts.costUsd,
      storedAt: facts.storedAt,
      recordedFrom: 'stream',
      ...rankedSourcesOf(facts.retrieval),
    };
  }
}
